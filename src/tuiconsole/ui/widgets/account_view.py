"""The Account tab's text: status, lock banner, password and the pending reset ticket."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tuiconsole.services.views import CustomerDetails
from tuiconsole.ui.format import inert, plain, when

TICKET_KINDS = {"link": "reset link", "temporary_password": "emailed temporary password"}


def lock_banner(d: CustomerDetails) -> Text | None:
    """The red line above the account facts, or None when the account is usable."""
    if d.status == "disabled":
        text = Text("Disabled: ", style="bold")
        text.append_text(plain(d.status_reason, empty="no reason given"))
        return text
    if not d.is_locked:
        return None
    if d.lock_kind == "staff":
        text = Text("Locked by staff: ", style="bold")
        text.append_text(plain(d.lock_reason, empty="no reason given"))
        text.append(f" — by {inert(d.locked_by, 'staff')} at {when(d.locked_at)}")
        text.append(" (only a supervisor's Unlock lifts it)")
        return text
    text = Text("Locked: ", style="bold")
    text.append_text(plain(d.lock_reason, empty="too many failed logins"))
    text.append(f" at {when(d.locked_at)}")
    if d.auto_unlock_at is not None:
        text.append(f" — unlocks by itself at {when(d.auto_unlock_at)}")
    else:
        text.append(" — until unlocked or reset")
    return text


def _status(d: CustomerDetails) -> str:
    if d.status == "locked":
        return "locked (by staff)" if d.lock_kind == "staff" else "locked (failed logins)"
    return d.status


def _temporary(d: CustomerDetails) -> str:
    if not d.password_set:
        return "no password set"
    if d.password_temporary:
        return f"yes, until {when(d.password_expires_at)} (must be changed at next login)"
    return "must be changed at next login" if d.must_change_password else "no"


def _ticket(d: CustomerDetails) -> Text:
    t = d.pending_ticket
    if t is None:
        return Text("none")
    text = Text(TICKET_KINDS.get(t.kind, t.kind))
    text.append(f", issued {when(t.created_at)} by ")
    text.append(inert(t.created_by))
    text.append(f", expires {when(t.expires_at)}")
    return text


def account_facts(d: CustomerDetails) -> Group:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("Username", plain(d.username))
    table.add_row("Status", _status(d))
    table.add_row("Failed logins", str(d.failed_login_count))
    table.add_row("Last login", when(d.last_login_at))
    table.add_row("Password set", when(d.password_changed_at))
    table.add_row("Temporary", _temporary(d))
    table.add_row("Pending reset", _ticket(d))
    parts: list[object] = [table]
    if d.unlocks_on_ticket_use:
        parts.append(Text("Unlocks when the customer uses the reset email.", style="italic"))
    return Group(*parts)  # type: ignore[arg-type]
