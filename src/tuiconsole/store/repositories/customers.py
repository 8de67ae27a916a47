"""Customers: lookups, the console's search, bulk loading, and the search columns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from tuiconsole.domain.search import SearchTerm as Term
from tuiconsole.store.models import Customer, Meta
from tuiconsole.store.repositories.customer_search import (
    FTS_TABLE,
    STATUS_FILTERS,
    CustomerSearch,
    status_condition,
    term_condition,
)

__all__ = [
    "STATUS_FILTERS",
    "CustomerRepository",
    "bulk_insert_customers",
    "bulk_load",
    "digits_of",
    "refresh_search_columns",
    "search_columns",
    "sqlite_datetime",
    "status_condition",
    "term_condition",
]

_NON_DIGIT = re.compile(r"\D+")
# While this meta key exists (inside a bulk load's own transaction), the FTS insert
# trigger stands aside and the batch is indexed in one statement: ~3x faster.
FTS_DEFERRED_KEY = "customers_fts_deferred"
FTS_TUNE_ROWS = 10_000  # from this many rows in one call, the trigram index is built tuned
# From this many rows, the insert triggers that stand aside anyway are dropped for the
# insert (and made again before the transaction ends): SQLite still runs a trigger's
# WHEN test row by row, ~15 µs each, more than the insert itself.
TRIGGER_ASIDE_ROWS = 1_000


def digits_of(text: str | None) -> str:
    return _NON_DIGIT.sub("", text or "")


def search_columns(
    *, username: str, email: str | None, first_name: str, last_name: str, phone: str | None
) -> dict[str, str]:
    """The lowercased copies the console searches on (kept beside the real fields)."""
    return {
        "username_ci": username.casefold(),
        "email_ci": (email or "").casefold(),
        "first_name_ci": first_name.casefold(),
        "last_name_ci": last_name.casefold(),
        "phone_digits": digits_of(phone),
    }


def refresh_search_columns(customer: Customer) -> None:
    for key, value in search_columns(
        username=customer.username,
        email=customer.email,
        first_name=customer.first_name,
        last_name=customer.last_name,
        phone=customer.phone,
    ).items():
        setattr(customer, key, value)


def sqlite_datetime(value: Any) -> Any:
    # What UTCDateTime stores on SQLite: naive UTC in SQLAlchemy's text format.
    if isinstance(value, datetime):
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


def _naive_utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def bulk_insert_customers(
    conn: Connection,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    prepared: bool = False,
    insert_lock: AbstractContextManager[Any] | None = None,
) -> int:
    """Insert many customers in the caller's transaction, fast; returns how many.

    `rows` are tuples in `columns` order with the search columns already filled
    (see search_columns). SQLite: executemany, then the FTS index for the new id
    range in one statement. PostgreSQL: COPY. `prepared`: SQLite rows whose
    datetimes are already text in sqlite_datetime's format (no per-row conversion).
    `insert_lock` (SQLite): held while the rows go in, not while they are indexed
    (see synthetic's writer thread).
    """
    unknown = set(columns) - set(Customer.__table__.c.keys())
    if unknown:
        raise ValueError(f"not customer columns: {sorted(unknown)}")
    if conn.dialect.name == "postgresql":
        return _copy_postgres(conn, columns, rows)
    data = rows if prepared and isinstance(rows, list) else _with_datetimes(columns, rows, sqlite_datetime)
    if not data:
        return 0
    # Index pages of a growing table stay in memory: far fewer reads and writes.
    conn.exec_driver_sql("PRAGMA cache_size=-131072")
    meta = Meta.__table__
    placeholders = ", ".join("?" for _ in columns)
    insert = f"INSERT INTO customers ({', '.join(columns)}) VALUES ({placeholders})"
    # Inside bulk_load the key is already set (and stays until its end).
    in_bulk = conn.scalar(sa.select(meta.c.value).where(meta.c.key == FTS_DEFERRED_KEY)) == "bulk"
    before = conn.scalar(sa.select(sa.func.max(Customer.id))) or 0
    if not in_bulk:
        conn.execute(meta.insert().values(key=FTS_DEFERRED_KEY, value="yes"))
    aside = _deferred_triggers(conn) if len(data) >= TRIGGER_ASIDE_ROWS else []
    for name, _ in aside:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    with insert_lock or nullcontext():
        conn.exec_driver_sql(insert, data)
    for _, sql in aside:
        conn.exec_driver_sql(sql)
    # A big batch (an import) is indexed with the loading settings; they are back to
    # normal before the caller's transaction commits, so no one else sees them.
    tune = not in_bulk and len(data) >= FTS_TUNE_ROWS
    if tune:
        _fts_config(conn, _FTS_BULK)
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, {_FTS_COLS}) SELECT id, {_FTS_COLS} FROM customers WHERE id > ?",
        (before,),
    )
    if tune:
        _fts_config(conn, _FTS_NORMAL)
    if not in_bulk:
        conn.execute(meta.delete().where(meta.c.key == FTS_DEFERRED_KEY))
    return len(data)


def _deferred_triggers(conn: Connection) -> list[tuple[str, str]]:
    """(name, sql) of the customers triggers that do nothing while the deferred key exists."""
    return [
        (name, sql)
        for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'"
            " AND instr(sql, ?) > 0",
            (FTS_DEFERRED_KEY,),
        )
    ]


def _with_datetimes(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], convert: Any
) -> list[Sequence[Any]]:
    """Rows with their datetime columns converted (only those: this runs per row)."""
    table = Customer.__table__
    dt_idx = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, sa.types.TypeDecorator)]
    out: list[Sequence[Any]] = []
    for r in rows:
        if dt_idx:
            row = list(r)
            for i in dt_idx:
                row[i] = convert(row[i])
            r = tuple(row)
        out.append(tuple(r))
    return out


def _copy_postgres(conn: Connection, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    data = _with_datetimes(columns, rows, _naive_utc)
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY customers ({', '.join(columns)}) FROM STDIN") as copy:
        for r in data:
            copy.write_row(r)
    return len(data)


_FTS_COLS = "first_name_ci, last_name_ci, username_ci, email_ci, phone_digits"
# FTS5 settings while loading: no merging of segments as they are written, and a
# bigger in-memory buffer (fewer, larger segments): a third faster to build.
_FTS_BULK = (("automerge", 0), ("hashsize", 64 * 1024 * 1024))
_FTS_NORMAL = (("automerge", 4), ("hashsize", 1024 * 1024))  # FTS5's defaults


def _fts_config(conn: Connection, settings: Sequence[tuple[str, int]]) -> None:
    for name, value in settings:
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES (?, ?)", (name, value))


@contextmanager
def bulk_load(engine: Engine) -> Iterator[None]:
    """SQLite: a big load (a million synthetic customers) with the indexes built after.

    Keeping eight indexes and the trigram table in step row by row costs ~40 µs a
    row; building each once from the loaded table costs a few seconds. Inside,
    the customers table has only its key and unique constraint (the trigram table is
    filled batch by batch, tuned for loading). Only for a database
    nobody else writes to meanwhile (a demo or benchmark build). PostgreSQL: COPY
    is fast enough as it is.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    with engine.begin() as conn:
        indexes = [
            (name, sql)
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers'"
                " AND sql IS NOT NULL"
            )
        ]
        for name, _ in indexes:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        conn.execute(Meta.__table__.insert().values(key=FTS_DEFERRED_KEY, value="bulk"))
        _fts_config(conn, _FTS_BULK)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            conn.exec_driver_sql("PRAGMA threads=2")  # sort each index's keys on two cores
            for _, sql in indexes:
                conn.exec_driver_sql(sql)
            _fts_config(conn, _FTS_NORMAL)
            meta = Meta.__table__
            conn.execute(meta.delete().where(meta.c.key == FTS_DEFERRED_KEY))


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        # search() and count() of one service call share one plan (and its count).
        self._searches: dict[tuple[object, ...], CustomerSearch] = {}

    def get(self, customer_id: int) -> Customer | None:
        return self.session.get(Customer, customer_id)

    def by_username(self, site_id: int, username: str) -> Customer | None:
        return self.session.scalar(
            sa.select(Customer).where(
                Customer.site_id == site_id, Customer.username_ci == username.casefold()
            )
        )

    def add(self, customer: Customer) -> Customer:
        refresh_search_columns(customer)
        self.session.add(customer)
        self.session.flush()
        return customer

    def _search(self, site_ids: Sequence[int], terms: Sequence[Term], status: str) -> CustomerSearch:
        key = (tuple(site_ids), tuple(terms), status)
        found = self._searches.get(key)
        if found is None:
            found = self._searches[key] = CustomerSearch(self.session, site_ids, terms, status)
        return found

    def search(
        self,
        site_ids: Sequence[int],
        terms: Sequence[Term],
        *,
        status: str = "any",
        now: datetime,
        offset: int = 0,
        limit: int = 100,
    ) -> list[Customer]:
        """One page of the customer list, sorted by last name, first name."""
        if not site_ids:
            return []
        ids = self._search(site_ids, terms, status).page_ids(max(0, offset), limit)
        if not ids:
            return []
        by_id = {c.id: c for c in self.session.scalars(sa.select(Customer).where(Customer.id.in_(ids)))}
        return [by_id[i] for i in ids if i in by_id]

    def count(
        self,
        site_ids: Sequence[int],
        terms: Sequence[Term],
        *,
        status: str = "any",
        now: datetime,
        cap: int | None = None,
    ) -> tuple[int, bool]:
        """(count, exact). Large match sets give an estimate ("about N")."""
        if not site_ids:
            return 0, True
        plan = self._search(site_ids, terms, status).plan()
        if cap is not None and plan.exact and plan.total > cap and plan.kind != "all":
            return cap, False
        return plan.total, plan.exact

    def contacts_of_account(self, account_id: int) -> list[Customer]:
        return list(
            self.session.scalars(
                sa.select(Customer)
                .where(Customer.account_id == account_id)
                .order_by(Customer.last_name_ci, Customer.first_name_ci, Customer.id)
            )
        )
