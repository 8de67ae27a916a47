"""The migrations build exactly the models' schema, and go down and up again (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tuiconsole.store import migrate
from tuiconsole.store.db import make_engine
from tuiconsole.store.models import Base


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A brand-new, empty database (no migration run yet)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    new_database: Callable[[], str] = request.getfixturevalue("pg_server")
    return new_database()


def schema_diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"include_object": migrate.include_object, "compare_type": True}
            )
            return list(compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
    engine.dispose()
    assert schema_diff(empty_url) == []


def test_downgrade_to_base_then_upgrade_again(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        # Only Alembic's own bookkeeping table may stay behind.
        assert migrate.table_names(engine) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert {t.name for t in Base.metadata.sorted_tables} <= migrate.table_names(engine)
    finally:
        engine.dispose()
    assert schema_diff(empty_url) == []


def test_the_diff_check_notices_a_missing_column(tmp_path: Path) -> None:
    """Guard against a comparison that could never fail."""
    url = f"sqlite:///{tmp_path / 'drift.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE console_users DROP COLUMN last_login_at")
    engine.dispose()
    diff = schema_diff(url)
    assert any("last_login_at" in repr(d) for d in diff)


def test_the_shipped_head_read_without_alembic_is_alembics_head() -> None:
    assert migrate.shipped_head() == migrate.head_revision()


def test_stored_revision_follows_the_database(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        assert migrate.stored_revision(engine) is None  # no alembic_version table yet
        assert not migrate.is_up_to_date(engine)
        migrate.upgrade(engine, "0001")
        assert migrate.stored_revision(engine) == "0001" == migrate.current_revision(engine)
        assert not migrate.is_up_to_date(engine)
        migrate.upgrade(engine)
        assert migrate.stored_revision(engine) == migrate.current_revision(engine)
        assert migrate.is_up_to_date(engine)
    finally:
        engine.dispose()


def _customer_indexes(engine: sa.Engine) -> dict[str, list[str]]:
    return {ix["name"]: ix["column_names"] for ix in sa.inspect(engine).get_indexes("customers") if ix["name"]}


def test_the_covering_search_indexes_go_down_to_0002_and_up_again(empty_url: str) -> None:
    """0003 widens the first-name and email indexes and adds the username one; down restores 0002's."""
    engine = make_engine(empty_url)
    try:
        migrate.upgrade(engine)
        up = _customer_indexes(engine)
        assert up["ix_customers_site_username"][:2] == ["site_id", "username_ci"]
        assert "last_name_ci" in up["ix_customers_site_first"] and "last_name_ci" in up["ix_customers_site_email"]
        migrate.downgrade(engine, "0002")
        engine.dispose()
        down = _customer_indexes(engine)
        assert "ix_customers_site_username" not in down
        assert down["ix_customers_site_first"] == ["site_id", "first_name_ci"]
        assert down["ix_customers_site_email"] == ["site_id", "email_ci"]
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert schema_diff(empty_url) == []
