"""Create / migrate a database with the Alembic scripts shipped in the package."""

from __future__ import annotations

import ast
import re
from functools import cache
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


# `revision = "0002"` / `down_revision = "0001"` (optionally annotated) in a version script.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@cache
def shipped_head() -> str | None:
    """The newest revision shipped, read from the version scripts' own lines.

    The start-up check needs only this and the stored revision; loading Alembic
    (~0.2 s) for it would slow down every console start. Anything unusual (a merge,
    two heads, a line this can't read) falls back to Alembic's own answer.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    folder = resources.files("tuiconsole.store") / "migrations" / "versions"
    for script in folder.iterdir():
        if not script.name.endswith(".py") or script.name.startswith("_"):
            continue
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        try:
            revision, parent = ast.literal_eval(found["revision"]), ast.literal_eval(found["down_revision"])
        except (KeyError, ValueError, SyntaxError):
            return head_revision()
        if not isinstance(revision, str) or not (parent is None or isinstance(parent, str)):
            return head_revision()
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    if len(heads) != 1 or not parents <= revisions:
        return head_revision()
    return heads.pop()


def stored_revision(engine: Engine) -> str | None:
    """The revision the database is at (Alembic's one-row table), without loading Alembic."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def is_up_to_date(engine: Engine) -> bool:
    return stored_revision(engine) == shipped_head()


def table_names(engine: Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())
