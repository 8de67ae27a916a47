"""The console login (SPEC §2): a wrong password counts; a temporary password must change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.views import LoginResult
from tuiconsole.ui.widgets.field import Field


class LoginScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__(id="login")
        self.busy = False

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static(f"{self.app.title} — console login", id="login-title")
            yield Field(placeholder="Username", id="login-username")
            yield Field(placeholder="Password", password=True, id="login-password")
            yield Button("Log in", id="login-button", variant="primary")
            yield Static(id="login-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#login-username", Field).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "login-username":
            self.query_one("#login-password", Field).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        username = self.query_one("#login-username", Field).value.strip()
        password = self.query_one("#login-password", Field).value
        if not username or not password:
            self.say("Enter your username and password.")
            return
        self.busy = True
        self.say("Checking…")
        app = self.app
        app.call_service(  # type: ignore[attr-defined]
            app.services.auth.login,  # type: ignore[attr-defined]
            username,
            password,
            done=lambda result: self._signed_in(result, password),
            failed=self._failed,
            owner=self,
            group="login",
        )

    def say(self, text: str) -> None:
        self.query_one("#login-message", Static).update(text)

    def _failed(self, error: TuiconsoleError) -> None:
        self.busy = False
        password = self.query_one("#login-password", Field)
        password.value = ""
        password.focus()
        self.say(error.message)

    def _signed_in(self, result: LoginResult, password: str) -> None:
        self.busy = False
        self.query_one("#login-password", Field).value = ""
        if result.must_change_password:
            from tuiconsole.ui.screens.change_password import ChangePasswordScreen

            self.app.push_screen(ChangePasswordScreen(result.actor, password), self._changed)
            return
        self.app.signed_in(result.actor)  # type: ignore[attr-defined]

    def _changed(self, result: LoginResult | None) -> None:
        if result is None:
            self.say("Your password must be changed before you can continue.")
            self.query_one("#login-password", Field).focus()
            return
        self.app.signed_in(result.actor)  # type: ignore[attr-defined]
