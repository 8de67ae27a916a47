"""Console users and the scopes granted to them."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.store.models import ConsoleUser, ConsoleUserScope, Scope


class ConsoleUserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> list[ConsoleUser]:
        return list(self.session.scalars(sa.select(ConsoleUser).order_by(ConsoleUser.username)))

    def get(self, user_id: int) -> ConsoleUser | None:
        return self.session.get(ConsoleUser, user_id)

    def by_username(self, username: str) -> ConsoleUser | None:
        return self.session.scalar(sa.select(ConsoleUser).where(ConsoleUser.username == username))

    def add(self, user: ConsoleUser) -> ConsoleUser:
        self.session.add(user)
        self.session.flush()
        return user

    def count_active_admins(self) -> int:
        stmt = sa.select(sa.func.count()).where(
            ConsoleUser.role == "admin", ConsoleUser.status == "active"
        )
        return int(self.session.scalar(stmt) or 0)

    def scope_codes(self, user_ids: Iterable[int]) -> dict[int, list[str]]:
        ids = list(user_ids)
        out: dict[int, list[str]] = {i: [] for i in ids}
        if not ids:
            return out
        rows = self.session.execute(
            sa.select(ConsoleUserScope.user_id, Scope.code)
            .join(Scope, Scope.id == ConsoleUserScope.scope_id)
            .where(ConsoleUserScope.user_id.in_(ids))
            .order_by(Scope.code)
        )
        for user_id, code in rows:
            out[user_id].append(code)
        return out

    def set_scopes(self, user_id: int, scope_ids: Iterable[int]) -> None:
        self.session.execute(sa.delete(ConsoleUserScope).where(ConsoleUserScope.user_id == user_id))
        for scope_id in sorted(set(scope_ids)):
            self.session.add(ConsoleUserScope(user_id=user_id, scope_id=scope_id))
        self.session.flush()

    def scopes_by_code(self, codes: Iterable[str]) -> dict[str, Scope]:
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        return {s.code: s for s in self.session.scalars(sa.select(Scope).where(Scope.code.in_(wanted)))}
