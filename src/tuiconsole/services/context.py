"""What every use case needs: sessions, clock, hasher, and the shared checks.

A use case opens one unit of work (`ctx.uow()`), checks role and scope, changes
rows, records the activity event and queues the outbox row in that same
transaction, and returns plain data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from tuiconsole.domain.clock import Clock
from tuiconsole.domain.errors import DatabaseUnavailable, Forbidden, NotFound
from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.domain.options import EffectiveOptions, resolve_options
from tuiconsole.domain.roles import Permission, role_allows
from tuiconsole.services.views import Actor
from tuiconsole.store.db import SQLITE_IMMEDIATE
from tuiconsole.store.models import ActivityEvent, Customer, Scope
from tuiconsole.store.repositories.scopes import ScopeRepository

log = logging.getLogger("tuiconsole.services")

# Words an activity detail may never be called: a guard against a secret slipping in.
_SECRET_KEYS = ("password", "token", "secret", "temporary_password")


@contextmanager
def database_errors() -> Iterator[None]:
    """A lost or refused database connection becomes one clear, secret-free error."""
    try:
        yield
    except (sa_exc.OperationalError, sa_exc.InterfaceError) as exc:
        # Only the driver's error type: its text may quote statement parameters.
        log.error("database unavailable: %s", type(exc.orig or exc).__name__)
        raise DatabaseUnavailable() from None


@dataclass
class ServiceContext:
    sessions: sessionmaker[Session]
    clock: Clock
    hasher: PasswordHasher
    default_reset_url: str
    email_configured: bool = False
    demo: bool = False
    # Filled lazily: scope tree cache (scopes change rarely; admin edits clear it).
    _scope_cache: dict[int, Scope] | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock.now()

    @contextmanager
    def uow(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error."""
        with database_errors(), self.sessions() as session, session.begin():
            if session.get_bind().dialect.name == "sqlite":
                # Take the write lock up front (BEGIN IMMEDIATE): two consoles saving at
                # once then queue up instead of one failing with "database is locked".
                session.connection(execution_options={SQLITE_IMMEDIATE: True})
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with database_errors(), self.sessions() as session:
            yield session

    # --- scopes -------------------------------------------------------------

    def scopes(self, session: Session) -> dict[int, Scope]:
        if self._scope_cache is None:
            scopes = ScopeRepository(session).all()
            for s in scopes:
                session.expunge(s)
            self._scope_cache = {s.id: s for s in scopes}
        return self._scope_cache

    def forget_scopes(self) -> None:
        self._scope_cache = None

    def chain(self, session: Session, scope_id: int) -> list[Scope]:
        by_id = self.scopes(session)
        chain = [by_id[scope_id]]
        while chain[-1].parent_id is not None:
            chain.append(by_id[chain[-1].parent_id])
        return chain

    def scope_path(self, session: Session, scope_id: int) -> str:
        return " > ".join(s.name for s in reversed(self.chain(session, scope_id)))

    def brand_name(self, session: Session, scope_id: int) -> str:
        chain = self.chain(session, scope_id)
        for s in chain:
            if s.kind == "brand":
                return s.name
        return chain[0].name

    def options(self, session: Session, scope_id: int) -> EffectiveOptions:
        chain = self.chain(session, scope_id)
        rows = ScopeRepository(session).options_rows(s.id for s in chain)
        from tuiconsole.domain.options import OPTION_NAMES

        links = []
        for s in chain:
            row = rows.get(s.id)
            links.append((s.name, {n: getattr(row, n) for n in OPTION_NAMES} if row else {}))
        return resolve_options(
            links,
            site_code=chain[0].code,
            brand_name=self.brand_name(session, scope_id),
            default_reset_url=self.default_reset_url,
        )

    def subtree(self, session: Session, scope_id: int) -> set[int]:
        return ScopeRepository.subtree_ids(self.scopes(session).values(), scope_id)

    def site_ids_under(self, session: Session, scope_id: int) -> list[int]:
        by_id = self.scopes(session)
        return sorted(i for i in self.subtree(session, scope_id) if by_id[i].kind == "site")

    # --- checks -------------------------------------------------------------

    @staticmethod
    def require(actor: Actor, perm: Permission) -> None:
        if not role_allows(actor.role, perm):
            raise Forbidden(f"Your role ({actor.role}) may not do this.")

    def require_scope(self, actor: Actor, scope_id: int | None) -> None:
        if not actor.sees(scope_id):
            # Same words as a missing record: no hint that it exists elsewhere.
            raise NotFound("No such customer in your scopes.")

    def customer_for(
        self, session: Session, actor: Actor, customer_id: int, *, for_update: bool = False
    ) -> Customer:
        """The customer, if it exists and lies in the actor's scopes."""
        if for_update and session.bind is not None and session.bind.dialect.name == "postgresql":
            from sqlalchemy import select

            customer = session.scalar(
                select(Customer).where(Customer.id == customer_id).with_for_update()
            )
        else:
            customer = session.get(Customer, customer_id)
        if customer is None or not actor.sees(customer.site_id):
            raise NotFound("No such customer in your scopes.")
        return customer

    # --- audit --------------------------------------------------------------

    def record(
        self,
        session: Session,
        actor: Actor | str,
        action: str,
        *,
        scope_id: int | None = None,
        customer_id: int | None = None,
        outcome: str = "ok",
        **details: Any,
    ) -> None:
        """Append an activity event in the caller's transaction. Never a secret."""
        for key in details:
            if any(word in key.lower() for word in _SECRET_KEYS) and not key.endswith(
                ("_kind", "_set", "_at", "_temporary", "_mode")
            ):
                raise ValueError(f"activity detail '{key}' looks like a secret")
        label = actor if isinstance(actor, str) else actor.label
        session.add(
            ActivityEvent(
                at=self.now(),
                actor=label,
                scope_id=scope_id,
                customer_id=customer_id,
                action=action,
                outcome=outcome,
                details=json.dumps(details, default=str, ensure_ascii=False),
            )
        )
        log.info("activity %s by %s outcome=%s customer=%s", action, label, outcome, customer_id)
