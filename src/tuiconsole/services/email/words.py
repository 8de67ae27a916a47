"""Durations and times written for a customer to read, in English whatever the locale."""

from __future__ import annotations

from datetime import UTC, datetime

_MINUTES_PER_HOUR = 60
_MINUTES_PER_DAY = 24 * 60

# Month names spelled out here: strftime("%B") follows the process locale.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def validity_in_words(minutes: int) -> str:
    """60 → "60 minutes", 120 → "2 hours", 150 → "2 hours and 30 minutes", 1440 → "1 day".

    Under two hours stays in minutes: "90 minutes" reads better than "1 hour and 30 minutes".
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError("minutes must be an int")
    if minutes <= 0:
        raise ValueError("a validity must be at least 1 minute")
    if minutes % _MINUTES_PER_DAY == 0:
        return _plural(minutes // _MINUTES_PER_DAY, "day")
    if minutes < 2 * _MINUTES_PER_HOUR:
        return _plural(minutes, "minute")
    hours, rest = divmod(minutes, _MINUTES_PER_HOUR)
    if rest == 0:
        return _plural(hours, "hour")
    return f"{_plural(hours, 'hour')} and {_plural(rest, 'minute')}"


def parse_utc(value: str | datetime) -> datetime:
    """An ISO 8601 string or a datetime, as an aware UTC datetime (naive means UTC)."""
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def format_utc(value: str | datetime) -> str:
    """ "2025-11-23T18:58:00+00:00" → "23 November 2025 at 18:58 UTC"."""
    at = parse_utc(value)
    return f"{at.day} {_MONTHS[at.month - 1]} {at.year} at {at:%H:%M} UTC"
