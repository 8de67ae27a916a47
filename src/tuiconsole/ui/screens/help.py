"""Help (`?`, `f1`): every key of the screen it was opened from, from the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tuiconsole.ui.screen_keys import screen_keys
from tuiconsole.ui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    def __init__(self, of_screen: Screen[object]) -> None:
        super().__init__(classes="dialog-screen")
        self.of_screen = of_screen

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim")
        for key in screen_keys(self.of_screen):
            table.add_row(key.keys, key.description, key.where)
        with Vertical(classes="dialog help"):
            yield Static("Keys of this screen", classes="dialog-title")
            with VerticalScroll():
                yield Static(table)
            yield Static(Text("escape closes · ctrl+p: every action by name"), classes="dialog-hint")
