"""What an external platform (a WordPress site) does: check a membership password."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget
from textual.widgets import Input, Label

from tuiconsole.ui.portal.form import PortalForm

ACCEPTED = "Accepted: the membership password is right."
REFUSED = "Refused: wrong username, offer or password, or the account is locked."


class MembershipForm(PortalForm):
    HEADING = "Check a membership password"
    INTRO = "What an external platform asks the service: username, offer code and membership password."
    SUBMIT = "Check"

    def fields(self) -> Iterable[Widget]:
        session = self.app.session  # type: ignore[attr-defined]
        yield Label("Username")
        yield Input(session.username if session else "", id="username", max_length=200)
        yield Label("Offer code (e.g. acme-academy)")
        yield Input(id="offer", max_length=200)
        yield Label("Membership password")
        yield Input(id="password", password=True, max_length=1024)

    def submit(self) -> None:
        app = self.app
        app.call(  # type: ignore[attr-defined]
            app.services.portal.check_membership_password,  # type: ignore[attr-defined]
            app.site,  # type: ignore[attr-defined]
            self.value("#username"),
            self.value("#offer").strip(),
            self.value("#password"),
            done=self.done,
            failed=self.refused,
            owner=self,
        )

    def done(self, accepted: bool) -> None:
        self.busy = False
        self.clear("#password")
        self.say(ACCEPTED if accepted else REFUSED, error=not accepted)
