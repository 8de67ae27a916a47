"""Forgot your password? The same answer whether or not the username exists."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Input, Label

from tuiconsole.ui.portal.form import PortalForm


class ForgotForm(PortalForm):
    HEADING = "Forgot your password?"
    INTRO = "Enter your username: we email the address on file."
    SUBMIT = "Send"

    def fields(self) -> Iterable[Widget]:
        yield Label("Username")
        yield Input(id="username", max_length=200)

    def submit(self) -> None:
        app = self.app
        app.call(  # type: ignore[attr-defined]
            app.services.portal.forgot_password,  # type: ignore[attr-defined]
            app.site,  # type: ignore[attr-defined]
            self.value("#username"),
            done=self.done,
            failed=self.refused,
            owner=self,
        )

    def done(self, answer: str) -> None:
        self.busy = False
        self.say(answer)
