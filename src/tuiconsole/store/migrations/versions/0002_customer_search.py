"""customer search: trigram indexes for substrings, a covering index for the list

SQLite: an external-content FTS5 table with the trigram tokenizer over the
lowercased search columns (already casefolded: the tokenizer needn't fold), kept
in step by triggers (an UPDATE trigger only on
those columns, so logins and lockouts don't touch it). PostgreSQL: one pg_trgm
GIN index over the same columns. Both: a covering index in the list's sort order that also holds every
column the filter looks at, so the first page of a huge match set comes from
walking one index in order.

These objects are not in the models (see store.migrate.FULLTEXT_PREFIXES).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEARCH_COLUMNS = ("first_name_ci", "last_name_ci", "username_ci", "email_ci", "phone_digits")
_COLS = ", ".join(SEARCH_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in SEARCH_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in SEARCH_COLUMNS)

# The list's sort key first (not the site: a brand lists several sites in one order),
# then what the filter reads, so walking it in order never visits the table.
_WALK_KEY = "last_name_ci, first_name_ci, id"
_WALK_FILTER = "site_id, username_ci, email_ci, phone_digits, status, locked_at, must_change_password"

SQLITE_UP = [
    f"CREATE VIRTUAL TABLE customers_fts USING fts5({_COLS}, content='customers', "
    "content_rowid='id', tokenize='trigram case_sensitive 1', columnsize=0)",
    # A bulk load (store.repositories.customers.bulk_insert_customers) sets the meta
    # key inside its own transaction and indexes its rows in one statement instead.
    f"""CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers
        WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'customers_fts_deferred') BEGIN
        INSERT INTO customers_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});
    END""",
    f"""CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
        INSERT INTO customers_fts(customers_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});
    END""",
    f"""CREATE TRIGGER customers_fts_au AFTER UPDATE OF {_COLS} ON customers BEGIN
        INSERT INTO customers_fts(customers_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});
        INSERT INTO customers_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});
    END""",
    "INSERT INTO customers_fts(customers_fts) VALUES ('rebuild')",
    f"CREATE INDEX ix_customers_search_walk ON customers ({_WALK_KEY}, {_WALK_FILTER})",
]
SQLITE_DOWN = [
    "DROP INDEX IF EXISTS ix_customers_search_walk",
    "DROP TRIGGER IF EXISTS customers_fts_au",
    "DROP TRIGGER IF EXISTS customers_fts_ad",
    "DROP TRIGGER IF EXISTS customers_fts_ai",
    "DROP TABLE IF EXISTS customers_fts",
]

# One trigram index over all search columns (a space between them: a search word
# has none, so it can't match across two fields). One GIN entry per distinct trigram
# of the row, not one per column: loads several times faster than five indexes.
# The repository builds the same expression (customer_search.PG_TRIGRAM_TEXT).
PG_TRIGRAM_TEXT = " || ' ' || ".join(SEARCH_COLUMNS)

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX ix_customers_trgm_all ON customers USING gin (({PG_TRIGRAM_TEXT}) gin_trgm_ops)",
    f"CREATE INDEX ix_customers_search_walk ON customers ({_WALK_KEY}) INCLUDE ({_WALK_FILTER})",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_customers_search_walk",
    "DROP INDEX IF EXISTS ix_customers_trgm_all",
]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sql)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN)
