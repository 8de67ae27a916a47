"""Change password while logged in: the current one, then the new one twice."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Input, Label

from tuiconsole.ui.portal.form import PortalForm
from tuiconsole.ui.portal.password_fields import PasswordFields


class ChangePasswordForm(PortalForm):
    HEADING = "Change password"
    SUBMIT = "Change password"

    def fields(self) -> Iterable[Widget]:
        session = self.app.session  # type: ignore[attr-defined]
        yield Label("Current password")
        yield Input(id="current", password=True, max_length=1024)
        yield PasswordFields(self.app.site, session.username if session else None)  # type: ignore[attr-defined]

    def submit(self) -> None:
        app = self.app
        session = app.session  # type: ignore[attr-defined]
        if session is None:
            self.refused_text("Log in first.")
            return
        pw = self.query_one(PasswordFields)
        app.call(  # type: ignore[attr-defined]
            app.services.portal.change_password,  # type: ignore[attr-defined]
            app.site,  # type: ignore[attr-defined]
            session.username,
            self.value("#current"),
            pw.new,
            pw.retype,
            done=self.done,
            failed=self.failed,
            owner=self,
        )

    def refused_text(self, text: str) -> None:
        self.busy = False
        self.say(text, error=True)

    def failed(self, error: object) -> None:
        self.clear("#current")
        self.refused(error)  # type: ignore[arg-type]

    def done(self, session: object) -> None:
        self.busy = False
        self.clear("#current")
        self.query_one(PasswordFields).clear()
        self.app.session = session  # type: ignore[attr-defined]
        self.app.go_home("Your password is changed.")  # type: ignore[attr-defined]
