"""Bulk inserts (import, synthetic customers): the search index stays whole, the
schema is as it was afterwards, and a failed insert leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tuiconsole.services import synthetic
from tuiconsole.store.db import make_engine
from tuiconsole.store.models import Customer, Scope
from tuiconsole.store.repositories.customers import (
    TRIGGER_ASIDE_ROWS,
    bulk_insert_customers,
    bulk_load,
    search_columns,
    sqlite_datetime,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
COLUMNS = ("site_id", "username", "email", "first_name", "last_name", "phone", *search_columns(
    username="", email=None, first_name="", last_name="", phone=None
), "status", "must_change_password", "failed_login_count", "created_at", "version")


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(sqlite_url)
    with eng.begin() as conn:
        conn.execute(sa.insert(Scope).values(id=1, code="s1", name="Site 1", kind="site", parent_id=None))
    yield eng
    eng.dispose()


def schema(conn: Connection) -> list[tuple[str, str, str]]:
    return list(conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'customers' ORDER BY name"))


def rows(n: int, start: int = 0) -> list[tuple[object, ...]]:
    out = []
    for i in range(start, start + n):
        cols = search_columns(
            username=f"u{i}", email=f"u{i}@example.com", first_name="Zoë", last_name=f"Lee{i}", phone=f"+1 555 {i:07d}"
        )
        out.append(
            (1, f"u{i}", f"u{i}@example.com", "Zoë", f"Lee{i}", f"+1 555 {i:07d}", *cols.values(),
             "active", False, 0, sqlite_datetime(NOW), 1)
        )
    return out


def fts_ids(conn: Connection, word: str) -> set[int]:
    return set(conn.scalars(sa.text("SELECT rowid FROM customers_fts WHERE customers_fts MATCH :w"), {"w": word}))


def integrity_check(conn: Connection) -> None:
    conn.exec_driver_sql("INSERT INTO customers_fts(customers_fts, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("n", [10, TRIGGER_ASIDE_ROWS, 12_000])
def test_bulk_insert_indexes_every_row_and_keeps_the_schema(engine: Engine, n: int) -> None:
    with engine.connect() as conn:
        before = schema(conn)
    with engine.begin() as conn:
        assert bulk_insert_customers(conn, COLUMNS, rows(n), prepared=True) == n
    with engine.begin() as conn:
        assert schema(conn) == before
        integrity_check(conn)
        assert len(fts_ids(conn, '"lee"')) == n and len(fts_ids(conn, f'"lee{n - 1}"')) == 1
        # the insert trigger is back: a customer added one by one is found too
        one = dict(zip(COLUMNS, rows(1, start=99_999)[0], strict=True)) | {"created_at": NOW}
        conn.execute(sa.insert(Customer).values(one))
        assert fts_ids(conn, '"lee99999"')
        integrity_check(conn)


def test_failed_bulk_insert_leaves_nothing_behind(engine: Engine) -> None:
    with engine.connect() as conn:
        before = schema(conn)
    bad = rows(TRIGGER_ASIDE_ROWS + 10)
    bad[-1] = bad[0]  # the same username twice: the unique constraint stops the insert
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        bulk_insert_customers(conn, COLUMNS, bad, prepared=True)
    with engine.begin() as conn:
        assert schema(conn) == before
        assert conn.scalar(sa.select(sa.func.count()).select_from(Customer)) == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM meta WHERE key = 'customers_fts_deferred'").scalar() == 0
        integrity_check(conn)


def test_synthetic_bulk_load_restores_indexes_triggers_and_search(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(synthetic, "BULK_MIN", 1_000)  # the drop-and-rebuild path, at test size
    with engine.connect() as conn:
        before = schema(conn)
    assert synthetic.generate_customers(engine, [1], 3_000, seed=7, now=NOW, batch_size=1_000) == 3_000
    with engine.begin() as conn:
        assert schema(conn) == before
        integrity_check(conn)
        assert conn.exec_driver_sql("SELECT count(*) FROM meta WHERE key = 'customers_fts_deferred'").scalar() == 0
        some = conn.execute(sa.select(Customer.id, Customer.last_name_ci).limit(5)).all()
        for cid, last in some:
            assert cid in fts_ids(conn, f'"{last}"')


def test_failed_batch_inside_a_bulk_load_keeps_the_trigger(engine: Engine) -> None:
    with engine.connect() as conn:
        before = schema(conn)
    bad = rows(TRIGGER_ASIDE_ROWS + 10)
    bad[-1] = bad[0]
    with bulk_load(engine):
        with engine.begin() as conn:
            bulk_insert_customers(conn, COLUMNS, rows(TRIGGER_ASIDE_ROWS, start=50_000), prepared=True)
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            bulk_insert_customers(conn, COLUMNS, bad, prepared=True)
    with engine.begin() as conn:
        assert schema(conn) == before
        assert conn.scalar(sa.select(sa.func.count()).select_from(Customer)) == TRIGGER_ASIDE_ROWS
        integrity_check(conn)
