"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands back aware UTC.

    SQLite has no time zones; keeping every value in UTC on both databases makes
    comparisons (expiry, leases) behave the same everywhere.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite text from raw SQL
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


def search_text(length: int) -> sa.types.TypeEngine[str]:
    """A lowercased search column compared byte-wise on both databases.

    Byte order (SQLite BINARY, PostgreSQL "C") lets one range condition
    `col >= p AND col < p || U+10FFFF` use a plain b-tree index for prefixes.
    """
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")
