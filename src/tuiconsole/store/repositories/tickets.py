"""Reset tickets: issue, revoke, and redeem at most once, atomically (SPEC §10.2)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.store.models import ResetTicket


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _open(self, now: datetime) -> list[sa.ColumnElement[bool]]:
        return [
            ResetTicket.used_at.is_(None),
            ResetTicket.revoked_at.is_(None),
            ResetTicket.expires_at > now,
        ]

    def revoke_open(self, customer_id: int, now: datetime) -> int:
        result = self.session.execute(
            sa.update(ResetTicket)
            .where(
                ResetTicket.customer_id == customer_id,
                ResetTicket.used_at.is_(None),
                ResetTicket.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return result.rowcount or 0

    def issue(self, ticket: ResetTicket, now: datetime) -> ResetTicket:
        """A new ticket revokes the customer's open ones."""
        self.revoke_open(ticket.customer_id, now)
        self.session.add(ticket)
        self.session.flush()
        return ticket

    def by_lookup(self, lookup: str) -> ResetTicket | None:
        return self.session.scalar(sa.select(ResetTicket).where(ResetTicket.lookup == lookup))

    def open_for(self, customer_id: int, now: datetime, kind: str | None = None) -> list[ResetTicket]:
        stmt = sa.select(ResetTicket).where(ResetTicket.customer_id == customer_id, *self._open(now))
        if kind:
            stmt = stmt.where(ResetTicket.kind == kind)
        return list(self.session.scalars(stmt.order_by(ResetTicket.created_at.desc())))

    def redeem(self, ticket_id: int, now: datetime) -> bool:
        """Mark used if still open; True for exactly one caller however many race."""
        result = self.session.execute(
            sa.update(ResetTicket)
            .where(ResetTicket.id == ticket_id, *self._open(now))
            .values(used_at=now)
        )
        return (result.rowcount or 0) == 1
