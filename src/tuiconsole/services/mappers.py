"""ORM rows → plain views, computed once inside the session that read them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.domain.lockout import lock_state
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.outbox_queue import SECRET_TEMPLATES
from tuiconsole.services.views import (
    ActivityView,
    CustomerDetails,
    CustomerRow,
    EmailView,
    TicketView,
)
from tuiconsole.store.models import (
    Account,
    ActivityEvent,
    Customer,
    OutboundEmail,
    ResetTicket,
)

RECENT_RESET_MINUTES = 5


def customer_row(ctx: ServiceContext, session: Session, c: Customer, lockout_minutes: int) -> CustomerRow:
    scope = ctx.scopes(session)[c.site_id]
    state = lock_state(
        status=c.status,
        lock_kind=c.lock_kind,
        locked_at=c.locked_at,
        lockout_minutes=lockout_minutes,
        now=ctx.now(),
    )
    return CustomerRow(
        id=c.id,
        site_id=c.site_id,
        site_code=scope.code,
        site_name=scope.name,
        username=c.username,
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email,
        phone=c.phone,
        status=state.status,
        must_change_password=c.must_change_password,
        last_login_at=c.last_login_at,
        created_at=c.created_at,
    )


def open_ticket(session: Session, customer_id: int, now: datetime) -> ResetTicket | None:
    return session.scalar(
        sa.select(ResetTicket)
        .where(
            ResetTicket.customer_id == customer_id,
            ResetTicket.used_at.is_(None),
            ResetTicket.revoked_at.is_(None),
            ResetTicket.expires_at > now,
        )
        .order_by(ResetTicket.created_at.desc())
        .limit(1)
    )


def customer_details(ctx: ServiceContext, session: Session, c: Customer) -> CustomerDetails:
    now = ctx.now()
    opts = ctx.options(session, c.site_id)
    scope = ctx.scopes(session)[c.site_id]
    state = lock_state(
        status=c.status,
        lock_kind=c.lock_kind,
        locked_at=c.locked_at,
        lockout_minutes=opts.values.lockout_minutes,
        now=now,
    )
    ticket = open_ticket(session, c.id, now)
    account_name = None
    if c.account_id is not None:
        account_name = session.scalar(sa.select(Account.name).where(Account.id == c.account_id))
    recent = session.scalar(
        sa.select(sa.func.max(OutboundEmail.created_at)).where(
            OutboundEmail.customer_id == c.id,
            OutboundEmail.template.in_(SECRET_TEMPLATES),
            OutboundEmail.created_at >= now - timedelta(minutes=RECENT_RESET_MINUTES),
        )
    )
    temporary = c.must_change_password and c.password_expires_at is not None
    return CustomerDetails(
        id=c.id,
        site_id=c.site_id,
        site_code=scope.code,
        site_name=scope.name,
        brand_name=ctx.brand_name(session, c.site_id),
        scope_path=ctx.scope_path(session, c.site_id),
        username=c.username,
        first_name=c.first_name,
        last_name=c.last_name,
        email=c.email,
        phone=c.phone,
        account_id=c.account_id,
        account_name=account_name,
        status=state.status,
        status_reason=c.status_reason,
        lock_kind=state.lock_kind,
        locked_at=c.locked_at if state.status == "locked" else None,
        lock_reason=c.lock_reason if state.status == "locked" else None,
        locked_by=c.locked_by if state.status == "locked" else None,
        auto_unlock_at=state.auto_unlock_at,
        failed_login_count=c.failed_login_count,
        last_login_at=c.last_login_at,
        password_set=c.password_hash is not None,
        password_changed_at=c.password_changed_at,
        must_change_password=c.must_change_password,
        password_temporary=temporary,
        password_expires_at=c.password_expires_at,
        created_at=c.created_at,
        updated_at=c.updated_at,
        updated_by=c.updated_by,
        version=c.version,
        pending_ticket=ticket_view(ticket) if ticket else None,
        unlocks_on_ticket_use=bool(
            ticket and state.status == "locked" and state.lock_kind == "failed_logins"
        ),
        options=opts,
        recent_reset_email_at=recent,
    )


def ticket_view(t: ResetTicket) -> TicketView:
    return TicketView(
        id=t.id, kind=t.kind, created_by=t.created_by, created_at=t.created_at, expires_at=t.expires_at
    )


def email_view(e: OutboundEmail) -> EmailView:
    return EmailView(
        id=e.id,
        customer_id=e.customer_id,
        scope_id=e.scope_id,
        template=e.template,
        to_address=e.to_address,
        subject=e.subject,
        status=e.status,
        attempts=e.attempts,
        last_error=e.last_error,
        created_at=e.created_at,
        sent_at=e.sent_at,
        created_by=e.created_by,
        carries_secret=e.template in SECRET_TEMPLATES,
        message_id=e.message_id,
    )


ACTION_WORDS = {
    "reset_email_sent": "sent a reset password email",
    "password_set": "set a new password",
    "temporary_password_set": "set a temporary password",
    "unlocked": "unlocked the account",
    "locked": "locked the account",
    "disabled": "disabled the account",
    "enabled": "enabled the account",
    "profile_updated": "updated the profile",
    "customer_created": "created the customer",
    "offer_granted": "granted an offer",
    "credentials_resent": "resent membership credentials",
    "membership_password_set": "set a membership password",
    "login": "logged in",
    "login_failed": "failed to log in",
    "locked_out": "was locked after failed logins",
    "forgot_password": "asked for a reset email",
    "ticket_redeemed": "used the reset email",
    "password_changed": "changed their password",
    "email_retried": "retried an email",
    "email_sent": "email delivered",
    "email_failed": "email failed",
    "options_updated": "changed Password Reset Options",
    "generated_password_copied": "copied a generated password",
}


def activity_view(e: ActivityEvent) -> ActivityView:
    try:
        details = json.loads(e.details or "{}")
    except ValueError:
        details = {}
    words = ACTION_WORDS.get(e.action, e.action.replace("_", " "))
    summary = f"{e.actor} {words}" + ("" if e.outcome == "ok" else f" ({e.outcome})")
    return ActivityView(
        id=e.id,
        at=e.at,
        actor=e.actor,
        scope_id=e.scope_id,
        customer_id=e.customer_id,
        action=e.action,
        outcome=e.outcome,
        details=details,
        summary=summary,
    )
