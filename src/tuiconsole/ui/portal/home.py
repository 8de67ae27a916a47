"""The portal's start page: what a customer can do on the site, logged in or not."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from tuiconsole.ui.format import inert


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("l", "open('login')", "Log in", id="portal.login"),
        Binding("f", "open('forgot')", "Forgot password", id="portal.forgot"),
        Binding("k", "open('reset')", "Reset link", id="portal.reset"),
        Binding("c", "open('change')", "Change password", id="portal.change"),
        Binding("m", "open('membership')", "Membership", id="portal.membership"),
        Binding("o", "logout", "Log out", id="portal.logout"),
    ]

    def __init__(self) -> None:
        super().__init__(id="portal-home")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="portal-box"):
            yield Static(id="who")
            yield Button("Log in", id="go-login", variant="primary")
            yield Button("Forgot your password?", id="go-forgot")
            yield Button("Reset with a link or token", id="go-reset")
            yield Button("Change password", id="go-change")
            yield Button("Log out", id="go-logout")
            yield Button("Check a membership password", id="go-membership")
            yield Static(id="home-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_state(None)

    def refresh_state(self, message: str | None, *, error: bool = False) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        signed_in = session is not None and not session.must_change_password
        who = (
            Text.assemble("Logged in as ", (inert(session.username), "bold"))
            if signed_in
            else Text("You are not logged in.")
        )
        self.query_one("#who", Static).update(who)
        for button_id, show in (
            ("go-login", not signed_in),
            ("go-forgot", not signed_in),
            ("go-reset", not signed_in),
            ("go-change", signed_in),
            ("go-logout", signed_in),
        ):
            self.query_one(f"#{button_id}", Button).display = show
        note = self.query_one("#home-message", Static)
        note.set_class(error, "error")
        note.set_class(not error, "ok")
        note.update(Text(message or ""))
        self.refresh_bindings()
        first = next(b for b in self.query(Button).results() if b.display)
        first.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.app.session  # type: ignore[attr-defined]
        signed_in = session is not None and not session.must_change_password
        if action == "logout" or parameters == ("change",):
            return signed_in
        if parameters in (("login",), ("forgot",), ("reset",)):
            return not signed_in
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        target = (event.button.id or "").removeprefix("go-")
        if target == "logout":
            self.action_logout()
        else:
            self.action_open(target)

    def action_logout(self) -> None:
        self.app.sign_out()  # type: ignore[attr-defined]

    def action_open(self, what: str) -> None:
        from tuiconsole.ui.portal.forms import FORMS

        self.app.push_screen(FORMS[what]())
