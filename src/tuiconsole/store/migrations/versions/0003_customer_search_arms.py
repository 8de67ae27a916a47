"""customer search: covering indexes for the first name, email and username

A search of 1–2 letter words whose matches lie off the last name ("jo s": John
Smith is on his last name's range, but a John with an "s…" email is not) reads
those matches from the word's first-name, email and username ranges. Holding
every column the filter and the sort look at, these ranges are read index-only
(~0.1 µs an entry) instead of one table row per entry: the merge reads a word's
100,000 entries faster than the walk finds its first page. The first-name and
email indexes are widened in place; the username gets its own (the unique
constraint's index holds no other column).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# After the range's own column: the sort key, the other search columns, the status.
_STATUS = ["phone_digits", "status", "locked_at", "must_change_password"]
FIRST = ["site_id", "first_name_ci", "last_name_ci", "username_ci", "email_ci", *_STATUS]
EMAIL = ["site_id", "email_ci", "last_name_ci", "first_name_ci", "username_ci", *_STATUS]
USERNAME = ["site_id", "username_ci", "last_name_ci", "first_name_ci", "email_ci", *_STATUS]


def upgrade() -> None:
    op.drop_index("ix_customers_site_first", table_name="customers")
    op.drop_index("ix_customers_site_email", table_name="customers")
    op.create_index("ix_customers_site_first", "customers", FIRST)
    op.create_index("ix_customers_site_email", "customers", EMAIL)
    op.create_index("ix_customers_site_username", "customers", USERNAME)


def downgrade() -> None:
    op.drop_index("ix_customers_site_username", table_name="customers")
    op.drop_index("ix_customers_site_email", table_name="customers")
    op.drop_index("ix_customers_site_first", table_name="customers")
    op.create_index("ix_customers_site_first", "customers", ["site_id", "first_name_ci"])
    op.create_index("ix_customers_site_email", "customers", ["site_id", "email_ci"])
