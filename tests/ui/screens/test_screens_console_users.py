"""Console users (admin): add, one-time password, reset password, disable/enable, unlock, role, scopes."""

from __future__ import annotations

import secrets

import pytest
from screens_kit import cell_texts, opened, screen_app, settle
from textual.widgets import DataTable, Input, Label, Select, Static

from tuiconsole.domain.errors import InvalidCredentials
from tuiconsole.ui.screens.confirm import ConfirmScreen
from tuiconsole.ui.screens.console_users import ConsoleUsersScreen
from tuiconsole.ui.screens.screen_dialogs import OTP_NOTICE, AddConsoleUser, ChoicePrompt, OneTimePassword, TextPrompt


def user_row(screen, username: str) -> list[str]:  # type: ignore[no-untyped-def]
    return next(r for r in cell_texts(screen.query_one(DataTable)) if r[0] == username)


async def select_user(pilot, screen, username: str) -> None:  # type: ignore[no-untyped-def]
    table = screen.query_one(DataTable)
    index = [r[0] for r in cell_texts(table)].index(username)
    table.move_cursor(row=index, animate=False)
    await pilot.pause()


async def take_password(pilot) -> str:  # type: ignore[no-untyped-def]
    """The one-time password from its dialog, then close it (enter)."""
    await settle(pilot, lambda: isinstance(pilot.app.screen, OneTimePassword))
    dialog = pilot.app.screen
    texts = [str(w.render()) for w in dialog.query(Static)]
    assert OTP_NOTICE in texts
    password = str(dialog.query_one("#otp-value", Static).render()).strip()
    assert len(password) >= 12
    await pilot.press("enter")
    await settle(pilot, lambda: not isinstance(pilot.app.screen, OneTimePassword))
    return password


def users_app(svc, clock):  # type: ignore[no-untyped-def]
    return screen_app(svc, clock, ConsoleUsersScreen, username="ada.admin")


async def test_add_user_shows_the_password_once(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = users_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, AddConsoleUser))
        dialog = app.screen
        await pilot.press(*"jo.smith")
        dialog.query_one("#display_name", Input).value = "Jo [bold]Smith[/]"
        dialog.query_one("#role", Select).value = "supervisor"
        dialog.query_one("#scopes", Input).value = "acme, globex-de"
        await pilot.press("ctrl+s")
        password = await take_password(pilot)
        assert app.screen is screen
        await settle(pilot, lambda: any(r[0] == "jo.smith" for r in cell_texts(screen.query_one(DataTable))))
        row = user_row(screen, "jo.smith")
        assert row[1:4] == ["Jo [bold]Smith[/]", "supervisor", "active, must change password"]
        assert row[5] == "acme, globex-de"
        # Nowhere else on screen once the dialog closed.
        assert all(password not in str(w.render()) for w in screen.query(Static))
    assert seeded_sqlite.auth.login("jo.smith", password).must_change_password


async def test_add_user_refusals_show_next_to_the_field(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = users_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened(pilot)
        await pilot.press("a")
        await settle(pilot, lambda: isinstance(app.screen, AddConsoleUser))
        dialog = app.screen
        await pilot.press("ctrl+s")
        assert "username is required" in str(dialog.query_one("#username-error", Label).render())
        dialog.query_one("#username", Input).value = "Bad Name!"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not a valid console username" in str(dialog.query_one("#username-error", Label).render())
        dialog.query_one("#username", Input).value = "jo.smith"
        dialog.query_one("#scopes", Input).value = "acme, no-such-scope"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(dialog.query_one("#scopes-error", Label).render()) == "Unknown scope 'no-such-scope'."
        assert str(dialog.query_one("#username-error", Label).render()) == ""
        assert app.screen is dialog
    ada = seeded_sqlite.auth.demo_login("ada.admin").actor
    assert "jo.smith" not in [u.username for u in seeded_sqlite.admin.list_users(ada)]


async def test_reset_password_then_disable_and_enable(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = users_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        await select_user(pilot, screen, "casey.csr")
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        password = await take_password(pilot)
        assert seeded_sqlite.auth.login("casey.csr", password).must_change_password

        await select_user(pilot, screen, "casey.csr")
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        prompt = app.screen
        await pilot.press("ctrl+s")
        assert "required" in str(prompt.query_one("#sd-error", Label).render())
        await pilot.press(*"left the team")
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is screen and user_row(screen, "casey.csr")[3].startswith("disabled"))
        with pytest.raises(InvalidCredentials):
            seeded_sqlite.auth.login("casey.csr", password)

        await select_user(pilot, screen, "casey.csr")
        await pilot.press("d")  # a disabled user: enable, no question
        await settle(pilot, lambda: user_row(screen, "casey.csr")[3].startswith("active"))


async def test_an_admin_cannot_disable_themself(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = users_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        await select_user(pilot, screen, "ada.admin")
        await pilot.press("d")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"testing", "enter")
        await settle(pilot)
        assert "can't disable yourself" in str(app.screen.query_one("#sd-error", Label).render())
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)
        assert user_row(screen, "ada.admin")[3] == "active"


async def test_unlock_a_locked_console_user(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    wrong = "Wrong-" + secrets.token_urlsafe(8)
    for _ in range(seeded_sqlite.settings.console_lockout_threshold):
        with pytest.raises(InvalidCredentials):
            seeded_sqlite.auth.login("sam.supervisor", wrong)
    app = users_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        assert user_row(screen, "sam.supervisor")[4] == "locked"
        await select_user(pilot, screen, "tara.trainer")
        assert screen.check_action("unlock", ()) is None  # not locked: nothing to unlock
        await select_user(pilot, screen, "sam.supervisor")
        assert screen.check_action("unlock", ()) is True
        await pilot.press("u")
        await settle(pilot, lambda: user_row(screen, "sam.supervisor")[4] == "no")


async def test_change_role_and_scopes(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = users_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        await select_user(pilot, screen, "casey.csr")
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, ChoicePrompt))
        app.screen.query_one("#choice-value", Select).value = "supervisor"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is screen and user_row(screen, "casey.csr")[2] == "supervisor")

        await select_user(pilot, screen, "casey.csr")
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        prompt = app.screen
        field = prompt.query_one("#prompt-value", Input)
        assert field.value == "acme"
        field.value = "acme, nowhere"
        await pilot.press("enter")
        await settle(pilot)
        assert str(prompt.query_one("#sd-error", Label).render()) == "Unknown scope 'nowhere'."
        field.value = "acme, globex"
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is screen and user_row(screen, "casey.csr")[5] == "acme, globex")
