"""build_message: headers, parts, non-ASCII, and refusal of malformed input."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from tuiconsole.services.email import EmailContent, build_message, new_message_id

CONTENT = EmailContent(
    subject="Ihr Passwort für Zürich wurde geändert",
    text="Hallo Zoë,\n\nDas Passwort wurde geändert.\n",
    html="<p>Hallo Zoë,</p>",
)
AT = datetime(2025, 11, 23, 18, 58, tzinfo=UTC)


def build(**overrides: object) -> email.message.EmailMessage:
    args: dict[str, object] = {
        "to": "zoe@example.com",
        "from_name": "Zürich Shop, Inc.",
        "from_address": "no-reply@acme.example",
        "message_id": "<outbox-7@acme.example>",
        "date": AT,
    }
    args.update(overrides)
    return build_message(CONTENT, **args)  # type: ignore[arg-type]


def test_headers_and_parts_survive_a_round_trip():
    msg = build()
    got = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert got["Subject"] == CONTENT.subject
    [sender] = got["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Zürich Shop, Inc.", "no-reply@acme.example")
    assert got["To"] == "zoe@example.com"
    assert got["Message-ID"] == "<outbox-7@acme.example>"
    assert got["Auto-Submitted"] == "auto-generated"
    assert got["Date"].datetime == AT
    assert got.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in got.iter_parts()] == ["text/plain", "text/html"]
    assert got.get_body(("plain",)).get_content() == CONTENT.text
    assert got.get_body(("html",)).get_content().strip() == CONTENT.html
    assert msg.as_bytes().isascii()  # non-ASCII is encoded, not sent raw


def test_message_id_gets_angle_brackets_and_bad_ones_are_refused():
    assert build(message_id="x1@acme.example")["Message-ID"] == "<x1@acme.example>"
    for bad in ["no-at-sign", "<a@b>\r\nBcc: x@evil", "<a b@c>"]:
        with pytest.raises(ValueError):
            build(message_id=bad)


def test_naive_date_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        build(date=datetime(2025, 1, 1))


def test_line_breaks_in_subject_or_name_cannot_add_headers():
    content = EmailContent(subject="Hi\r\nBcc: x@evil", text="t", html="<p>t</p>")
    msg = build_message(
        content,
        to="zoe@example.com",
        from_name="Shop\nBcc: y@evil",
        from_address="no-reply@acme.example",
        message_id="<m@acme.example>",
        date=AT,
    )
    assert msg["Bcc"] is None
    assert msg["Subject"] == "Hi Bcc: x@evil"


def test_new_message_id_is_unique_and_well_formed():
    first, second = new_message_id("acme.example"), new_message_id("acme.example")
    assert first != second
    assert first.startswith("<") and first.endswith("@acme.example>")
