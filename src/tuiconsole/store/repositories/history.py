"""Previous password hashes of a customer, for the history rule."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.store.models import PasswordHistory


class PasswordHistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, customer_id: int, password_hash: str, at: datetime) -> None:
        self.session.add(PasswordHistory(customer_id=customer_id, password_hash=password_hash, created_at=at))

    def recent(self, customer_id: int, n: int) -> list[str]:
        if n <= 0:
            return []
        return list(
            self.session.scalars(
                sa.select(PasswordHistory.password_hash)
                .where(PasswordHistory.customer_id == customer_id)
                .order_by(PasswordHistory.created_at.desc(), PasswordHistory.id.desc())
                .limit(n)
            )
        )
