"""Plain data the services hand back: never live ORM objects.

The console and the CLI read these; a thread can pass them around freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tuiconsole.domain.options import EffectiveOptions
from tuiconsole.domain.policy import PolicyReport


@dataclass(frozen=True)
class Actor:
    """Who is acting: a console user, the CLI (`cli:<os user>`), a customer or the system."""

    label: str  # what the activity log records, e.g. "casey.csr" or "cli:root"
    display_name: str
    role: str  # csr | supervisor | trainer | admin (the CLI acts as admin)
    kind: str = "console"  # console | cli | system | customer
    user_id: int | None = None
    # Scope ids this actor may see (granted scopes and their subtrees); None = all.
    scope_ids: frozenset[int] | None = None
    demo: bool = False

    def sees(self, scope_id: int | None) -> bool:
        return self.scope_ids is None or (scope_id is not None and scope_id in self.scope_ids)


@dataclass(frozen=True)
class ScopeNode:
    id: int
    code: str
    name: str
    kind: str  # group | brand | site
    parent_id: int | None
    depth: int
    path: str  # "Global > Acme Retail > acme.com (US)"


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list."""

    id: int
    site_id: int
    site_code: str
    site_name: str
    username: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    status: str  # active | locked | disabled (computed, see CustomerDetails.status)
    must_change_password: bool
    last_login_at: datetime | None
    created_at: datetime

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class SearchPage:
    rows: list[CustomerRow]
    offset: int
    total: int
    exact: bool  # False: "about N"


@dataclass(frozen=True)
class TicketView:
    """The pending reset ticket of a customer (never its secret)."""

    id: int
    kind: str  # link | temporary_password
    created_by: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class EmailView:
    id: int
    customer_id: int | None
    scope_id: int | None
    template: str
    to_address: str
    subject: str
    status: str  # queued | sending | sent | failed
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    created_by: str
    carries_secret: bool
    message_id: str


@dataclass(frozen=True)
class ActivityView:
    id: int
    at: datetime
    actor: str
    scope_id: int | None
    customer_id: int | None
    action: str
    outcome: str
    details: dict[str, object]
    summary: str  # one readable line
    scope_code: str | None = None  # filled by the Activity screen's query
    customer_username: str | None = None


@dataclass(frozen=True)
class MembershipView:
    id: int
    offer_id: int
    offer_code: str
    offer_name: str
    granted_at: datetime
    status: str
    has_password_field: bool
    has_membership_password: bool
    welcome_on_grant: bool


@dataclass(frozen=True)
class OfferView:
    id: int
    code: str
    name: str
    scope_id: int
    has_password_field: bool
    welcome_on_grant: bool


@dataclass(frozen=True)
class CustomerDetails:
    id: int
    site_id: int
    site_code: str
    site_name: str
    brand_name: str
    scope_path: str
    username: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    account_id: int | None
    account_name: str | None
    # active | locked | disabled; lock_kind says which lock (failed_logins | staff)
    status: str
    status_reason: str | None
    lock_kind: str | None
    locked_at: datetime | None
    lock_reason: str | None
    locked_by: str | None
    auto_unlock_at: datetime | None  # automatic lock: when it lifts by itself
    failed_login_count: int
    last_login_at: datetime | None
    password_set: bool
    password_changed_at: datetime | None
    must_change_password: bool
    password_temporary: bool
    password_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime | None
    updated_by: str | None
    version: int
    pending_ticket: TicketView | None
    # True when an automatic lock will lift once the customer uses the reset email.
    unlocks_on_ticket_use: bool
    options: EffectiveOptions
    recent_reset_email_at: datetime | None  # a reset email in the last few minutes

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_locked(self) -> bool:
        return self.status == "locked"

    @property
    def can_reset(self) -> bool:
        return self.status != "disabled" and self.lock_kind != "staff"


@dataclass(frozen=True)
class ProfileChanges:
    """Profile fields a CSR may edit; None = unchanged."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None  # "" clears the email
    phone: str | None = None
    account_id: int | None = None


@dataclass(frozen=True)
class ActionResult:
    """What a use case did, for the Last action box and the toast."""

    customer_id: int | None
    action: str  # reset_email_sent | password_set | unlocked | ...
    summary: str  # "Reset email queued to j***@example.com"
    read_to_customer: str  # the line the CSR reads out
    email_id: int | None = None
    email_status: str | None = None
    at: datetime | None = None
    one_time_secret: str | None = None  # only a console user's new temp password, shown once


@dataclass(frozen=True)
class PasswordCheck:
    """The live checklist of the Set Customer Password dialog."""

    report: PolicyReport
    matches: bool | None  # None while "Retype password" is empty


@dataclass(frozen=True)
class ConsoleUserView:
    id: int
    username: str
    display_name: str
    role: str
    status: str
    locked: bool
    must_change_password: bool
    scope_codes: list[str] = field(default_factory=list)
    last_login_at: datetime | None = None


@dataclass(frozen=True)
class LoginResult:
    actor: Actor
    must_change_password: bool


@dataclass(frozen=True)
class OptionsView:
    scope_id: int
    scope_name: str
    effective: EffectiveOptions
    set_here: dict[str, object]
