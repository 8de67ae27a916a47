"""Open a reset link: paste the link (or just its token), choose a new password."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Input, Label

from tuiconsole.ui.portal.form import PortalForm
from tuiconsole.ui.portal.password_fields import PasswordFields


class ResetLinkForm(PortalForm):
    HEADING = "Reset your password"
    INTRO = "Paste the link from the email (or the token in it), then choose a new password."
    SUBMIT = "Set new password"

    def fields(self) -> Iterable[Widget]:
        yield Label("Reset link or token")
        yield Input(id="link", max_length=2048)
        yield PasswordFields(self.app.site, None)  # type: ignore[attr-defined]

    def submit(self) -> None:
        app = self.app
        pw = self.query_one(PasswordFields)
        app.call(  # type: ignore[attr-defined]
            app.services.portal.redeem_link,  # type: ignore[attr-defined]
            app.site,  # type: ignore[attr-defined]
            self.value("#link"),
            pw.new,
            pw.retype,
            done=self.done,
            failed=self.refused,
            owner=self,
        )

    def done(self, answer: str) -> None:
        self.busy = False
        self.query_one(PasswordFields).clear()
        self.clear("#link")
        self.say(answer)
