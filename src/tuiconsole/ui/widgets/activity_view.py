"""The Activity tab's entries: the customer's events and emails, newest first.

Each email shows its delivery status; a failed one can be retried right there
(its option id says which email it is).
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets.option_list import Option

from tuiconsole.services.views import ActivityView, EmailView
from tuiconsole.ui.format import inert, when

EMAIL_PREFIX = "email-"


def email_id_of(option_id: str | None) -> int | None:
    if option_id and option_id.startswith(EMAIL_PREFIX):
        return int(option_id.removeprefix(EMAIL_PREFIX))
    return None


def _event_line(ev: ActivityView) -> Text:
    line = Text(f"{when(ev.at)}  ")
    line.append(inert(ev.summary))
    return line


def _email_line(em: EmailView) -> Text:
    line = Text(f"{when(em.created_at)}  email ")
    line.append(inert(em.template.replace("_", " ")))
    line.append(" to ")
    line.append(inert(em.to_address))
    line.append(f" — {em.status}", style="bold red" if em.status == "failed" else "bold")
    if em.status == "failed":
        if em.last_error:
            line.append(" (")
            line.append(inert(em.last_error))
            line.append(")")
        line.append("  t: Retry", style="dim")
    return line


def activity_options(activity: list[ActivityView], emails: list[EmailView]) -> list[Option]:
    entries: list[tuple[datetime, int, Option]] = []
    for ev in activity:
        entries.append((ev.at, 0, Option(_event_line(ev), id=f"event-{ev.id}")))
    for em in emails:
        entries.append((em.created_at, 1, Option(_email_line(em), id=f"{EMAIL_PREFIX}{em.id}")))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return [option for _, _, option in entries]
