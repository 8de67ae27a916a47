"""Administration → Password Reset Options: values with their origin, edit, reset, refusals."""

from __future__ import annotations

from screens_kit import cell_texts, opened, scope, screen_app, settle
from textual.widgets import Button, DataTable, Input, Label, Switch

from testkit import actor
from tuiconsole.domain.options import OPTION_NAMES
from tuiconsole.ui.screens.admin_options import ResetOptionsScreen
from tuiconsole.ui.screens.screen_dialogs import OptionEditor


def row(screen, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    return cell_texts(screen.query_one(DataTable))[OPTION_NAMES.index(name)]


async def open_editor(pilot, screen, name: str) -> OptionEditor:  # type: ignore[no-untyped-def]
    screen.query_one(DataTable).move_cursor(row=OPTION_NAMES.index(name), animate=False)
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, OptionEditor))
    editor = pilot.app.screen
    assert isinstance(editor, OptionEditor) and editor.spec.name == name
    return editor


def options_app(svc, clock, code: str = "acme-uk"):  # type: ignore[no-untyped-def]
    return screen_app(svc, clock, lambda: ResetOptionsScreen(scope(svc, code)), username="sam.supervisor")


async def test_table_shows_value_and_origin(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = options_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        assert row(screen, "min_length") == ["Minimum Length", "12", "set here"]
        assert row(screen, "temporary_by_default")[2] == "inherited from Acme Retail"
        assert row(screen, "reset_email_mode") == ["Reset Email Sends", "link", "default"]
        assert row(screen, "allow_manual_entry")[1] == "on"


async def test_edit_then_reset_to_inherited(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = options_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        editor = await open_editor(pilot, screen, "history")
        assert "previous passwords" in " ".join(str(s.render()) for s in editor.query("Static"))
        editor.query_one("#opt-value", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is screen and row(screen, "history")[1] == "5")
        assert row(screen, "history") == ["Password History", "5", "set here"]

        editor = await open_editor(pilot, screen, "history")
        await pilot.press("ctrl+r")  # Reset to inherited
        await settle(pilot, lambda: app.screen is screen and row(screen, "history")[2] == "default")
        assert row(screen, "history")[1] == "0"
    view = seeded_sqlite.scopes.options(actor(seeded_sqlite, "sam.supervisor"), scope(seeded_sqlite, "acme-uk").id)
    assert "history" not in view.set_here


async def test_switch_and_inherit_button_state(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = options_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        editor = await open_editor(pilot, screen, "include_username_in_email")
        assert editor.query_one("#inherit", Button).disabled  # nothing set here to reset
        assert editor.query_one("#opt-value", Switch).has_focus
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is screen)
        assert row(screen, "include_username_in_email")[1:] == ["on", "set here"]


async def test_refusals_show_next_to_the_field_and_change_nothing(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    app = options_app(seeded_sqlite, clock)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot)
        editor = await open_editor(pilot, screen, "min_length")
        editor.query_one("#opt-value", Input).value = "200"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        error = str(editor.query_one("#opt-value-error", Label).render())
        assert error == "Minimum Length must be a whole number from 4 to 128."
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)

        editor = await open_editor(pilot, screen, "max_length")
        editor.query_one("#opt-value", Input).value = "10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        error = str(editor.query_one("#opt-value-error", Label).render())
        assert error == "Minimum Length (12) cannot be more than Maximum Length (10)."
        editor.query_one("#opt-value", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Reset to inherited" in str(editor.query_one("#opt-value-error", Label).render())
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)
        assert row(screen, "max_length")[1:] == ["128", "default"]
