"""The vendor manual's "Reset a Customer Password", steps 1–9, by keyboard alone.

s → choose the scope → Customers → / filter → enter → e → 2 → r → Send Reset
Password email → ctrl+s → y → ctrl+s (OK on the panel); the reset email is then
in the outbox.
"""

from __future__ import annotations

from test_ui_flow import open_main
from textual.widgets import RadioButton, TabbedContent
from uikit import settle

from testkit import customer_id
from tuiconsole.ui.dialogs.confirm_reset import ConfirmReset
from tuiconsole.ui.dialogs.set_password import SetCustomerPassword
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.screens.scope_picker import ScopePickerScreen
from tuiconsole.ui.widgets.nav_panel import NavPanel

pytest_plugins = ("uifixtures",)  # the console_app fixture


async def test_reset_a_customer_password_as_the_vendor_manual_says(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    cid = customer_id(seeded_sqlite, "acme-us", "jdoe")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        assert app.dispatcher is None  # headless (tests): delivery is the test's to drive

        # 1. The Scope Selector: the relevant scope.
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, ScopePickerScreen) and bool(app.screen.nodes))
        await pilot.press(*"acme-us")
        await settle(pilot)
        await pilot.press("enter")
        await settle(
            pilot, lambda: app.screen is screen and screen.scope is not None and screen.scope.code == "acme-us"
        )

        # 2. The Navigation panel: Customers (shift+tab reaches it; Enter chooses).
        for _ in range(6):
            if isinstance(app.focused, NavPanel):
                break
            await pilot.press("shift+tab")
        assert isinstance(app.focused, NavPanel)
        assert app.focused.highlighted == 0  # Customers
        await pilot.press("enter")
        await settle(pilot)

        # 3. The Customers Filter.
        await pilot.press("slash", *"jdoe")
        clist = screen.customer_list
        await settle(pilot, lambda: clist.query_.text == "jdoe" and not clist.searching and clist.current is not None)  # type: ignore[union-attr]

        # 4. Open the customer; 5. Edit; 6. the Account tab; 7. Reset Password.
        await pilot.press("enter")
        await settle(pilot, lambda: screen.details.details is not None and screen.details.details.id == cid)
        await pilot.press("e", "2", "r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        assert screen.query_one(TabbedContent).active == "account"

        # 8. Send Reset Password email to customer, OK, confirm.
        assert app.screen.query_one("#sp-mode-email", RadioButton).value
        await pilot.press("space")  # (re)select the highlighted option: the email
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmReset))
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and screen.details.last_action is not None)

        # 9. OK on the panel.
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not screen.details.editing)

    emails = seeded_sqlite.outbox.list(app.actor, customer_id=cid)
    assert emails[0].template == "reset_link" and emails[0].status == "queued"
    assert emails[0].to_address == "jane.doe@example.com"
