"""Fixtures of the reliability tests: the scripted SMTP server (shared with the email tests)."""

from __future__ import annotations

from smtpkit import (  # noqa: F401 - fixtures, found by name
    ca,
    ca_file,
    other_ca_file,
    server_tls,
    smtp_server,
    unused_port,
)
