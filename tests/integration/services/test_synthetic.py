"""Synthetic customers: realistic, consistent with the search columns, deterministic for a seed."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tuiconsole.services import synthetic
from tuiconsole.store.db import make_engine
from tuiconsole.store.models import Customer, Scope
from tuiconsole.store.repositories.customers import search_columns, sqlite_datetime

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
N = 20_000


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    batches = synthetic._batches(random.Random(5), [11, 12], 1, N, NOW, "HASH", size=7_000, text_times=True)
    out = [dict(zip(synthetic.COLUMNS, r, strict=True)) for b in batches for r in b]
    assert len(out) == N
    return out


def share(rows: list[dict[str, object]], test) -> float:  # type: ignore[no-untyped-def]
    return sum(1 for r in rows if test(r)) / len(rows)


def test_search_columns_match_the_fields(rows: list[dict[str, object]]) -> None:
    for r in rows:
        expected = search_columns(
            username=str(r["username"]),
            email=r["email"],  # type: ignore[arg-type]
            first_name=str(r["first_name"]),
            last_name=str(r["last_name"]),
            phone=r["phone"],  # type: ignore[arg-type]
        )
        assert {k: r[k] for k in expected} == expected


def test_customers_look_real(rows: list[dict[str, object]]) -> None:
    assert len({r["username"] for r in rows}) == N
    assert {r["site_id"] for r in rows} == {11, 12}
    assert len({r["last_name"] for r in rows}) > 200 and any("'" in str(r["last_name"]) for r in rows)
    assert any(not str(r["first_name"]).isascii() for r in rows)
    assert 0.06 < share(rows, lambda r: r["email"] is None) < 0.10
    assert 0.13 < share(rows, lambda r: r["phone"] is None) < 0.17
    assert 0.007 < share(rows, lambda r: r["status"] == "disabled") < 0.013
    assert 0.007 < share(rows, lambda r: r["lock_kind"] == "failed_logins") < 0.013
    assert 0.001 < share(rows, lambda r: r["lock_kind"] == "staff") < 0.004
    assert 0.01 < share(rows, lambda r: r["password_hash"] is None) < 0.03
    assert 0.02 < share(rows, lambda r: r["must_change_password"]) < 0.04
    assert {r["password_hash"] for r in rows} == {"HASH", None}
    phones = [str(r["phone"]) for r in rows if r["phone"]]
    assert len({p[:4] for p in phones}) >= 5 and len(set(phones)) > 0.99 * len(phones)
    assert all(len(str(r["phone_digits"])) >= 10 for r in rows if r["phone"])
    for r in rows:
        created, login = str(r["created_at"]), r["last_login_at"]
        assert sqlite_datetime(NOW) > created
        assert login is None or str(login) >= created
        assert (r["locked_at"] is None) == (r["lock_kind"] is None)


def _site_rows(url: str, seed: int) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(Scope).values(id=1, code="s1", name="Site 1", kind="site", parent_id=None))
        synthetic.generate_customers(engine, [1], 3_000, seed=seed, now=NOW, batch_size=1_000)
        cols = [Customer.__table__.c[c] for c in synthetic.COLUMNS]
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.select(Customer.id, *cols).order_by(Customer.id))]
    finally:
        engine.dispose()


def test_the_same_seed_makes_the_same_customers(sqlite_template: Path, tmp_path: Path) -> None:
    def fresh(name: str) -> str:
        shutil.copy(sqlite_template, tmp_path / name)
        return f"sqlite:///{tmp_path / name}"

    first = _site_rows(fresh("a.db"), seed=3)
    assert len(first) == 3_000
    assert _site_rows(fresh("b.db"), seed=3) == first
    assert _site_rows(fresh("c.db"), seed=4) != first
