"""Scopes: the tree, ancestors, subtrees, and the options set on each."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.store.models import ResetOptionsRow, Scope


class ScopeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> list[Scope]:
        return list(self.session.scalars(sa.select(Scope).order_by(Scope.id)))

    def get(self, scope_id: int) -> Scope | None:
        return self.session.get(Scope, scope_id)

    def by_code(self, code: str) -> Scope | None:
        return self.session.scalar(sa.select(Scope).where(Scope.code == code))

    def add(self, scope: Scope) -> Scope:
        self.session.add(scope)
        self.session.flush()
        return scope

    def ancestors(self, scope: Scope) -> list[Scope]:
        """The scope itself first, then its parent, up to the root."""
        by_id = {s.id: s for s in self.all()}
        chain = [scope]
        while chain[-1].parent_id is not None:
            chain.append(by_id[chain[-1].parent_id])
        return chain

    @staticmethod
    def subtree_ids(scopes: Iterable[Scope], root_id: int) -> set[int]:
        children: dict[int | None, list[int]] = {}
        for s in scopes:
            children.setdefault(s.parent_id, []).append(s.id)
        found, todo = {root_id}, [root_id]
        while todo:
            for child in children.get(todo.pop(), []):
                found.add(child)
                todo.append(child)
        return found

    def options_row(self, scope_id: int) -> ResetOptionsRow | None:
        return self.session.get(ResetOptionsRow, scope_id)

    def options_rows(self, scope_ids: Iterable[int]) -> dict[int, ResetOptionsRow]:
        ids = list(scope_ids)
        rows = self.session.scalars(sa.select(ResetOptionsRow).where(ResetOptionsRow.scope_id.in_(ids)))
        return {r.scope_id: r for r in rows}

    def set_options(self, scope_id: int, values: dict[str, object]) -> ResetOptionsRow:
        row = self.options_row(scope_id)
        if row is None:
            row = ResetOptionsRow(scope_id=scope_id)
            self.session.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        self.session.flush()
        return row
