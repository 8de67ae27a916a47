"""The Last action box (SPEC §2 step 7): what happened, the email's delivery, the line to read.

It stays on the Account tab after the dialog closes, until another customer is
opened or another action is taken. The details panel owns the state (`LastAction`)
and polls the email while it is on its way; the box only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tuiconsole.services.views import ActionResult, EmailView
from tuiconsole.ui.format import inert, when

ON_ITS_WAY = ("queued", "sending")
STATUS_WORDS = {
    "queued": "queued",
    "sending": "sending…",
    "sent": "sent",
    "failed": "failed",
}
STATUS_STYLE = {"queued": "yellow", "sending": "yellow", "sent": "green", "failed": "bold red"}


@dataclass(frozen=True)
class LastAction:
    """The last action on the open customer and, when it queued one, its email."""

    result: ActionResult
    email: EmailView | None = None

    @property
    def customer_id(self) -> int | None:
        return self.result.customer_id

    @property
    def email_id(self) -> int | None:
        return self.email.id if self.email is not None else self.result.email_id

    @property
    def email_status(self) -> str | None:
        return self.email.status if self.email is not None else self.result.email_status

    @property
    def waiting(self) -> bool:
        """The email is still on its way: worth looking again in a few seconds."""
        return self.email_id is not None and self.email_status in ON_ITS_WAY

    @property
    def failed(self) -> bool:
        return self.email_id is not None and self.email_status == "failed"

    def with_email(self, email: EmailView | None) -> LastAction:
        return replace(self, email=email) if email is not None else self


def last_action_title(last: LastAction) -> str:
    at = last.result.at
    return "Last action" + (f" · {when(at)} UTC" if at is not None else "")


def last_action_text(last: LastAction) -> Text:
    r = last.result
    text = Text(inert(r.summary), style="bold")
    if last.email_id is not None:
        status = last.email_status or "queued"
        text.append("\nEmail: ")
        text.append(STATUS_WORDS.get(status, status), style=STATUS_STYLE.get(status, ""))
        if last.email is not None and last.email.sent_at is not None and status == "sent":
            text.append(f" at {when(last.email.sent_at)} UTC", style="dim")
        if status == "failed" and last.email is not None and last.email.last_error:
            text.append(" — ")
            text.append(inert(last.email.last_error))
    if r.read_to_customer:
        text.append("\nRead to the customer: ", style="bold")
        text.append("“")
        text.append(inert(r.read_to_customer), style="italic")
        text.append("”")
    return text


class LastActionBox(Vertical):
    """Hidden until an action was taken on the open customer."""

    def __init__(self, *, id: str) -> None:  # noqa: A002 - Textual's word
        super().__init__(id=id, classes="last-action")
        self.last: LastAction | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="last-action-text")
        with Horizontal(classes="last-action-buttons"):
            yield Button("Retry (t)", classes="last-action-retry", compact=True, variant="warning")

    def on_mount(self) -> None:
        self.show(None)

    def show(self, last: LastAction | None) -> None:
        self.last = last
        self.display = last is not None
        if last is None:
            return
        self.border_title = last_action_title(last)
        self.query_one(".last-action-text", Static).update(last_action_text(last))
        self.query_one(".last-action-buttons").display = last.failed

    def plain_text(self) -> str:
        if self.last is None:
            return ""
        return f"{last_action_title(self.last)}\n{last_action_text(self.last).plain}"
