"""Forced change of a temporary console password, right after the login."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.auth import MIN_CONSOLE_PASSWORD
from tuiconsole.services.views import Actor, LoginResult
from tuiconsole.ui.screens.dialog import Dialog
from tuiconsole.ui.widgets.field import Field


class ChangePasswordScreen(Dialog[LoginResult]):
    def __init__(self, actor: Actor, current: str) -> None:
        super().__init__(classes="dialog-screen")
        self.actor = actor
        self._current = current  # kept only until the change is done

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog change-password"):
            yield Static("Choose a new password", classes="dialog-title")
            yield Static(
                f"Your password is temporary: choose your own (at least {MIN_CONSOLE_PASSWORD} characters)."
            )
            yield Field(placeholder="New password", password=True, id="new-password")
            yield Field(placeholder="Retype password", password=True, id="retype-password")
            yield Button("Change password", id="change", variant="primary")
            yield Static(id="change-message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#new-password", Field).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "new-password":
            self.query_one("#retype-password", Field).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        new = self.query_one("#new-password", Field).value
        retype = self.query_one("#retype-password", Field).value
        app = self.app
        app.call_service(  # type: ignore[attr-defined]
            app.services.auth.change_own_password,  # type: ignore[attr-defined]
            self.actor,
            self._current,
            new,
            retype,
            done=self._done,
            failed=self._failed,
            owner=self,
        )

    def _done(self, _: object) -> None:
        self._current = ""
        self.dismiss(LoginResult(actor=self.actor, must_change_password=False))

    def _failed(self, error: TuiconsoleError) -> None:
        self.query_one("#change-message", Static).update(error.message)
