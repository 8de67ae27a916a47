"""Helpers shared by the services tests: generated passwords, direct row edits, counters."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.services.container import Services
from tuiconsole.store.models import Customer, OutboundEmail, ResetTicket


def new_password() -> str:
    """A generated password that meets every seeded site's policy (never a real one)."""
    return f"Qz{secrets.token_hex(8)}#7k"


def set_customer(svc: Services, cid: int, **fields: Any) -> None:
    """Put a customer into a state directly (test setup, not a use case)."""
    with svc.ctx.uow() as s:
        s.execute(sa.update(Customer).where(Customer.id == cid).values(**fields))


def give_password(svc: Services, cid: int, password: str | None = None) -> str:
    """Store a fast hash of a generated password; returns the password."""
    password = password or new_password()
    set_customer(svc, cid, password_hash=svc.ctx.hasher.hash(password))
    return password


def customer_row(svc: Services, cid: int) -> Customer:
    with svc.ctx.read() as s:
        c = s.get(Customer, cid)
        assert c is not None
        s.expunge(c)
        return c


def email_secret(svc: Services, email_id: int | None) -> str:
    """The secret an undelivered outbox row carries (what the customer will receive)."""
    assert email_id is not None
    with svc.ctx.read() as s:
        secret = s.scalar(sa.select(OutboundEmail.secret).where(OutboundEmail.id == email_id))
    assert secret
    return secret


def emails_of(svc: Services, cid: int, template: str | None = None) -> list[OutboundEmail]:
    with svc.ctx.read() as s:
        stmt = sa.select(OutboundEmail).where(OutboundEmail.customer_id == cid).order_by(OutboundEmail.id)
        if template:
            stmt = stmt.where(OutboundEmail.template == template)
        return list(s.scalars(stmt))


def tickets_of(svc: Services, cid: int) -> list[ResetTicket]:
    with svc.ctx.read() as s:
        return list(s.scalars(sa.select(ResetTicket).where(ResetTicket.customer_id == cid).order_by(ResetTicket.id)))


class VerificationCounter:
    """Counts argon2 verifications by wrapping the hasher's public methods."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hasher: PasswordHasher) -> None:
        self.calls = 0
        for name in ("verify", "dummy_verify"):
            monkeypatch.setattr(hasher, name, self._wrap(getattr(hasher, name)))

    def _wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return method(*args, **kwargs)

        return counted

    def take(self) -> int:
        n, self.calls = self.calls, 0
        return n
