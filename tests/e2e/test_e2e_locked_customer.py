"""Training case 1 (docs/training.md): a locked customer, acme-uk/maria.lopez."""

from __future__ import annotations

from e2ekit import CONSOLE_SIZE, CUSTOMER_PASSWORD, LOGIN_FAILED, PORTAL_SIZE, ConsoleDriver, PortalDriver

from tuiconsole.ui.app import make_app
from tuiconsole.ui.portal.app import make_portal_app
from tuiconsole.ui.screens.demo_inbox import DemoInboxScreen, register_demo_inbox

NEW_PASSWORD = "Springtime-Walk-2027!"


async def test_locked_customer_reset_email_unlocks_when_used(world):
    register_demo_inbox()  # what the console does at start-up
    console_app = make_app(world.console, actor=world.trainer(), animations=False)
    portal_app = make_portal_app(world.portal, "acme-uk", animations=False)
    async with console_app.run_test(size=CONSOLE_SIZE) as cp, portal_app.run_test(size=PORTAL_SIZE) as pp:
        console, portal = ConsoleDriver(console_app, cp), PortalDriver(portal_app, pp)
        await console.settle()

        # Steps 1-2 (portal): the right password is refused with the one answer.
        await portal.login("maria.lopez", CUSTOMER_PASSWORD)
        assert portal.answer() == LOGIN_FAILED

        # Steps 3-6 (console): scope, filter, open, Account tab shows the lock.
        await console.scope("acme-uk")
        await console.find("maria")
        assert console.details.username == "maria.lopez"
        await console.keys("2")
        account = console.account_text()
        assert "locked" in account.lower() and "Too many failed logins" in account

        # Steps 7-9: e, r, Send Reset Password email, ctrl+s, y.
        await console.keys("e")
        dialog = await console.open_reset_dialog()
        await console.dialog_ok(dialog)
        await console.reload()
        assert "unlocks when the customer uses the reset email" in console.account_text().lower()

        # Steps 10-11: the email arrives; the trainer reads the link in the demo inbox.
        assert world.deliver() == 1
        await console.keys("escape")
        await console.nav("demo_inbox")
        inbox = console_app.screen
        assert isinstance(inbox, DemoInboxScreen)
        assert inbox.body.message.subject == "Reset your acme.co.uk (UK) password"
        assert inbox.body.message.to == "maria.lopez@example.com"
        link = inbox.body.secrets[0].value
        assert "token=" in link and link in inbox.inbox_text()
        await console.keys("escape")

        # Steps 12-14 (portal): the lock still holds against the old password; the link works.
        await portal.keys("escape")
        await portal.redeem(link, NEW_PASSWORD)
        assert portal.answer() == "Your password is changed: you can log in with it now."
        await portal.keys("escape")
        await portal.login("maria.lopez", NEW_PASSWORD)
        assert portal.screen_name() == "HomeScreen"
        assert "Logged in as maria.lopez" in portal.who()

        # Step 15 (console): the customer is active again.
        await console.reload()
        assert console.details.status == "active"
