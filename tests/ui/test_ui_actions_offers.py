"""Offers and Activity tabs through the console: grant, resend, membership password, retry."""

from __future__ import annotations

from test_ui_actions_kit import box_text, new_password, open_in_edit, static_plain
from textual.widgets import Button, Input, Label, OptionList, Select
from uikit import settle

from testkit import customer_id
from tuiconsole.ui.dialogs.grant_offer import GrantOffer
from tuiconsole.ui.dialogs.membership_password import MembershipPassword
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.activity_view import email_id_of
from tuiconsole.ui.widgets.offers_view import OWN_PASSWORD

pytest_plugins = ("uifixtures",)  # the console_app fixture


async def test_grant_offer_sends_the_welcome_email_and_resend_credentials(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    csr = app.actor
    cid = customer_id(seeded_sqlite, "acme-us", "priya.patel")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-us", "priya.patel", tab="3")
        panel = screen.details
        offers = panel.query_one("#offers-list", OptionList)
        assert offers.option_count == 1  # Acme Academy

        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, GrantOffer))
        assert [o.name for o in app.screen.offers] == ["Acme Plus Membership"]  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and offers.option_count == 2)
        await settle(pilot)
        text = box_text(screen, "offers")
        assert "Granted Acme Plus Membership; welcome email queued to p***@" in text
        assert "Email: queued" in text and "spam folder" in text
        assert box_text(screen, "account") == text  # the Account tab's box says the same
        emails = seeded_sqlite.outbox.list(csr, customer_id=cid)
        assert emails[0].template == "membership_welcome" and emails[0].status == "queued"

        # Resend credentials of the highlighted membership (Acme Academy, the first by name).
        offers.highlighted = 0
        await pilot.press("c")
        await settle(pilot, lambda: "Acme Academy (WordPress): welcome email queued" in box_text(screen, "offers"))
        assert len(seeded_sqlite.outbox.list(csr, customer_id=cid)) == 2


async def test_membership_password_only_where_the_offer_has_the_field(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    password = new_password()
    cid = customer_id(seeded_sqlite, "acme-us", "jdoe")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-us", "jdoe", tab="3")
        panel = screen.details
        offers = panel.query_one("#offers-list", OptionList)
        names = [m.offer_name for m in panel.bundle.memberships]  # type: ignore[union-attr]
        plus, academy = names.index("Acme Plus Membership"), names.index("Acme Academy (WordPress)")

        # An offer without the Password field: the tab says who changes the password.
        offers.highlighted = plus
        await settle(pilot)
        assert OWN_PASSWORD in static_plain(panel, "#offers-note")
        assert panel.query_one("#membership-password", Button).disabled
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        offers.highlighted = academy
        await settle(pilot)
        assert not panel.query_one("#membership-password", Button).disabled
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, MembershipPassword))
        dialog = app.screen
        await pilot.press(*"weak")
        await settle(pilot)
        assert "✗ At least 8 characters" in str(dialog.query_one("#mp-checklist").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at least 8 characters" in str(dialog.query_one("#mp-password-error", Label).render())
        dialog.query_one("#mp-password", Input).value = password
        dialog.query_one("#mp-retype", Input).value = password
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "verified" in str(dialog.query_one("#mp-verified-error", Label).render())
        dialog.query_one("#mp-verified", Select).value = "security question"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)
        assert "Acme Academy (WordPress): membership password set" in box_text(screen, "offers")
        academy_view = next(m for m in panel.bundle.memberships if m.offer_code == "acme-academy")  # type: ignore[union-attr]
        assert academy_view.has_membership_password
    assert seeded_sqlite.portal.check_membership_password("acme-us", "jdoe", "acme-academy", password)
    events = seeded_sqlite.customers.activity(app.actor, cid)
    assert events[0].action == "membership_password_set" and password not in repr(events[0].details)


async def test_retry_a_failed_email_from_the_activity_tab(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    cid = customer_id(seeded_sqlite, "acme-us", "new.member")
    failed = seeded_sqlite.outbox.list(app.actor, customer_id=cid, status="failed")[0]
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-us", "new.member", tab="5")
        panel = screen.details
        entries = panel.query_one("#activity-list", OptionList)
        ids = [email_id_of(entries.get_option_at_index(i).id) for i in range(entries.option_count)]
        assert failed.id in ids
        line = str(entries.get_option_at_index(ids.index(failed.id)).prompt)
        assert "membership welcome" in line and "failed" in line and "mailbox unavailable" in line
        entries.focus()
        entries.highlighted = ids.index(failed.id)
        await settle(pilot)
        assert not panel.query_one("#activity-retry", Button).disabled
        await pilot.press("t")
        await settle(pilot, lambda: "Email: queued" in box_text(screen))
        assert seeded_sqlite.outbox.list(app.actor, customer_id=cid)[0].id == failed.id
        assert seeded_sqlite.outbox.list(app.actor, customer_id=cid)[0].status == "queued"
        seeded_sqlite.outbox.deliver_due()
        panel.poll_last_action()
        await settle(pilot, lambda: "Email: sent" in box_text(screen))
        # The Activity tab shows the delivery too, and nothing is left to retry.
        await settle(pilot, lambda: panel.query_one("#activity-retry", Button).disabled)
        statuses = [str(entries.get_option_at_index(i).prompt) for i in range(entries.option_count)]
        assert any("membership welcome" in s and "— sent" in s for s in statuses)
