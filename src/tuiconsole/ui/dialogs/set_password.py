"""The Set Customer Password dialog (SPEC §2 step 6).

Two options: send the Reset Password email (a ticket of the scope's mode), or type
a new password (only where the scope allows manual entry). The typed password
lives only in the two Input widgets and is dropped when the dialog closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from tuiconsole.domain.errors import TuiconsoleError, ValidationError
from tuiconsole.domain.masking import mask_email
from tuiconsole.domain.policy import PasswordPolicy, PersonalData, PolicyReport, history_rule
from tuiconsole.resources import styles_dir
from tuiconsole.services.views import ActionResult, Actor, CustomerDetails
from tuiconsole.ui.dialogs.confirm_reset import ConfirmReset
from tuiconsole.ui.format import inert, when

VERIFIED_CHOICES = ("email on file", "security question", "call-back", "other", "not verified")
STRENGTH_BAR = 10


@dataclass(frozen=True)
class DialogState:
    """Why each option is or isn't available, decided once from the details."""

    can_reset: bool
    refusal: str | None
    email_ok: bool
    email_reason: str | None
    manual_ok: bool
    manual_reason: str | None


def dialog_state(d: CustomerDetails) -> DialogState:
    refusal = None
    if d.status == "disabled":
        refusal = "This customer is disabled" + (f": {d.status_reason}" if d.status_reason else "") + (
            ". A supervisor must enable the account before any reset."
        )
    elif d.lock_kind == "staff":
        refusal = "This customer is locked by staff" + (f": {d.lock_reason}" if d.lock_reason else "") + (
            ". Only a supervisor's Unlock lifts it."
        )
    email_reason = None if d.email else "This customer has no email address on file."
    manual_reason = (
        None
        if d.options.values.allow_manual_entry
        else "Manual entry is off for this site (Password Reset Options → Allow Manual Entry)."
    )
    return DialogState(
        can_reset=refusal is None,
        refusal=refusal,
        email_ok=refusal is None and d.email is not None,
        email_reason=email_reason,
        manual_ok=refusal is None and manual_reason is None,
        manual_reason=manual_reason,
    )


def checklist_text(report: PolicyReport, matches: bool | None) -> Text:
    out = Text()
    for rule in report.rules:
        mark, style = ("✓", "green") if rule.met else (("·", "dim") if rule.met is None else ("✗", "red"))
        out.append(f" {mark} ", style=style)
        out.append(rule.label + "\n", style="" if rule.met else style)
    if matches is not None:
        mark, style = ("✓", "green") if matches else ("✗", "red")
        out.append(f" {mark} ", style=style)
        out.append("Both fields match\n", style="" if matches else style)
    return out


def strength_text(report: PolicyReport) -> Text:
    s = report.strength
    if s is None:
        return Text("Strength: —", style="dim")
    filled = round((s.score + 1) / 5 * STRENGTH_BAR)
    colour = ("red", "red", "yellow", "green", "green")[s.score]
    out = Text("Strength: ")
    out.append("█" * filled, style=colour)
    out.append("░" * (STRENGTH_BAR - filled), style="dim")
    out.append(f" {s.label}")
    if s.crack_time:
        out.append(f" — guessed in {s.crack_time}", style="dim")
    return out


class SetCustomerPassword(ModalScreen[ActionResult | None]):
    """Returns the ActionResult of the reset, or None when cancelled."""

    CSS_PATH = styles_dir() / "set_password.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="set_password.cancel"),
        Binding("ctrl+s", "ok", "OK", priority=True, id="set_password.ok"),
        Binding("ctrl+g", "generate", "Generate", priority=True, id="set_password.generate"),
    ]

    def __init__(self, services: Any, actor: Actor, details: CustomerDetails) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.details = details
        self.state = dialog_state(details)
        opts = details.options.values
        self.policy = PasswordPolicy.from_options(opts)
        self.personal = PersonalData(
            username=details.username, email=details.email, first_name=details.first_name, last_name=details.last_name
        )
        self._generated: str | None = None
        self._copied = False
        self._busy = False

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        d, st, opts = self.details, self.state, self.details.options.values
        with Vertical(id="set-password"):
            title = Text("Set Customer Password", style="bold")
            title.append(f" — {inert(d.name)} ({inert(d.username)})")
            yield Static(title, id="sp-title")
            yield Static(Text(f"{inert(d.site_name)} — {inert(d.scope_path)}", style="dim"), id="sp-scope")
            if st.refusal:
                yield Static(Text(st.refusal), id="sp-refusal", classes="refusal")
            if d.recent_reset_email_at is not None:
                yield Static(
                    Text(
                        f"A reset email already went to this customer at {when(d.recent_reset_email_at)} UTC: "
                        "ask them to check their inbox and spam folder before sending another."
                    ),
                    id="sp-recent",
                    classes="warning",
                )
            with VerticalScroll(id="sp-body"):
                with RadioSet(id="sp-mode"):
                    yield RadioButton(
                        "Send Reset Password email to customer",
                        value=st.email_ok or not st.manual_ok,
                        disabled=not st.email_ok,
                        id="sp-mode-email",
                    )
                    yield RadioButton(
                        "Type new password",
                        value=not st.email_ok and st.manual_ok,
                        disabled=not st.manual_ok,
                        id="sp-mode-manual",
                    )
                yield Static(self._email_hint(), id="sp-email-hint", classes="hint")
                if st.manual_reason and st.can_reset:
                    yield Static(Text(st.manual_reason), id="sp-manual-reason", classes="hint")
                with Vertical(id="sp-manual"):
                    yield Label("Type new password", id="sp-pw-label")
                    with Horizontal(classes="sp-row"):
                        yield Input(password=True, id="sp-password", max_length=1024)
                        yield Button("Show", id="sp-show", compact=True)
                    yield Label("", id="sp-password-error", classes="field-error")
                    yield Label("Retype password")
                    yield Input(password=True, id="sp-retype", max_length=1024)
                    yield Label("", id="sp-retype-error", classes="field-error")
                    yield Static(checklist_text(self._report(""), None), id="sp-checklist")
                    yield Static(Text("Strength: —", style="dim"), id="sp-strength")
                    with Horizontal(classes="sp-row"):
                        yield Button("Generate (ctrl+g)", id="sp-generate", compact=True)
                        yield Button("Copy once", id="sp-copy", compact=True, disabled=True)
                    with Horizontal(classes="sp-row"):
                        yield Checkbox("Temporary password", value=opts.temporary_by_default, id="sp-temporary")
                        always = opts.notify_on_change == "always"
                        yield Checkbox(
                            "Notify customer" + (" (always, set by the site)" if always else ""),
                            value=True,
                            disabled=always or not d.email,
                            id="sp-notify",
                        )
                yield Label("Caller verified by")
                yield Select(
                    [(c, c) for c in VERIFIED_CHOICES],
                    prompt="Choose…",
                    id="sp-verified",
                    allow_blank=True,
                )
                yield Label("", id="sp-verified-error", classes="field-error")
            yield Label("", id="sp-error", classes="error")
            with Horizontal(id="sp-buttons"):
                yield Button("OK", variant="primary", id="sp-ok", disabled=not st.can_reset)
                yield Button("Cancel", id="sp-cancel")

    def _email_hint(self) -> Text:
        d, opts = self.details, self.details.options.values
        if not d.email:
            return Text(self.state.email_reason or "", style="yellow")
        what = "a temporary password" if opts.reset_email_mode == "temporary_password" else "a reset link"
        text = f"Sends {what} to {mask_email(d.email)}; the current password keeps working until it is used."
        if d.status == "locked" and d.lock_kind == "failed_logins":
            text += " The lock lifts when the customer uses the reset email."
        return Text(text, style="dim")

    def on_mount(self) -> None:
        self._sync_mode()
        self.query_one(RadioSet).focus()

    # --- mode ---------------------------------------------------------------

    @property
    def manual(self) -> bool:
        return self.query_one("#sp-mode-manual", RadioButton).value

    def _sync_mode(self) -> None:
        manual = self.manual
        box = self.query_one("#sp-manual")
        box.display = manual
        self.query_one("#sp-email-hint").display = not manual

    @on(RadioSet.Changed, "#sp-mode")
    def _mode_changed(self) -> None:
        self._sync_mode()
        self._clear_errors()

    # --- live checklist ------------------------------------------------------

    def _report(self, password: str) -> PolicyReport:
        report = self.policy.check(password, self.personal, with_strength=bool(password))
        if self.details.options.values.history > 0:
            report = PolicyReport(
                rules=(*report.rules, history_rule(None, self.details.options.values.history)),
                strength=report.strength,
            )
        return report

    @on(Input.Changed, "#sp-password, #sp-retype")
    def _typed(self) -> None:
        self._clear_errors()
        self._check_live(self.query_one("#sp-password", Input).value, self.query_one("#sp-retype", Input).value)

    @work(thread=True, exclusive=True, group="checklist")
    def _check_live(self, password: str, retype: str) -> None:
        # zxcvbn can take tens of milliseconds: off the UI thread, newest wins.
        report = self._report(password)
        matches = None if not retype else retype == password
        self.app.call_from_thread(self._show_report, report, matches)

    def _show_report(self, report: PolicyReport, matches: bool | None) -> None:
        self.query_one("#sp-checklist", Static).update(checklist_text(report, matches))
        self.query_one("#sp-strength", Static).update(strength_text(report))

    @on(Button.Pressed, "#sp-show")
    def _toggle_show(self) -> None:
        for field in self.query("#sp-password, #sp-retype").results(Input):
            field.password = not field.password
        shown = not self.query_one("#sp-password", Input).password
        self.query_one("#sp-show", Button).label = "Hide" if shown else "Show"

    # --- generate -----------------------------------------------------------

    def action_generate(self) -> None:
        if not self.state.manual_ok:
            self.notify(self.state.manual_reason or self.state.refusal or "", severity="warning")
            return
        self.query_one("#sp-mode-manual", RadioButton).value = True
        self._sync_mode()
        from tuiconsole.domain.policy import generate_password

        pw = generate_password(self.details.options.values, self.personal)
        self._generated = pw
        self._copied = False
        self.query_one("#sp-password", Input).value = pw
        self.query_one("#sp-retype", Input).value = pw
        copy = self.query_one("#sp-copy", Button)
        copy.disabled = False
        copy.label = "Copy once"
        self.notify("A compliant password was generated: copy it once, or show it to read it out.")

    @on(Button.Pressed, "#sp-generate")
    def _generate_pressed(self) -> None:
        self.action_generate()

    @on(Button.Pressed, "#sp-copy")
    def _copy(self) -> None:
        if self._generated is None or self._copied:
            return
        self.app.copy_to_clipboard(self._generated)
        self._copied = True
        button = self.query_one("#sp-copy", Button)
        button.disabled = True
        button.label = "Copied"
        self.app.call_service(  # type: ignore[attr-defined]
            self.services.resets.record_copy, self.actor, self.details.id, done=lambda _: None
        )

    # --- OK / Cancel ------------------------------------------------------

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#sp-cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#sp-ok")
    def _ok_pressed(self) -> None:
        self.action_ok()

    def _verified(self) -> str | None:
        value = self.query_one("#sp-verified", Select).value
        return value if isinstance(value, str) else None

    def _clear_errors(self) -> None:
        for label in self.query(".field-error, #sp-error").results(Label):
            label.update("")

    def _field_error(self, field: str | None, message: str) -> None:
        target = {
            "password": "#sp-password-error",
            "retype": "#sp-retype-error",
            "verified_by": "#sp-verified-error",
        }.get(field or "", "#sp-error")
        self.query_one(target, Label).update(Text(message))
        if target == "#sp-password-error":
            self.query_one("#sp-password", Input).focus()
        elif target == "#sp-retype-error":
            self.query_one("#sp-retype", Input).focus()
        elif target == "#sp-verified-error":
            self.query_one("#sp-verified", Select).focus()

    def action_ok(self) -> None:
        if self._busy or not self.state.can_reset:
            if self.state.refusal:
                self._field_error(None, self.state.refusal)
            return
        self._clear_errors()
        verified = self._verified()
        if self.manual:
            pw = self.query_one("#sp-password", Input).value
            retype = self.query_one("#sp-retype", Input).value
            report = self._report(pw)
            if not pw:
                self._field_error("password", "Type the new password.")
                return
            if not report.ok:
                self._field_error("password", " ".join(r.message for r in report.failed))
                return
            if pw != retype:
                self._field_error("retype", "The two passwords don't match: type them again.")
                return
            if verified is None or verified == "not verified":
                self._field_error("verified_by", "Say how the caller was verified before setting a password.")
                return
        else:
            if not self.state.email_ok:
                self._field_error(None, self.state.email_reason or "The email option is not available.")
                return
            verified = verified or "not verified"
        d = self.details
        question = f"Reset the password of {inert(d.name)} ({inert(d.username)}) on {inert(d.site_name)}?"
        self.app.push_screen(ConfirmReset(question), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        self._busy = True
        self.query_one("#sp-ok", Button).disabled = True
        resets = self.services.resets
        if self.manual:
            call = (
                resets.set_password,
                self.actor,
                self.details.id,
                self.query_one("#sp-password", Input).value,
                self.query_one("#sp-retype", Input).value,
            )
            kwargs: dict[str, Any] = {
                "temporary": self.query_one("#sp-temporary", Checkbox).value,
                "notify": self.query_one("#sp-notify", Checkbox).value,
                "verified_by": self._verified(),
            }
        else:
            call = (resets.send_reset_email, self.actor, self.details.id)
            kwargs = {"verified_by": self._verified() or "not verified"}
        self.app.call_service(  # type: ignore[attr-defined]
            *call, done=self._applied, failed=self._refused, owner=self, **kwargs
        )

    def _applied(self, result: ActionResult) -> None:
        # Drop the typed secret before anything else sees the screen again.
        for field in self.query("#sp-password, #sp-retype").results(Input):
            field.value = ""
        self._generated = None
        self.dismiss(result)

    def _refused(self, error: TuiconsoleError) -> None:
        self._busy = False
        self.query_one("#sp-ok", Button).disabled = False
        field = error.field if isinstance(error, ValidationError) else None
        self._field_error(field, error.message)
