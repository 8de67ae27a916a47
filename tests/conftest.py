"""Shared fixtures: clean databases on SQLite and PostgreSQL, services, actors.

PostgreSQL: TUICONSOLE_TEST_PG_URL names a database on a server we may create
databases on (.ci/run sets it). Without it we try the local server; when none
answers the PostgreSQL tests skip with the reason — unless TUICONSOLE_REQUIRE_PG=1
(CI), where that is an error.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from tuiconsole.domain.clock import FixedClock
from tuiconsole.domain.hashing import FAST_TEST_PARAMS, PasswordHasher
from tuiconsole.services.container import Services
from tuiconsole.store import migrate
from tuiconsole.store.db import make_engine
from tuiconsole.store.models import Base

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("bench", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from testkit import START, make_services, seed  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


# --- PostgreSQL ---------------------------------------------------------------


def _pg_base_url() -> str:
    return os.environ.get("TUICONSOLE_TEST_PG_URL") or DEFAULT_PG


def _pg_problem() -> str | None:
    try:
        engine = make_engine(_pg_base_url())
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {_pg_base_url().split('@')[-1]}: {type(exc).__name__}"


@pytest.fixture(scope="session")
def pg_server() -> Callable[[], str]:
    """Makes fresh empty databases on the test server; dropped at the end."""
    problem = _pg_problem()
    if problem:
        if os.environ.get("TUICONSOLE_REQUIRE_PG") == "1":
            pytest.fail(f"TUICONSOLE_REQUIRE_PG=1 but {problem}")
        pytest.skip(problem)
    admin = make_engine(_pg_base_url(), isolation_level="AUTOCOMMIT")
    made: list[str] = []
    base = sa.engine.make_url(_pg_base_url())

    def new_database(template: str | None = None) -> str:
        name = f"tuit_{uuid.uuid4().hex[:12]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
        made.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    yield new_database
    with admin.connect() as conn:
        for name in made:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_migrated(pg_server: Callable[[], str]) -> str:
    """One migrated PostgreSQL database per test process; tests truncate it."""
    url = pg_server()
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def _truncate_pg(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


# --- SQLite -------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once, copy per test: a fresh file costs a copy, not a migration."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "tuiconsole.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A clean, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    url = request.getfixturevalue("pg_migrated")
    _truncate_pg(url)
    return url


@pytest.fixture
def pg_url(pg_migrated: str) -> str:
    """A clean, migrated PostgreSQL database (PostgreSQL-only tests)."""
    _truncate_pg(pg_migrated)
    return pg_migrated


# --- services -------------------------------------------------------------------


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture(scope="session")
def fast_hasher() -> PasswordHasher:
    # Tests may lower argon2's cost only through the hasher's own switch;
    # test_hashing proves the production floor separately.
    return PasswordHasher(FAST_TEST_PARAMS, allow_below_floor=True)


@pytest.fixture
def memory_transport():  # type: ignore[no-untyped-def]
    from tuiconsole.services.email.transports import MemoryTransport

    return MemoryTransport()


@pytest.fixture
def services(db_url: str, clock: FixedClock, fast_hasher: PasswordHasher, memory_transport) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """Empty database (both dialects), fixed clock, fast hasher, memory mail."""
    svc = make_services(db_url, clock, fast_hasher, memory_transport)
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def sqlite_seeded_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, fast_hasher: PasswordHasher) -> Path:
    """The seed loaded once (at the fixed START time); each test copies the file."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    shutil.copy(sqlite_template, path)
    svc = make_services(f"sqlite:///{path}", FixedClock(START), fast_hasher)
    seed(svc)
    with svc.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    svc.close()
    return path


@pytest.fixture(scope="session")
def pg_seeded_template(pg_server: Callable[..., str], fast_hasher: PasswordHasher) -> str:
    """A seeded PostgreSQL database used as a template: CREATE DATABASE … TEMPLATE is a file copy."""
    url = pg_server()
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    svc = make_services(url, FixedClock(START), fast_hasher)
    seed(svc)
    svc.close()
    return sa.engine.make_url(url).database or ""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def seeded_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh copy of the seeded database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "seeded.db"
        shutil.copy(request.getfixturevalue("sqlite_seeded_template"), path)
        return f"sqlite:///{path}"
    template = request.getfixturevalue("pg_seeded_template")
    return request.getfixturevalue("pg_server")(template)


@pytest.fixture
def seeded(seeded_url: str, clock: FixedClock, fast_hasher: PasswordHasher, memory_transport) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """The shipped seed data in a demo-marked database (console users too), both dialects."""
    svc = make_services(seeded_url, clock, fast_hasher, memory_transport)
    yield svc
    svc.close()


@pytest.fixture
def seeded_sqlite(sqlite_seeded_template: Path, tmp_path: Path, clock: FixedClock, fast_hasher: PasswordHasher, memory_transport) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    """Seeded, SQLite only: for the console tests."""
    path = tmp_path / "seeded.db"
    shutil.copy(sqlite_seeded_template, path)
    svc = make_services(f"sqlite:///{path}", clock, fast_hasher, memory_transport, demo=True)
    yield svc
    svc.close()
