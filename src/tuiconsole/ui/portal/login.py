"""Log in: username + password; every failure gets the one answer (SPEC §3, §10.4)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Input, Label

from tuiconsole.ui.portal.form import PortalForm


class LoginForm(PortalForm):
    HEADING = "Log in"
    SUBMIT = "Log in"

    def fields(self) -> Iterable[Widget]:
        yield Label("Username")
        yield Input(id="username", max_length=200)
        yield Label("Password")
        yield Input(id="password", password=True, max_length=1024)

    def submit(self) -> None:
        app = self.app
        app.call(  # type: ignore[attr-defined]
            app.services.portal.login,  # type: ignore[attr-defined]
            app.site,  # type: ignore[attr-defined]
            self.value("#username"),
            self.value("#password"),
            done=self.done,
            failed=self.failed,
            owner=self,
        )

    def failed(self, error: object) -> None:
        self.clear("#password")
        self.query_one("#password", Input).focus()
        self.refused(error)  # type: ignore[arg-type]

    def done(self, session: object) -> None:
        self.busy = False
        self.clear("#password")
        app = self.app
        app.session = session  # type: ignore[attr-defined]
        if session.must_change_password:  # type: ignore[attr-defined]
            from tuiconsole.ui.portal.forced_change import ForcedChangeForm

            self.app.switch_screen(ForcedChangeForm())
            return
        app.go_home(f"Welcome back, {session.username}.")  # type: ignore[attr-defined]
