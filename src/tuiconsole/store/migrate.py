"""Create / migrate a database with the Alembic scripts shipped in the package."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# Alembic is imported inside the functions: every CLI start and console start
# would otherwise pay for it, and most only need to read the current revision.
if TYPE_CHECKING:
    from alembic.config import Config

# Full-text objects are made by raw SQL in migrations and are not in the models.
FULLTEXT_PREFIXES = ("customers_fts", "ix_customers_trgm", "ix_customers_search")


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (name and name.startswith(FULLTEXT_PREFIXES))


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("tuiconsole.store") / "migrations"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def table_names(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())
