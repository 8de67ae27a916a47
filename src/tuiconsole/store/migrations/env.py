"""Alembic environment: runs against the connection handed over by store.migrate."""

from __future__ import annotations

from alembic import context

from tuiconsole.store.migrate import include_object
from tuiconsole.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always run through store.migrate
    raise RuntimeError("run migrations through tuiconsole.store.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
