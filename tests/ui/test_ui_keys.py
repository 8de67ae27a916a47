"""Keys: README's table, help screen and command palette all come from the bindings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_ui_flow import open_main, pick_scope_and_open
from uikit import settle

from tuiconsole.ui.app import ConsoleApp
from tuiconsole.ui.keys import KEYS, keys_markdown
from tuiconsole.ui.screens.dialog import Dialog
from tuiconsole.ui.screens.goto_customer import GoToCustomerScreen
from tuiconsole.ui.screens.help import HelpScreen
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.customer_list import CustomerList

pytest_plugins = ("uifixtures",)  # the console_app fixture

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_keys_table() -> str:
    text = README.read_text(encoding="utf-8")
    assert "\n## Keys\n" in text, "README.md has no '## Keys' section"
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    return "".join(line + "\n" for line in section.splitlines() if line.startswith("|"))


def test_readme_keys_section_matches_the_bindings() -> None:
    assert readme_keys_table() == keys_markdown()


def test_every_key_is_bound_where_it_works() -> None:
    bound = {
        b.id
        for cls in (ConsoleApp, MainScreen, CustomerList, Dialog)
        for b in cls.BINDINGS  # type: ignore[attr-defined]
    }
    for spec in KEYS:
        if not spec.builtin:
            assert spec.id in bound, spec.id


async def test_help_lists_the_keys_of_the_screen(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_main(pilot)
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = app.export_screenshot().replace("&#160;", " ")
        for words in ("Scope", "Filter", "Edit", "Reset Password", "Quit", "ctrl+p"):
            assert words in shown, words
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_palette_go_to_customer(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "priya")
        await pilot.press("escape")  # leave the filter
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Go to customer")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, GoToCustomerScreen))
        await pilot.press(*"jdoe")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: screen.details.details is not None and screen.details.details.username == "jdoe")


async def test_palette_offers_the_screen_actions(console_app) -> None:  # type: ignore[no-untyped-def]
    from tuiconsole.ui.commands import ConsoleCommands

    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        provider = ConsoleCommands(screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Go to customer…" in names
        assert "Scope" in names and "Help" in names and "Quit" in names
        assert "OK" not in names  # not in edit mode: not offered


def test_config_error_is_one_line_and_exit_code_2(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tuiconsole.config import Settings
    from tuiconsole.ui.run import run_console

    with pytest.raises(SystemExit) as exit_info:
        run_console(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tuiconsole: ") and "Traceback" not in err
    assert sys.exc_info() == (None, None, None)
