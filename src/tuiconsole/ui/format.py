"""Turning customer data into inert text: never markup, never raw escape sequences."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from rich.text import Text

EMPTY = "—"


def _visible(ch: str) -> str:
    # Control and format characters (ESC, bidi overrides, …) would be obeyed by the
    # terminal: show their code instead (SPEC §10.9).
    if unicodedata.category(ch) in ("Cc", "Cf") and ch not in ("\u200d",):
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def inert(value: object | None, empty: str = EMPTY) -> str:
    """The value as a plain, printable string."""
    if value is None or value == "":
        return empty
    return "".join(_visible(ch) for ch in str(value))


def plain(value: object | None, style: str = "", empty: str = EMPTY) -> Text:
    """A Rich Text that shows data literally: `[bold]x[/]` stays as typed."""
    return Text(inert(value, empty), style=style, no_wrap=False)


def when(at: datetime | None, empty: str = EMPTY) -> str:
    """Compact UTC, e.g. 2026-11-20 14:05."""
    if at is None:
        return empty
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.strftime("%Y-%m-%d %H:%M")


STATUS_WORDS = {"active": "active", "locked": "locked", "disabled": "disabled"}


def status_word(status: str, must_change: bool = False) -> str:
    if status == "active" and must_change:
        return "must change"
    return STATUS_WORDS.get(status, status)
