"""Fixtures of the outbox tests: the SMTP server (shared with the email tests), a counter."""

from __future__ import annotations

import pytest
from outboxkit import CountingTransport

from smtpkit import (  # noqa: F401 - fixtures, found by name
    ca,
    ca_file,
    other_ca_file,
    server_tls,
    smtp_server,
    unused_port,
)


@pytest.fixture
def counting_transport() -> CountingTransport:
    return CountingTransport()
