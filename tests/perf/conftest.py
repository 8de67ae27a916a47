"""`make bench`: databases of N synthetic customers, built once into .bench-cache/
(reused while the schema revision and generator version match), and the results table."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from benchkit import CACHE_DIR, GENERATOR_VERSION, ROWS, load_average, site_id, table

from tuiconsole.resources import seed_data_dir
from tuiconsole.services.seed.loader import load_seed
from tuiconsole.services.synthetic import generate_customers
from tuiconsole.store import migrate
from tuiconsole.store.db import make_engine, make_sessionmaker

BUILD_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _build(url: str, n: int) -> float:
    """Migrate, seed, add n synthetic customers to the bench site; seconds for the customers."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        load_seed(make_sessionmaker(engine), seed_data_dir(), now=BUILD_NOW, actor="cli:bench", demo=True)
        start = time.perf_counter()
        generate_customers(engine, [site_id(engine)], n, seed=1, now=BUILD_NOW)
        seconds = time.perf_counter() - start
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return seconds


def _stamp() -> str:
    return f"{migrate.head_revision()}-g{GENERATOR_VERSION}"


@pytest.fixture(scope="session")
def sqlite_db() -> Callable[[int], str]:
    """A cached SQLite database with n synthetic customers (the benches only read it)."""
    made: dict[int, str] = {}

    def get(n: int) -> str:
        if n in made:
            return made[n]
        CACHE_DIR.mkdir(exist_ok=True)
        path = CACHE_DIR / f"customers-{n}-{_stamp()}.db"
        if not path.exists():
            tmp = path.with_suffix(".building")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            seconds = _build(f"sqlite:///{tmp}", n)
            engine = make_engine(f"sqlite:///{tmp}")
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            tmp.rename(path)
            path.with_suffix(".seconds").write_text(f"{seconds:.1f}")
        made[n] = f"sqlite:///{path}"
        return made[n]

    return get


def build_seconds(url: str) -> float | None:
    path = Path(sa.engine.make_url(url).database or "").with_suffix(".seconds")
    return float(path.read_text()) if path.exists() else None


@pytest.fixture(scope="session")
def pg_db() -> Callable[[int], str | None]:
    """A cached PostgreSQL database (tuibench_<n>_<revision>) or None when no server answers."""
    base = os.environ.get("TUICONSOLE_TEST_PG_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"

    def get(n: int) -> str | None:
        try:
            admin = make_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                name = f"tuibench_{n}_{_stamp()}".replace("-", "_").lower()
                exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
                if not exists:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}_building" WITH (FORCE)'))
                    conn.execute(sa.text(f'CREATE DATABASE "{name}_building"'))
        except Exception:  # noqa: BLE001 - no server: the rows say SKIP
            return None
        url = sa.engine.make_url(base)
        if not exists:
            _build(url.set(database=f"{name}_building").render_as_string(hide_password=False), n)
            with admin.connect() as conn:
                conn.execute(sa.text(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"'))
        admin.dispose()
        return url.set(database=name).render_as_string(hide_password=False)

    return get


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not ROWS:
        return
    print("\n\n" + table())
    print(f"\nload average at the end: {load_average()}")
    if any(r.verdict == "FAIL" for r in ROWS) and session.exitstatus == 0:
        session.exitstatus = 1
