"""Facts about the database itself: the demo marker."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tuiconsole.store.models import Meta

DEMO_KEY = "demo_database"


class MetaRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(Meta, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        row = self.session.get(Meta, key)
        if row is None:
            self.session.add(Meta(key=key, value=value))
        else:
            row.value = value
        self.session.flush()

    def is_demo(self) -> bool:
        return self.get(DEMO_KEY) == "yes"

    def mark_demo(self) -> None:
        self.set(DEMO_KEY, "yes")
