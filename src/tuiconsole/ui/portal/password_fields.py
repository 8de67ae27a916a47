"""New password + retype, with the live checklist and strength meter of the console's dialog."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static
from textual.worker import get_current_worker

from tuiconsole.domain.policy import PolicyReport, history_rule
from tuiconsole.ui.dialogs.set_password import checklist_text, strength_text


class PasswordFields(Vertical):
    """The checklist comes from services.portal.check_password: the site's own policy."""

    def __init__(self, site: str, username: str | None, *, id: str = "new-password-fields") -> None:
        super().__init__(id=id, classes="password-fields")
        self.site = site
        self.username = username or ""
        self._seq = 0

    def compose(self) -> ComposeResult:
        yield Label("New password")
        with Horizontal(classes="portal-row"):
            yield Input(password=True, id="new", max_length=1024)
            yield Button("Show", id="show", compact=True)
        yield Label("Retype password")
        yield Input(password=True, id="retype", max_length=1024)
        yield Static(id="checklist")
        yield Static(id="strength")

    def on_mount(self) -> None:
        for field in self.query(Input).results():
            field.cursor_blink = bool(getattr(self.app, "blink_cursor", True))
        self._check("", "")

    @property
    def new(self) -> str:
        return self.query_one("#new", Input).value

    @property
    def retype(self) -> str:
        return self.query_one("#retype", Input).value

    def clear(self) -> None:
        for field in self.query(Input).results():
            field.value = ""

    @on(Input.Changed, "#new, #retype")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(self.new, self.retype)

    @on(Button.Pressed, "#show")
    def _toggle_show(self, event: Button.Pressed) -> None:
        event.stop()
        fields = list(self.query(Input).results())
        hidden = not fields[0].password
        for field in fields:
            field.password = hidden
        event.button.label = "Show" if hidden else "Hide"

    def _check(self, password: str, retype: str) -> None:
        self._seq += 1
        seq = self._seq
        portal = self.app.services.portal  # type: ignore[attr-defined]

        def job() -> None:
            # zxcvbn and the site's options: off the UI thread, the newest keystroke wins.
            report = portal.check_password(self.site, self.username, password)
            history = portal.policy_for(self.site).history
            if history > 0:  # checked at OK, against the customer's previous passwords
                report = PolicyReport(rules=(*report.rules, history_rule(None, history)), strength=report.strength)
            matches = None if not retype else retype == password
            if not get_current_worker().is_cancelled:
                try:
                    self.app.call_from_thread(self._show, seq, report, matches, bool(password))
                except RuntimeError:
                    pass

        self.run_worker(job, thread=True, group="checklist", exclusive=True, exit_on_error=False)

    def _show(self, seq: int, report: PolicyReport, matches: bool | None, typed: bool) -> None:
        if seq != self._seq:
            return  # an older keystroke's answer
        self.query_one("#checklist", Static).update(checklist_text(report, matches))
        self.query_one("#strength", Static).update(strength_text(report) if typed else "Strength: —")

    def checklist_plain(self) -> str:
        return str(self.query_one("#checklist", Static).render())
