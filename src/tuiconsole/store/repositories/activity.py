"""The audit trail: append-only reads (filtered pages, a stream, counts per day).

Nothing here updates or deletes an event: activity is append-only (SPEC §1).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tuiconsole.store.models import ActivityEvent, Customer, Scope


@dataclass(frozen=True)
class ActivityFilter:
    """Which events to read. ``scope_ids`` None = every event, even those with no scope."""

    scope_ids: frozenset[int] | None = None
    customer_id: int | None = None
    actor_contains: str | None = None
    actions: tuple[str, ...] = ()
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    before_id: int | None = None


@dataclass(frozen=True)
class ActivityRow:
    """An event with the names a reader needs beside it."""

    event: ActivityEvent
    scope_code: str | None
    customer_username: str | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(f: ActivityFilter) -> list[sa.ColumnElement[bool]]:
    e = ActivityEvent
    where: list[sa.ColumnElement[bool]] = []
    if f.scope_ids is not None:
        # Events without a scope (console logins, console users) stay out of it.
        where.append(e.scope_id.in_(sorted(f.scope_ids)) if f.scope_ids else sa.false())
    if f.customer_id is not None:
        where.append(e.customer_id == f.customer_id)
    if f.actor_contains:
        pattern = f"%{_escape_like(f.actor_contains.lower())}%"
        where.append(sa.func.lower(e.actor).like(pattern, escape="\\"))
    if f.actions:
        where.append(e.action.in_(f.actions))
    if f.since is not None:
        where.append(e.at >= f.since)
    if f.until is not None:
        where.append(e.at < f.until)
    if f.before_id is not None:
        where.append(e.id < f.before_id)
    return where


class ActivityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _select(self, f: ActivityFilter) -> sa.Select[tuple[ActivityEvent, str | None, str | None]]:
        scope = aliased(Scope)
        customer = aliased(Customer)
        return (
            sa.select(ActivityEvent, scope.code, customer.username)
            .outerjoin(scope, scope.id == ActivityEvent.scope_id)
            .outerjoin(customer, customer.id == ActivityEvent.customer_id)
            .where(*_conditions(f))
            # Newest first; ids rise with time, and paging by id is stable.
            .order_by(ActivityEvent.id.desc())
        )

    def page(self, f: ActivityFilter, limit: int) -> list[ActivityRow]:
        rows = self.session.execute(self._select(f).limit(limit))
        return [ActivityRow(event, code, username) for event, code, username in rows]

    def stream(self, f: ActivityFilter, batch: int = 1000) -> Iterator[ActivityRow]:
        """Every matching event, fetched in batches (a server-side cursor on PostgreSQL)."""
        result = self.session.execute(self._select(f), execution_options={"yield_per": batch})
        for event, code, username in result:
            yield ActivityRow(event, code, username)
            # Streamed rows are not needed once written: keep memory flat.
            self.session.expunge(event)

    def count(self, f: ActivityFilter) -> int:
        stmt = sa.select(sa.func.count()).select_from(ActivityEvent).where(*_conditions(f))
        return int(self.session.scalar(stmt) or 0)

    def counts_per_day(self, f: ActivityFilter) -> dict[tuple[date, str], int]:
        """(UTC day, action) -> number of events; times are stored as naive UTC."""
        day = sa.func.date(ActivityEvent.at).label("day")
        stmt = (
            sa.select(day, ActivityEvent.action, sa.func.count())
            .where(*_conditions(f))
            .group_by(day, ActivityEvent.action)
        )
        out: dict[tuple[date, str], int] = {}
        for raw_day, action, n in self.session.execute(stmt):
            # SQLite hands back 'YYYY-MM-DD' text, PostgreSQL a date.
            d = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day)[:10])
            out[(d, action)] = int(n)
        return out

    def actions(self, scope_ids: Collection[int] | None = None) -> list[str]:
        """The distinct action names present (for a filter's choices)."""
        stmt = sa.select(ActivityEvent.action).distinct().order_by(ActivityEvent.action)
        if scope_ids is not None:
            stmt = stmt.where(ActivityEvent.scope_id.in_(sorted(scope_ids)))
        return list(self.session.scalars(stmt))
