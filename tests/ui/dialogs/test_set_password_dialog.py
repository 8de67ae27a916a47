"""The Set Customer Password dialog on its own, over real services (SQLite, seed data)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Label, RadioButton, Select

from testkit import actor, customer_id, workers_done
from tuiconsole.services.views import ActionResult
from tuiconsole.ui.dialogs.confirm_reset import ConfirmReset
from tuiconsole.ui.dialogs.set_password import SetCustomerPassword


class Host(App[None]):
    """Just enough of ConsoleApp for the dialog: call_service in a thread."""

    def __init__(self, services: Any, username: str, site: str, customer: str) -> None:
        super().__init__()
        self.services = services
        self.actor = actor(services, username)
        self.cid = customer_id(services, site, customer)
        self.results: list[ActionResult | None] = []

    def call_service(self, fn, *args, done, failed=None, owner=None, **kwargs):  # type: ignore[no-untyped-def]
        from tuiconsole.domain.errors import TuiconsoleError

        def job() -> None:
            try:
                value = fn(*args, **kwargs)
            except TuiconsoleError as exc:
                self.call_from_thread(failed or (lambda e: None), exc)
                return
            self.call_from_thread(done, value)

        return (owner or self).run_worker(job, thread=True)

    def on_mount(self) -> None:
        details = self.services.customers.get(self.actor, self.cid)
        self.push_screen(SetCustomerPassword(self.services, self.actor, details), self.results.append)


async def settle(pilot, app: Host) -> None:  # type: ignore[no-untyped-def]
    for _ in range(50):
        await workers_done(app)
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


async def choose_verified(pilot, app: Host, value: str = "call-back") -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#sp-verified", Select).value = value
    await pilot.pause()


@pytest.mark.asyncio
async def test_email_option_queues_reset_and_returns_result(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#sp-mode-email", RadioButton).value is True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReset)
        assert "Jane Doe (jdoe) on acme.com (US)" in app.screen.question
        await pilot.press("y")
        await settle(pilot, app)
    assert app.results and app.results[-1] is not None
    assert app.results[-1].action == "reset_email_sent"
    emails = seeded_sqlite.outbox.list(actor(seeded_sqlite, "casey.csr"), customer_id=app.cid)
    assert emails[0].template == "reset_link" and emails[0].status == "queued"


@pytest.mark.asyncio
async def test_escape_changes_nothing(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")
    before = seeded_sqlite.customers.get(app.actor, app.cid)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot, app)
    assert app.results == [None]
    after = seeded_sqlite.customers.get(app.actor, app.cid)
    assert after == before


@pytest.mark.asyncio
async def test_manual_policy_failure_keeps_dialog_open_and_names_rule(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sp-mode-manual", RadioButton).value = True
        await pilot.pause()
        app.screen.query_one("#sp-password", Input).value = "short"
        app.screen.query_one("#sp-retype", Input).value = "short"
        await choose_verified(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, SetCustomerPassword)
        error = str(app.screen.query_one("#sp-password-error", Label).render())
        assert "at least 8 characters" in error
    assert app.results == []


@pytest.mark.asyncio
async def test_manual_mismatch_is_refused_next_to_the_field(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sp-mode-manual", RadioButton).value = True
        app.screen.query_one("#sp-password", Input).value = "Harbour-Lantern-42!"
        app.screen.query_one("#sp-retype", Input).value = "Harbour-Lantern-43!"
        await choose_verified(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "don't match" in str(app.screen.query_one("#sp-retype-error", Label).render())


@pytest.mark.asyncio
async def test_manual_reset_unlocks_and_sets_temporary_password(seeded_sqlite, caplog):
    caplog.set_level("DEBUG")
    secret = "Harbour-Lantern-42!"
    app = Host(seeded_sqlite, "sam.supervisor", "acme-uk", "maria.lopez")
    before = seeded_sqlite.customers.get(app.actor, app.cid)
    assert before.status == "locked"
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sp-mode-manual", RadioButton).value = True
        app.screen.query_one("#sp-password", Input).value = secret
        app.screen.query_one("#sp-retype", Input).value = secret
        await choose_verified(pilot, app, "security question")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
    result = app.results[-1]
    assert result is not None and result.action == "temporary_password_set"
    after = seeded_sqlite.customers.get(app.actor, app.cid)
    assert after.status == "active" and after.failed_login_count == 0 and after.password_temporary
    assert secret not in caplog.text
    activity = seeded_sqlite.customers.activity(app.actor, app.cid)
    assert all(secret not in repr(a) for a in activity)


@pytest.mark.asyncio
async def test_manual_entry_disallowed_shows_reason(seeded_sqlite):
    app = Host(seeded_sqlite, "sam.supervisor", "globex-us", "olga.petrova")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        manual = app.screen.query_one("#sp-mode-manual", RadioButton)
        assert manual.disabled
        reason = str(app.screen.query_one("#sp-manual-reason").render())
        assert "Manual entry is off" in reason


@pytest.mark.asyncio
async def test_staff_locked_customer_refused_with_reason(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "victor.stone")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        refusal = str(app.screen.query_one("#sp-refusal").render())
        assert "locked by staff" in refusal and "chargeback investigation #4471" in refusal
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, SetCustomerPassword)


@pytest.mark.asyncio
async def test_no_email_customer_keeps_manual_option(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "tom.noemail")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#sp-mode-email", RadioButton).disabled
        assert not app.screen.query_one("#sp-mode-manual", RadioButton).disabled
        assert "no email address" in str(app.screen.query_one("#sp-email-hint").render())


@pytest.mark.asyncio
async def test_notify_locked_on_where_scope_says_always(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        notify = app.screen.query_one("#sp-notify")
        assert notify.value is True and notify.disabled


@pytest.mark.asyncio
async def test_generate_fills_compliant_password_and_copy_is_once(seeded_sqlite):
    app = Host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await settle(pilot, app)
        pw = app.screen.query_one("#sp-password", Input).value
        assert pw and pw == app.screen.query_one("#sp-retype", Input).value
        assert app.screen.query_one("#sp-mode-manual", RadioButton).value
        await pilot.click("#sp-copy")
        await settle(pilot, app)
        assert app.screen.query_one("#sp-copy").disabled
        assert app.clipboard == pw
    events = seeded_sqlite.customers.activity(app.actor, app.cid)
    assert any(e.action == "generated_password_copied" for e in events)
    assert all(pw not in repr(e) for e in events)
