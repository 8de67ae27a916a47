"""Caller verified by: asked before an email change is saved (SPEC §2 step 5)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuiconsole.ui.screens.dialog import Dialog

CHOICES = ("email on file", "security question", "call-back", "other")


class VerifiedByScreen(Dialog[str]):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog verified-by"):
            yield Static("Caller verified by", classes="dialog-title")
            yield Static("Changing the email needs a verified caller. Enter chooses, escape cancels.")
            yield OptionList(*(Option(c.capitalize(), id=c) for c in CHOICES), id="verified-by")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
