"""Right after logging in with a temporary password: a new one before anything else."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from tuiconsole.ui.portal.form import PortalForm
from tuiconsole.ui.portal.password_fields import PasswordFields


class ForcedChangeForm(PortalForm):
    HEADING = "Choose a new password"
    SUBMIT = "Change password"

    def fields(self) -> Iterable[Widget]:
        session = self.app.session  # type: ignore[attr-defined]
        yield Static(Text(session.reason or "Choose a new password before you continue."), id="reason")
        yield PasswordFields(self.app.site, session.username)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        # Leaving without a new password is logging out: nothing else is allowed.
        self.app.session = None  # type: ignore[attr-defined]
        self.app.go_home(  # type: ignore[attr-defined]
            "You are logged out: your password must be changed before you can continue.", error=True
        )

    def submit(self) -> None:
        app = self.app
        pw = self.query_one(PasswordFields)
        app.call(  # type: ignore[attr-defined]
            app.services.portal.complete_forced_change,  # type: ignore[attr-defined]
            app.session,  # type: ignore[attr-defined]
            pw.new,
            pw.retype,
            done=self.done,
            failed=self.refused,
            owner=self,
        )

    def done(self, session: object) -> None:
        self.busy = False
        self.query_one(PasswordFields).clear()
        self.app.session = session  # type: ignore[attr-defined]
        self.app.go_home("Your password is changed. You are logged in.")  # type: ignore[attr-defined]
