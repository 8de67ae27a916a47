"""How the console looks: login, main screen (view and edit), scope selector, help.

Deterministic: seeded data, a FixedClock, no cursor blink, no animations.
Update with `pytest tests/ui/test_ui_snapshots.py --snapshot-update` after a
deliberate change, and look at the report before committing the SVGs.
"""

from __future__ import annotations

import pytest
from test_ui_flow import open_main, pick_scope_and_open
from uikit import settle

from tuiconsole.ui.screens.help import HelpScreen
from tuiconsole.ui.screens.login import LoginScreen
from tuiconsole.ui.screens.scope_picker import ScopePickerScreen

pytest_plugins = ("uifixtures",)  # the console_app fixture

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.mark.parametrize("size", SIZES)
def test_login_screen(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))

    assert snap_compare(console_app(None), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_customer_in_view(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await pick_scope_and_open(pilot, "acme-us", "jdoe")
        await settle(pilot)

    assert snap_compare(console_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_edit_mode_account_tab(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await pick_scope_and_open(pilot, "acme-us", "victor.stone")
        await pilot.press("e", "2")
        await settle(pilot)

    assert snap_compare(console_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_scope_selector(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_main(pilot)
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ScopePickerScreen) and bool(pilot.app.screen.nodes))
        await settle(pilot)

    assert snap_compare(console_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_main(pilot)
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(console_app(), terminal_size=size, run_before=ready)
