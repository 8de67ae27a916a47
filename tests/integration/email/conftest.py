"""Fixtures of the email tests: the SMTP server (from smtpkit), a mail folder, a message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from smtpkit import (  # noqa: F401 - fixtures, found by name
    ca,
    ca_file,
    other_ca_file,
    server_tls,
    smtp_server,
    unused_port,
)
from tuiconsole.services.email import build_message, render


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


SENT_AT = datetime(2025, 11, 23, 18, 58, tzinfo=UTC)


@pytest.fixture
def make_msg() -> Callable[..., EmailMessage]:
    """A real reset-link email, as the dispatcher would build it."""

    def make(
        message_id: str = "<outbox-1@acme.example>",
        *,
        to: str = "zoe@example.com",
        token: str = "tok-123",
        date: datetime = SENT_AT,  # the outbox row's creation time in real use
    ) -> EmailMessage:
        content = render(
            "reset_link",
            {
                "site_name": "Acme Zürich",
                "first_name": "Zoë",
                "reset_url": "https://acme.example/reset",
                "expires_minutes": 60,
            },
            secret=token,
        )
        return build_message(
            content,
            to=to,
            from_name="Acme Zürich",
            from_address="no-reply@acme.example",
            message_id=message_id,
            date=date,
        )

    return make
