"""Membership password (Offers tab, `m`): set like the manual part of Set Customer Password.

Only offers with the Password custom field have one. Two masked fields, the live
checklist of the site's policy, *Caller verified by*; the typed password lives only
in the two Inputs and is dropped when the dialog closes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from tuiconsole.domain.errors import TuiconsoleError, ValidationError
from tuiconsole.domain.policy import PasswordPolicy, PersonalData, PolicyReport
from tuiconsole.services.views import ActionResult, Actor, CustomerDetails, MembershipView
from tuiconsole.ui.dialogs.set_password import checklist_text
from tuiconsole.ui.format import inert
from tuiconsole.ui.screens.dialog import Dialog

VERIFIED_CHOICES = ("email on file", "security question", "call-back", "other")


class MembershipPassword(Dialog[ActionResult]):
    """Returns the ActionResult, or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "ok", "OK", priority=True, id="membership_password.ok")]

    def __init__(self, services: Any, actor: Actor, details: CustomerDetails, membership: MembershipView) -> None:
        super().__init__(classes="dialog-screen")
        self.services = services
        self.actor = actor
        self.details = details
        self.membership = membership
        self.policy = PasswordPolicy.from_options(details.options.values)
        self.personal = PersonalData(
            username=details.username,
            email=details.email,
            first_name=details.first_name,
            last_name=details.last_name,
        )
        self._busy = False

    def compose(self) -> ComposeResult:
        d, m = self.details, self.membership
        with Vertical(classes="dialog membership-password"):
            title = Text("Membership password", style="bold")
            title.append(f" — {inert(m.offer_name)}")
            yield Static(title, classes="dialog-title")
            yield Static(Text(f"{inert(d.name)} ({inert(d.username)}) · {inert(d.site_name)}", style="dim"))
            yield Label("Type new password")
            yield Input(password=True, id="mp-password", max_length=1024)
            yield Label("", id="mp-password-error", classes="field-error")
            yield Label("Retype password")
            yield Input(password=True, id="mp-retype", max_length=1024)
            yield Label("", id="mp-retype-error", classes="field-error")
            yield Static(checklist_text(self._report(""), None), id="mp-checklist")
            yield Label("Caller verified by")
            yield Select([(c, c) for c in VERIFIED_CHOICES], prompt="Choose…", id="mp-verified")
            yield Label("", id="mp-verified-error", classes="field-error")
            yield Label("", id="mp-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK (ctrl+s)", variant="primary", id="mp-ok")
                yield Button("Cancel", id="mp-cancel")

    def on_mount(self) -> None:
        self.query_one("#mp-password", Input).focus()

    # --- live checklist ------------------------------------------------------

    def _report(self, password: str) -> PolicyReport:
        return self.policy.check(password, self.personal, with_strength=False)

    @on(Input.Changed, "#mp-password, #mp-retype")
    def _typed(self) -> None:
        self._clear_errors()
        self._check_live(self._value("#mp-password"), self._value("#mp-retype"))

    @work(thread=True, exclusive=True, group="checklist")
    def _check_live(self, password: str, retype: str) -> None:
        report = self._report(password)
        matches = None if not retype else retype == password
        self.app.call_from_thread(self._show_report, report, matches)

    def _show_report(self, report: PolicyReport, matches: bool | None) -> None:
        self.query_one("#mp-checklist", Static).update(checklist_text(report, matches))

    # --- OK / Cancel ---------------------------------------------------------

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _clear_errors(self) -> None:
        for label in self.query(".field-error").results(Label):
            label.update("")

    def _field_error(self, field: str | None, message: str) -> None:
        target = {"password": "password", "retype": "retype", "verified_by": "verified"}.get(field or "")
        self.query_one(f"#mp-{target}-error" if target else "#mp-error", Label).update(Text(message))
        if target:
            self.query_one(f"#mp-{target}").focus()

    @on(Button.Pressed, "#mp-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#mp-ok")
    def _ok_pressed(self) -> None:
        self.action_ok()

    def action_ok(self) -> None:
        if self._busy:
            return
        self._clear_errors()
        pw, retype = self._value("#mp-password"), self._value("#mp-retype")
        if not pw:
            self._field_error("password", "Type the new password.")
            return
        report = self._report(pw)
        if not report.ok:
            self._field_error("password", " ".join(r.message for r in report.failed))
            return
        if pw != retype:
            self._field_error("retype", "The two passwords don't match: type them again.")
            return
        verified = self.query_one("#mp-verified", Select).value
        if not isinstance(verified, str):
            self._field_error("verified_by", "Say how the caller was verified before setting a password.")
            return
        self._busy = True
        self.query_one("#mp-ok", Button).disabled = True
        self.app.call_service(  # type: ignore[attr-defined]
            self.services.offers.set_membership_password,
            self.actor,
            self.details.id,
            self.membership.id,
            pw,
            retype,
            verified_by=verified,
            done=self._applied,
            failed=self._refused,
            owner=self,
        )

    def _applied(self, result: ActionResult) -> None:
        for field in self.query(Input).results(Input):
            field.value = ""  # the typed secret goes before the screen does
        self.dismiss(result)

    def _refused(self, error: TuiconsoleError) -> None:
        self._busy = False
        self.query_one("#mp-ok", Button).disabled = False
        field = error.field if isinstance(error, ValidationError) else None
        self._field_error(field, error.message)
