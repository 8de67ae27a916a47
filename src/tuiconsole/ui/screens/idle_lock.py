"""The idle lock: the console hides its data until the password is typed again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.views import Actor
from tuiconsole.ui.format import inert
from tuiconsole.ui.widgets.field import Field


class IdleLockScreen(Screen[None]):
    """Not a dialog: escape does not close it, and it covers everything below."""

    def __init__(self, actor: Actor) -> None:
        super().__init__(id="idle-lock")
        self.actor = actor
        self.busy = False

    def compose(self) -> ComposeResult:
        minutes = self.app.services.settings.console_idle_minutes  # type: ignore[attr-defined]
        with Center(), Vertical(id="lock-box"):
            yield Static("Console locked", id="lock-title")
            yield Static(
                f"Locked after {minutes} minutes without use. Signed in as {inert(self.actor.label)}.",
                markup=False,
            )
            yield Field(placeholder="Password", password=True, id="unlock-password")
            yield Button("Unlock", id="unlock-button", variant="primary")
            yield Static(id="unlock-message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#unlock-password", Field).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        field = self.query_one("#unlock-password", Field)
        password = field.value
        field.value = ""
        self.busy = True
        app = self.app
        app.call_service(  # type: ignore[attr-defined]
            app.services.auth.verify_for_unlock,  # type: ignore[attr-defined]
            self.actor,
            password,
            done=self._unlocked,
            failed=self._failed,
            owner=self,
        )

    def _unlocked(self, _: object) -> None:
        self.app.idle.touch()  # type: ignore[attr-defined]
        self.dismiss(None)

    def _failed(self, error: TuiconsoleError) -> None:
        self.busy = False
        self.query_one("#unlock-message", Static).update(error.message)
        self.query_one("#unlock-password", Field).focus()
