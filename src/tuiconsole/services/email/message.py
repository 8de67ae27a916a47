"""Turning rendered content into an RFC 5322 message ready for any transport."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from tuiconsole.services.email.render import EmailContent

__all__ = ["build_message", "new_message_id"]

# "<left@right>" with no spaces, angle brackets or line breaks inside.
_MESSAGE_ID = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")


def new_message_id(domain: str) -> str:
    """A fresh ``<random@domain>``; store it with the outbox row so a resend reuses it."""
    return f"<{secrets.token_hex(16)}@{domain}>"


def _one_line(value: str) -> str:
    # The email package refuses header values with line breaks; a subject never needs one.
    return " ".join(value.split())


def build_message(
    content: EmailContent,
    *,
    to: str,
    from_name: str,
    from_address: str,
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) with the given Message-ID.

    Non-ASCII display names and subjects are RFC 2047-encoded by the email package.
    Raises ValueError for a malformed address or Message-ID, or a naive ``date``.
    """
    message_id = message_id.strip()
    if not message_id.startswith("<"):
        message_id = f"<{message_id}>"
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError(f"not a valid Message-ID: {message_id!r}")
    if date.tzinfo is None:
        raise ValueError("the Date of an email needs a timezone")

    msg = EmailMessage()
    msg["From"] = Address(display_name=_one_line(from_name), addr_spec=from_address.strip())
    msg["To"] = Address(addr_spec=to.strip())
    msg["Subject"] = _one_line(content.subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    # Ask autoresponders (RFC 3834, and Exchange's own header) not to reply.
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    # Quoted-printable: 7-bit safe for any server (no 8BITMIME needed), long lines wrapped,
    # and still readable in a demo .eml file.
    msg.set_content(content.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(content.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg
