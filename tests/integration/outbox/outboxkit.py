"""Helpers of the outbox tests (`from outboxkit import ...`): rows, messages, secrets."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
from collections import Counter
from email.message import EmailMessage
from threading import Lock
from urllib.parse import unquote

import sqlalchemy as sa

from testkit import actor, customer_id
from tuiconsole.services.container import Services
from tuiconsole.services.outbox import OutboxService
from tuiconsole.store.models import Base, OutboundEmail

TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_\-%]+)")


def queue_reset_email(svc: Services, site: str = "acme-us", username: str = "jdoe") -> int:
    """A reset email queued through the real use case (ada.admin sees every scope)."""
    result = svc.resets.send_reset_email(actor(svc, "ada.admin"), customer_id(svc, site, username))
    assert result.email_id is not None
    return result.email_id


def outbox_via(svc: Services, transport: object | None) -> OutboxService:
    """The outbox of ``svc``'s database and clock, delivering through ``transport``."""
    return OutboxService(svc.ctx, transport)


def email_row(svc: Services, email_id: int) -> OutboundEmail:
    """The outbox row as stored now (detached; every column loaded)."""
    with svc.ctx.read() as s:
        row = s.get(OutboundEmail, email_id)
        assert row is not None
        s.expunge(row)
        return row


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def text_body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return part.get_content()


def link_token(msg: EmailMessage) -> str:
    found = TOKEN_IN_LINK.search(text_body(msg))
    assert found, "no reset link in the email"
    return unquote(found.group(1))


def dump_database(svc: Services) -> str:
    """Every row of every table as text: what a secret must not be found in."""
    lines: list[str] = []
    with svc.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for record in conn.execute(sa.select(table)):
                lines.append(f"{table.name}: {tuple(record)!r}")
    return "\n".join(lines)


class CountingTransport:
    """Counts each Message-ID it is given, from any number of threads."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = Lock()

    def send(self, msg: EmailMessage) -> None:
        with self._lock:
            self.counts[str(msg["Message-ID"])] += 1


def new_password() -> str:
    """Meets acme-us's policy (a capital, a digit, a special); generated, never a real one."""
    return f"Qz7!{secrets.token_hex(8)}"
