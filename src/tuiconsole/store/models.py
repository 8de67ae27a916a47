"""SQLAlchemy models: one class per concept of the data model (SPEC §1).

Constraints live in the database too (unique, foreign keys, checks), so a bug in a
service or a hand-edited row can't create an impossible state.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tuiconsole.store.types import UTCDateTime, search_text

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


SCOPE_KINDS = ("group", "brand", "site")
CUSTOMER_STATUSES = ("active", "disabled")
LOCK_KINDS = ("failed_logins", "staff")
TICKET_KINDS = ("link", "temporary_password")
EMAIL_STATUSES = ("queued", "sending", "sent", "failed")
ROLES = ("csr", "supervisor", "trainer", "admin")
USER_STATUSES = ("active", "disabled")
MEMBERSHIP_STATUSES = ("active", "cancelled")
RESET_EMAIL_MODES = ("link", "temporary_password")
NOTIFY_MODES = ("always", "csr_decides")


class Meta(Base):
    """Key/value facts about the database itself (e.g. that it is a demo database)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(400))


class Scope(Base):
    __tablename__ = "scopes"
    __table_args__ = (sa.CheckConstraint(_in("kind", SCOPE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("scopes.id", ondelete="RESTRICT"), index=True
    )


class ResetOptionsRow(Base):
    """Password Reset Options set on one scope; NULL in a column = inherited."""

    __tablename__ = "reset_options"
    __table_args__ = (
        sa.CheckConstraint(
            "reset_email_mode IS NULL OR " + _in("reset_email_mode", RESET_EMAIL_MODES),
            name="reset_email_mode",
        ),
        sa.CheckConstraint(
            "notify_on_change IS NULL OR " + _in("notify_on_change", NOTIFY_MODES),
            name="notify_on_change",
        ),
        sa.CheckConstraint(
            "min_length IS NULL OR max_length IS NULL OR min_length <= max_length",
            name="length_order",
        ),
    )

    scope_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scopes.id", ondelete="CASCADE"), primary_key=True
    )
    allow_manual_entry: Mapped[bool | None]
    temporary_by_default: Mapped[bool | None]
    reset_email_mode: Mapped[str | None] = mapped_column(sa.String(32))
    ticket_expiration_minutes: Mapped[int | None]
    temporary_password_hours: Mapped[int | None]
    include_username_in_email: Mapped[bool | None]
    notify_on_change: Mapped[str | None] = mapped_column(sa.String(32))
    min_length: Mapped[int | None]
    max_length: Mapped[int | None]
    require_upper: Mapped[bool | None]
    require_lower: Mapped[bool | None]
    require_digit: Mapped[bool | None]
    require_letter: Mapped[bool | None]
    require_special: Mapped[bool | None]
    reject_common: Mapped[bool | None]
    reject_personal: Mapped[bool | None]
    history: Mapped[int | None]
    lockout_threshold: Mapped[int | None]
    lockout_minutes: Mapped[int | None]
    email_from_name: Mapped[str | None] = mapped_column(sa.String(200))
    email_from_address: Mapped[str | None] = mapped_column(sa.String(320))
    reset_url: Mapped[str | None] = mapped_column(sa.String(1000))


class Account(Base):
    """A retailer: a company whose several contacts each log in separately."""

    __tablename__ = "accounts"
    __table_args__ = (sa.UniqueConstraint("site_id", "code", name="uq_accounts_site_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("scopes.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))


# What a search's filter and sort read besides the indexed range's own column.
_SEARCH_STATUS = ("phone_digits", "status", "locked_at", "must_change_password")
_COVER_AFTER_FIRST = ("last_name_ci", "username_ci", "email_ci", *_SEARCH_STATUS)
_COVER_AFTER_EMAIL = ("last_name_ci", "first_name_ci", "username_ci", *_SEARCH_STATUS)
_COVER_AFTER_USERNAME = ("last_name_ci", "first_name_ci", "email_ci", *_SEARCH_STATUS)


class Customer(Base):
    """One login of a vendor website (a contact)."""

    __tablename__ = "customers"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "username_ci", name="uq_customers_site_username"),
        sa.CheckConstraint(_in("status", CUSTOMER_STATUSES), name="status"),
        sa.CheckConstraint("lock_kind IS NULL OR " + _in("lock_kind", LOCK_KINDS), name="lock_kind"),
        sa.CheckConstraint("(locked_at IS NULL) = (lock_kind IS NULL)", name="lock_pair"),
        sa.CheckConstraint("failed_login_count >= 0", name="failed_nonneg"),
        sa.CheckConstraint("version >= 1", name="version_pos"),
        # Console searches: prefix ranges within a site, and the list's sort order.
        sa.Index("ix_customers_site_sort", "site_id", "last_name_ci", "first_name_ci", "id"),
        # Covering (migration 0003): a 1–2 letter word's matches off the last name are
        # read from these ranges without visiting the table.
        sa.Index("ix_customers_site_first", "site_id", "first_name_ci", *_COVER_AFTER_FIRST),
        sa.Index("ix_customers_site_email", "site_id", "email_ci", *_COVER_AFTER_EMAIL),
        sa.Index("ix_customers_site_username", "site_id", "username_ci", *_COVER_AFTER_USERNAME),
        sa.Index("ix_customers_site_phone", "site_id", "phone_digits"),
        sa.Index("ix_customers_account", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("scopes.id", ondelete="RESTRICT"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(sa.String(150))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    first_name: Mapped[str] = mapped_column(sa.String(200), default="")
    last_name: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(64))
    # Lowercased copies kept in step by the repository: indexed, byte-ordered.
    username_ci: Mapped[str] = mapped_column(search_text(150))
    email_ci: Mapped[str] = mapped_column(search_text(320), default="")
    first_name_ci: Mapped[str] = mapped_column(search_text(200), default="")
    last_name_ci: Mapped[str] = mapped_column(search_text(200), default="")
    phone_digits: Mapped[str] = mapped_column(search_text(64), default="")

    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    status_reason: Mapped[str | None] = mapped_column(sa.String(500))
    password_hash: Mapped[str | None] = mapped_column(sa.String(400))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lock_kind: Mapped[str | None] = mapped_column(sa.String(16))
    lock_reason: Mapped[str | None] = mapped_column(sa.String(500))
    locked_by: Mapped[str | None] = mapped_column(sa.String(200))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by: Mapped[str | None] = mapped_column(sa.String(200))
    # Rises only on staff profile edits (SPEC §1 "Version"): optimistic locking.
    version: Mapped[int] = mapped_column(default=1)

    site: Mapped[Scope] = relationship(lazy="raise")
    account: Mapped[Account | None] = relationship(lazy="raise")


class PasswordHistory(Base):
    __tablename__ = "password_history"
    __table_args__ = (sa.Index("ix_password_history_customer", "customer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id", ondelete="CASCADE"))
    password_hash: Mapped[str] = mapped_column(sa.String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Offer(Base):
    """A membership or product that grants access, in a scope."""

    __tablename__ = "offers"
    __table_args__ = (sa.UniqueConstraint("scope_id", "code", name="uq_offers_scope_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_id: Mapped[int] = mapped_column(sa.ForeignKey("scopes.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    has_password_field: Mapped[bool] = mapped_column(default=False)
    welcome_on_grant: Mapped[bool] = mapped_column(default=False)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("customer_id", "offer_id", name="uq_memberships_customer_offer"),
        sa.CheckConstraint(_in("status", MEMBERSHIP_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id", ondelete="RESTRICT"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    password_hash: Mapped[str | None] = mapped_column(sa.String(400))
    failed_check_count: Mapped[int] = mapped_column(default=0)


class ResetTicket(Base):
    """A single-use secret sent by email; only its hash is kept."""

    __tablename__ = "reset_tickets"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", TICKET_KINDS), name="kind"),
        sa.Index("ix_reset_tickets_customer_open", "customer_id", "used_at", "revoked_at"),
        sa.Index("ix_reset_tickets_lookup", "lookup"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    # SHA-256 of a link token (indexed for lookup); NULL for temporary passwords.
    lookup: Mapped[str | None] = mapped_column(sa.String(64))
    # argon2id of a temporary password; NULL for links.
    secret_hash: Mapped[str | None] = mapped_column(sa.String(400))
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboundEmail(Base):
    """One message of the outbox, queued in the transaction of the change."""

    __tablename__ = "outbound_emails"
    __table_args__ = (
        sa.CheckConstraint(_in("status", EMAIL_STATUSES), name="status"),
        sa.Index("ix_outbound_emails_due", "status", "next_attempt_at"),
        sa.Index("ix_outbound_emails_customer", "customer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scopes.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="SET NULL")
    )
    ticket_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reset_tickets.id", ondelete="SET NULL")
    )
    template: Mapped[str] = mapped_column(sa.String(64))
    to_address: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(400))
    params: Mapped[str] = mapped_column(sa.Text, default="{}")  # JSON, never a secret
    secret: Mapped[str | None] = mapped_column(sa.String(400))  # until delivered or expired
    secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str] = mapped_column(sa.String(300), unique=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(sa.String(200), default="system")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ActivityEvent(Base):
    """The audit trail: append-only; details never hold a secret."""

    __tablename__ = "activity_events"
    __table_args__ = (
        sa.Index("ix_activity_events_at", "at"),
        sa.Index("ix_activity_events_customer", "customer_id", "at"),
        sa.Index("ix_activity_events_scope", "scope_id", "at"),
        sa.Index("ix_activity_events_action", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(sa.String(200))
    scope_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scopes.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customers.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[str] = mapped_column(sa.String(32), default="ok")
    details: Mapped[str] = mapped_column(sa.Text, default="{}")  # JSON


class ConsoleUser(Base):
    """A person who logs in to the console."""

    __tablename__ = "console_users"
    __table_args__ = (
        sa.CheckConstraint(_in("role", ROLES), name="role"),
        sa.CheckConstraint(_in("status", USER_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(150), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str | None] = mapped_column(sa.String(400))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConsoleUserScope(Base):
    """A scope granted to a console user; a grant covers the subtree."""

    __tablename__ = "console_user_scopes"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("console_users.id", ondelete="CASCADE"), primary_key=True
    )
    scope_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scopes.id", ondelete="CASCADE"), primary_key=True
    )
