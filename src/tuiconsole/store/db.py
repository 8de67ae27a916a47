"""Engine and session factory from a database URL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from tuiconsole.domain.errors import ConfigError

SUPPORTED = ("sqlite", "postgresql")
SQLITE_IMMEDIATE = "tuiconsole_sqlite_immediate"  # execution option: a write transaction


def redact_url(url: str | URL) -> str:
    """The URL as text with any password replaced, fit for messages and logs."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except Exception:  # noqa: BLE001 - unparseable: show nothing of it
        return "<unparseable database URL>"
    return parsed.render_as_string(hide_password=True)


def parse_database_url(url: str) -> URL:
    """Parse and check a database URL; ConfigError with a clear line otherwise."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that isn't a number
        raise ConfigError(
            "The database URL is not valid: expected e.g. sqlite:///path/to/file.db "
            "or postgresql://user@host/dbname"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise ConfigError(
            f"Unsupported database '{backend}' in {redact_url(parsed)}: "
            "use sqlite:/// or postgresql://"
        )
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # pysqlite's own transaction handling defers BEGIN; issue it ourselves so
    # SELECT-then-UPDATE sequences run in one real transaction. A write transaction
    # asks for IMMEDIATE: it waits for the other writer (busy_timeout) and then reads
    # fresh rows, instead of failing with "database is locked" when it upgrades.
    immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    parsed = url if isinstance(url, URL) else parse_database_url(url)
    try:
        return _create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError):
        raise ConfigError(
            f"Unknown database driver '{parsed.drivername}' in {redact_url(parsed)}: "
            "use sqlite:/// or postgresql://"
        ) from None


def _create_engine(parsed: URL, **kwargs: Any) -> Engine:
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(parsed, connect_args={"check_same_thread": False}, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)

        @sa.event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(parsed, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def check_connection(engine: Engine) -> None:
    """Open one connection, turning driver errors into one clear line."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise ConfigError(
            f"Cannot open the database {redact_url(engine.url)}: {reason}"
        ) from None
    except sa.exc.DBAPIError as exc:
        raise ConfigError(f"Cannot open the database {redact_url(engine.url)}: {type(exc.orig).__name__}") from None
