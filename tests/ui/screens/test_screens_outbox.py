"""The Outbox screen: statuses with counts, preview with secrets redacted, retry, dispatcher line."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from screens_kit import cell_texts, opened, screen_app, settle
from textual.widgets import DataTable, Static, Tab, Tabs

from testkit import actor, customer_id
from tuiconsole.services.dispatcher import DispatcherState
from tuiconsole.services.outbox import DeliveryReport
from tuiconsole.store.models import OutboundEmail
from tuiconsole.ui.screens.outbox import NOT_CONFIGURED, OutboxScreen, dispatcher_line
from tuiconsole.ui.screens.screen_dialogs import EmailPreview


def static_text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def test_lists_emails_with_counts_and_retries_the_failed_welcome(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = screen_app(seeded_sqlite, clock, OutboxScreen)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        table = screen.query_one(DataTable)
        rows = cell_texts(table)
        assert [r[1] for r in rows] == ["failed", "sent"]
        assert rows[0][2] == "membership_welcome" and "mailbox unavailable" in rows[0][5]
        tabs = screen.query_one("#outbox-status", Tabs)
        assert tabs.query_one("#status-failed", Tab).label.plain == "Failed 1"
        assert tabs.query_one("#status-all", Tab).label.plain == "All 2"

        await pilot.press("r")
        await settle(pilot, lambda: cell_texts(table)[0][1] == "queued")
        assert any("queued again" in n.message for n in app._notifications)
        assert tabs.query_one("#status-queued", Tab).label.plain == "Queued 1"
        # Nothing failed any more: Retry is off for the selected row.
        assert screen.check_action("retry", ()) is None
    new_member = customer_id(seeded_sqlite, "acme-us", "new.member")
    welcome = seeded_sqlite.outbox.list(actor(seeded_sqlite, "ada.admin"), customer_id=new_member)
    assert welcome[0].status == "queued"


async def test_status_filter_shows_only_that_status(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = screen_app(seeded_sqlite, clock, OutboxScreen)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        screen.query_one("#outbox-status", Tabs).active = "status-sent"
        table = screen.query_one(DataTable)
        await settle(pilot, lambda: [r[1] for r in cell_texts(table)] == ["sent"])
        screen.query_one("#outbox-status", Tabs).active = "status-queued"
        await settle(pilot, lambda: table.row_count == 0)
        assert "No emails with status queued." in static_text(screen, "#outbox-empty")


async def test_preview_redacts_the_secret_of_a_reset_email(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    csr = actor(seeded_sqlite, "casey.csr")
    seeded_sqlite.resets.send_reset_email(csr, customer_id(seeded_sqlite, "acme-us", "jdoe"))
    with seeded_sqlite.ctx.read() as s:
        secret = s.scalar(sa.select(OutboundEmail.secret).where(OutboundEmail.template == "reset_link"))
    assert secret  # queued, not yet delivered: the row still holds it
    app = screen_app(seeded_sqlite, clock, OutboxScreen, username="casey.csr")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        assert cell_texts(screen.query_one(DataTable))[0][2] == "reset_link"
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, EmailPreview))
        preview = app.screen
        assert isinstance(preview, EmailPreview)
        assert "[redacted]" in preview.text
        assert secret not in preview.text
        shown = " ".join(str(w.render()) for w in preview.query(Static))
        assert secret not in shown and "jane.doe@example.com" in shown
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)


async def test_dispatcher_state_line(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = screen_app(seeded_sqlite, clock, OutboxScreen)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        assert "outbox deliver" in static_text(screen, "#outbox-dispatcher")

    class FakeDispatcher:
        state = DispatcherState(
            configured=True,
            runs=3,
            last_run_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
            last_report=DeliveryReport(sent=2, failed=1),
            last_error="smtp.example: connection refused [bold]x[/]",
            queued=4,
        )

        def poke(self) -> None:
            pass

    app = screen_app(seeded_sqlite, clock, OutboxScreen)
    app.dispatcher = FakeDispatcher()  # type: ignore[attr-defined]
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        line = static_text(screen, "#outbox-dispatcher")
        assert "last run 2026-11-23 09:00 UTC" in line and "sent 2, deferred 0, failed 1" in line
        assert "4 waiting" in line and "[bold]x[/]" in line  # shown literally


def test_dispatcher_line_without_email() -> None:
    assert dispatcher_line(None, configured=False) == NOT_CONFIGURED
    assert dispatcher_line(DispatcherState(configured=False), configured=False) == NOT_CONFIGURED
    assert dispatcher_line(DispatcherState(configured=True), configured=True) == "Dispatcher: starting…"
