"""How the customer actions look: the Account tab with the Last action box, the Offers tab.

Update with `pytest tests/ui/test_ui_actions_snapshots.py --snapshot-update` after a
deliberate change, and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from test_ui_actions_kit import box_text, open_in_edit
from uikit import settle

from tuiconsole.ui.dialogs.set_password import SetCustomerPassword
from tuiconsole.ui.screens.main import MainScreen

pytest_plugins = ("uifixtures",)  # the console_app fixture

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.mark.parametrize("size", SIZES)
def test_account_tab_with_last_action(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        screen = await open_in_edit(pilot, "acme-uk", "maria.lopez")
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        await pilot.press("ctrl+s", "y")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and "Email: queued" in box_text(screen))
        await settle(pilot)
        app.clear_notifications()  # the toast says it in short; the box is what is compared
        await settle(pilot)

    assert snap_compare(console_app("casey.csr"), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_offers_tab(snap_compare, console_app, size) -> None:  # type: ignore[no-untyped-def]
    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_in_edit(pilot, "acme-us", "jdoe", tab="3")
        await settle(pilot)

    assert snap_compare(console_app("casey.csr"), terminal_size=size, run_before=ready)
