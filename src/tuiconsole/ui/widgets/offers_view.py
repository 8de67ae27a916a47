"""The Offers tab's text: the customer's memberships and what can be done with each."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from tuiconsole.services.views import MembershipView
from tuiconsole.ui.format import inert, when

OWN_PASSWORD = "The customer changes their own password on the website."


def membership_option(m: MembershipView) -> Option:
    label = Text()
    label.append(inert(m.offer_name), style="bold")
    label.append(f"  {inert(m.status)} · granted {when(m.granted_at)}")
    if m.has_password_field:
        label.append(" · membership password ", style="dim")
        label.append("set" if m.has_membership_password else "not set", style="dim")
    return Option(label, id=f"membership-{m.id}")


def membership_note(m: MembershipView | None) -> Text:
    """Under the list: what the selected membership allows."""
    if m is None:
        return Text("No memberships: Grant offer (g) adds one.", style="dim")
    text = Text()
    text.append(inert(m.offer_name), style="bold")
    text.append(": ")
    if m.has_password_field:
        text.append("has a membership password (Password field) — Membership password (m) sets it.")
    else:
        text.append(OWN_PASSWORD)
    text.append("\nResend credentials (c) sends the welcome email again.", style="dim")
    return text
