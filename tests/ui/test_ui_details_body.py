"""The details panel builds its body (tabs, fields, buttons) on the first open, not at start."""

from __future__ import annotations

from test_ui_flow import open_main
from textual.widgets import Button, TabbedContent
from uikit import settle

from testkit import customer_id
from tuiconsole.ui.format import inert
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.customer_list import CustomerList
from tuiconsole.ui.widgets.details_panel import DetailsPanel
from tuiconsole.ui.widgets.field import Field

pytest_plugins = ("uifixtures",)  # the console_app fixture


def _body_widgets(panel: DetailsPanel) -> int:
    return len(panel.query("#details-body *"))


async def test_the_start_builds_no_body_and_the_first_open_shows_the_customer(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        await settle(pilot)
        panel = screen.details
        assert not panel.body_ready and not panel.query("#details-body")
        assert panel.query_one("#details-empty").display
        assert isinstance(app.focused, CustomerList)  # the list has the keys from the start
        assert not screen.check_action("edit", ()) and not screen.check_action("show_tab", ())

        row = screen.customer_list.current
        assert row is not None
        await pilot.press("enter")
        await settle(pilot, lambda: panel.details is not None)
        assert panel.body_ready and panel.details.id == row.id  # type: ignore[union-attr]
        assert panel.query_one("#details-body").display and not panel.query_one("#details-empty").display
        assert panel.query_one("#details-tabs", TabbedContent).active == "profile"
        assert _body_widgets(panel) > 50
        assert screen.check_action("edit", ())

        # The next open reuses the body: nothing is mounted twice.
        count = _body_widgets(panel)
        await pilot.press("down", "enter")
        await settle(pilot, lambda: panel.details is not None and panel.details.id != row.id)
        assert _body_widgets(panel) == count and len(panel.query("#details-body")) == 1


async def test_opens_before_the_body_is_mounted_show_the_newest(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("sam.supervisor")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        assert isinstance(screen, MainScreen) and not screen.details.body_ready
        panel = screen.details
        first, second = (customer_id(seeded_sqlite, "acme-us", u) for u in ("jdoe", "victor.stone"))
        panel.open(first)
        panel.open(second)  # both load while the body is still being mounted
        await settle(pilot, lambda: panel.details is not None)
        await settle(pilot)
        assert panel.details.id == second  # type: ignore[union-attr]
        assert panel.query_one("#field-first_name", Field).value == inert(panel.details.first_name)  # type: ignore[union-attr]
        # A supervisor's Lock / Disable / Enable are there (hidden for a CSR).
        assert all(panel.query_one(f"#{b}", Button).display for b in ("lock", "disable", "enable"))
