"""Ask for a reason (Lock / Disable / Enable a customer): required, one line."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tuiconsole.resources import styles_dir


class AskReason(ModalScreen[str | None]):
    CSS_PATH = styles_dir() / "set_password.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]

    def __init__(self, title: str, *, required: bool = True, placeholder: str = "") -> None:
        super().__init__(classes="dialog-screen")  # centred over a dimmed screen (dialogs.tcss)
        self.title_text = title
        self.required = required
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-reset"):
            yield Static(Text(self.title_text, style="bold"))
            yield Label("Reason" + ("" if self.required else " (optional)"))
            yield Input(placeholder=self.placeholder, max_length=500, id="reason-input")
            yield Label("", id="reason-error", classes="field-error")
            with Horizontal(id="confirm-buttons"):
                yield Button("OK", variant="primary", id="reason-ok")
                yield Button("Cancel", id="reason-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#reason-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#reason-ok")
    def _ok(self) -> None:
        value = self.query_one(Input).value.strip()
        if self.required and not value:
            self.query_one("#reason-error", Label).update("Give a reason: it goes into the activity log.")
            return
        self.dismiss(value)
