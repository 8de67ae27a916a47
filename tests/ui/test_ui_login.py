"""Login, lockout, forced change of a temporary password, and the idle lock."""

from __future__ import annotations

import secrets

from dbkit import give_console_password
from test_ui_flow import open_main
from textual.widgets import Static
from uikit import settle

from tuiconsole.ui.screens.change_password import ChangePasswordScreen
from tuiconsole.ui.screens.idle_lock import IdleLockScreen
from tuiconsole.ui.screens.login import LoginScreen
from tuiconsole.ui.screens.main import MainScreen

pytest_plugins = ("uifixtures",)  # the console_app fixture


async def log_in(pilot, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    screen.query_one("#login-username").value = username
    screen.query_one("#login-password").value = password
    await pilot.click("#login-button")
    await settle(pilot, lambda: not screen.busy)


def message(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#login-message", Static).render().plain


async def test_login_wrong_password_then_lockout(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    password = give_console_password(seeded_sqlite, "casey.csr")
    app = console_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, LoginScreen))
        for _ in range(seeded_sqlite.settings.console_lockout_threshold):
            await log_in(pilot, "casey.csr", "wrong-" + secrets.token_hex(4))
            assert "incorrect" in message(app)
        await log_in(pilot, "casey.csr", password)  # locked now: the right password fails too
        assert isinstance(app.screen, LoginScreen) and "locked" in message(app)
        assert password not in message(app)


async def test_login_opens_the_main_screen(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    password = give_console_password(seeded_sqlite, "sam.supervisor")
    app = console_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, LoginScreen))
        await log_in(pilot, "sam.supervisor", password)
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.actor.label == "sam.supervisor"


async def test_temporary_password_must_be_changed(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    temporary = give_console_password(seeded_sqlite, "ada.admin", must_change=True)
    app = console_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, LoginScreen))
        await log_in(pilot, "ada.admin", temporary)
        await settle(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        new = "N3w-" + secrets.token_urlsafe(12)
        app.screen.query_one("#new-password").value = new
        app.screen.query_one("#retype-password").value = new
        await pilot.click("#change")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
    assert seeded_sqlite.auth.login("ada.admin", new).must_change_password is False


async def test_idle_lock_asks_for_the_password_again(console_app, seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    password = give_console_password(seeded_sqlite, "tara.trainer")
    app = console_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_main(pilot)
        clock.advance(minutes=seeded_sqlite.settings.console_idle_minutes - 1)
        assert app.check_idle_lock() is False
        await pilot.press("down")  # activity restarts the idle time
        clock.advance(minutes=seeded_sqlite.settings.console_idle_minutes - 1)
        assert app.check_idle_lock() is False
        clock.advance(minutes=1)
        assert app.check_idle_lock() is True
        await settle(pilot, lambda: isinstance(app.screen, IdleLockScreen))
        await pilot.press("escape")  # not a dialog: escape does not unlock
        assert isinstance(app.screen, IdleLockScreen)
        app.screen.query_one("#unlock-password").value = "wrong-" + secrets.token_hex(4)
        await pilot.press("enter")
        await settle(pilot, lambda: not app.screen.busy)
        assert "stays locked" in app.screen.query_one("#unlock-message", Static).render().plain
        app.screen.query_one("#unlock-password").value = password
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.check_idle_lock() is False
