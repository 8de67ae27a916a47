"""Partial display of contact details, e.g. in lists, logs and customer-facing answers."""

from __future__ import annotations

MASK = "***"


def mask_email(email: str | None) -> str:
    """``jane.doe@example.com`` → ``j***@example.com``; empty input gives ``""``."""
    if not email:
        return ""
    email = email.strip()
    local, at, domain = email.rpartition("@")
    if not at:  # no "@": not an address, show only its first character
        return email[:1] + MASK if email else ""
    return local[:1] + MASK + "@" + domain


def mask_phone(phone: str | None) -> str:
    """Keep only the last 4 digits (``***4567``); short numbers are hidden entirely."""
    if not phone:
        return ""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:  # revealing 4 of so few digits would reveal most of it
        return MASK if digits else ""
    return MASK + "".join(digits[-4:])
