"""The outbox: list, preview, retry, and the dispatcher that delivers (SPEC §5, §10.11).

Delivery is at least once. A dispatcher claims a row with one atomic UPDATE
(status 'sending' + a lease), so several consoles never send a message twice; a
dispatcher that dies mid-send leaves the lease to expire and the next one sends
it again with the same Message-ID.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tuiconsole.domain.errors import NotFound, ValidationError
from tuiconsole.domain.masking import mask_email
from tuiconsole.domain.roles import Permission
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.email.errors import PermanentSendError, SendError, TemplateError
from tuiconsole.services.email.message import build_message
from tuiconsole.services.email.render import render, render_redacted
from tuiconsole.services.mappers import email_view
from tuiconsole.services.outbox_queue import SECRET_TEMPLATES
from tuiconsole.services.views import ActionResult, Actor, EmailView
from tuiconsole.store.models import Customer, OutboundEmail, ResetTicket

log = logging.getLogger("tuiconsole.outbox")

MAX_ATTEMPTS = 5
LEASE_SECONDS = 120
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 15 * 60
EXPIRED_ERROR = "the reset email expired before it could be delivered"


@dataclass(frozen=True)
class EmailPreview:
    email: EmailView
    text: str  # body with any secret shown as [redacted]


@dataclass(frozen=True)
class _Claimed:
    """What a dispatcher needs to send the message it claimed."""

    id: int
    template: str
    params: str
    secret: str | None
    to_address: str
    message_id: str
    attempts: int  # this attempt included


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    deferred: int = 0  # transient failure, will be retried
    failed: int = 0  # gave up
    expired: int = 0  # a secret expired before it could be sent

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent,
            self.deferred + other.deferred,
            self.failed + other.failed,
            self.expired + other.expired,
        )

    @property
    def touched(self) -> int:
        return self.sent + self.deferred + self.failed + self.expired


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1)))


class OutboxService:
    def __init__(self, ctx: ServiceContext, transport: Any | None) -> None:
        self.ctx = ctx
        self.transport = transport

    @property
    def configured(self) -> bool:
        return self.transport is not None

    # --- reading ------------------------------------------------------------

    def _visible(self, actor: Actor) -> sa.ColumnElement[bool] | None:
        if actor.scope_ids is None:
            return None
        return OutboundEmail.scope_id.in_(sorted(actor.scope_ids))

    def list(
        self,
        actor: Actor,
        *,
        status: str | None = None,
        customer_id: int | None = None,
        limit: int = 500,
    ) -> list[EmailView]:
        self.ctx.require(actor, Permission.VIEW)
        stmt = sa.select(OutboundEmail).order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
        visible = self._visible(actor)
        if visible is not None:
            stmt = stmt.where(visible)
        if status:
            stmt = stmt.where(OutboundEmail.status == status)
        if customer_id is not None:
            stmt = stmt.where(OutboundEmail.customer_id == customer_id)
        with self.ctx.read() as s:
            return [email_view(e) for e in s.scalars(stmt.limit(limit))]

    def counts(self, actor: Actor) -> dict[str, int]:
        self.ctx.require(actor, Permission.VIEW)
        stmt = sa.select(OutboundEmail.status, sa.func.count()).group_by(OutboundEmail.status)
        visible = self._visible(actor)
        if visible is not None:
            stmt = stmt.where(visible)
        with self.ctx.read() as s:
            found = {status: count for status, count in s.execute(stmt)}
        return {k: int(found.get(k, 0)) for k in ("queued", "sending", "sent", "failed")}

    def _get(self, s: Any, actor: Actor, email_id: int) -> OutboundEmail:
        row = s.get(OutboundEmail, email_id)
        if row is None or not actor.sees(row.scope_id):
            raise NotFound("No such email in your scopes.")
        return row

    def preview(self, actor: Actor, email_id: int) -> EmailPreview:
        """Metadata and body, every secret redacted (SPEC §2 Outbox)."""
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            row = self._get(s, actor, email_id)
            try:
                text = render_redacted(row.template, json.loads(row.params or "{}")).text
            except (TemplateError, ValueError) as exc:
                text = f"(the body can't be shown: {exc})"
            return EmailPreview(email=email_view(row), text=text)

    # --- retry --------------------------------------------------------------

    def retry(self, actor: Actor, email_id: int) -> ActionResult:
        """A failed email again: secret-carrying ones with a fresh ticket (old one revoked)."""
        from tuiconsole.services.resets import issue_reset_email, refuse_if_unavailable

        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        with ctx.uow() as s:
            row = self._get(s, actor, email_id)
            if row.status != "failed":
                raise ValidationError("Only a failed email can be retried.")
            if row.template in SECRET_TEMPLATES:
                customer = s.get(Customer, row.customer_id) if row.customer_id else None
                if customer is None:
                    raise NotFound("The customer of this email no longer exists.")
                refuse_if_unavailable(ctx, s, customer)
                result = issue_reset_email(ctx, s, actor, customer, verified_by="retry", action="email_retried")
                return result
            row.status = "queued"
            row.attempts = 0
            row.next_attempt_at = ctx.now()
            row.lease_until = None
            ctx.record(
                s,
                actor,
                "email_retried",
                scope_id=row.scope_id,
                customer_id=row.customer_id,
                email_id=row.id,
                template=row.template,
            )
            return ActionResult(
                customer_id=row.customer_id,
                action="email_retried",
                summary=f"Email queued again to {mask_email(row.to_address)}",
                read_to_customer="We've sent the email again. Please check your spam folder too.",
                email_id=row.id,
                email_status="queued",
                at=ctx.now(),
            )

    # --- delivery -----------------------------------------------------------

    def scrub_expired(self) -> int:
        """Secrets whose ticket expired leave the outbox; unsent ones fail.

        Runs with or without a transport: an expired secret must not linger just
        because mail is not configured. A row under a live lease is left to the
        dispatcher sending it; its lease ends soon and the next pass catches it.
        """
        now = self.ctx.now()
        unsent = sa.or_(
            OutboundEmail.status == "queued",
            sa.and_(OutboundEmail.status == "sending", OutboundEmail.lease_until < now),
        )
        expired = sa.and_(OutboundEmail.secret.is_not(None), OutboundEmail.secret_expires_at <= now)
        with self.ctx.read() as s:
            # Most passes find nothing: no write transaction (a lock on SQLite) for them.
            if not s.scalar(sa.select(sa.exists().where(expired))):
                return 0
        failed = 0
        with self.ctx.uow() as s:
            rows = list(s.scalars(sa.select(OutboundEmail).where(expired, unsent).order_by(OutboundEmail.id)))
            for row in rows:
                # Guarded again: another dispatcher may have claimed it since the select.
                done = (
                    s.execute(
                        sa.update(OutboundEmail)
                        .where(OutboundEmail.id == row.id, expired, unsent)
                        .values(status="failed", secret=None, lease_until=None, last_error=EXPIRED_ERROR)
                    ).rowcount
                    or 0
                )
                if done:
                    failed += 1
                    self.ctx.record(
                        s,
                        "system:dispatcher",
                        "email_failed",
                        scope_id=row.scope_id,
                        customer_id=row.customer_id,
                        email_id=row.id,
                        template=row.template,
                        reply=EXPIRED_ERROR,
                    )
            # Sent or failed rows keep no secret either (normally already gone).
            s.execute(
                sa.update(OutboundEmail)
                .where(expired, OutboundEmail.status.in_(("sent", "failed")))
                .values(secret=None)
            )
        return failed

    @staticmethod
    def _due(now: datetime) -> sa.ColumnElement[bool]:
        """Queued and past its backoff, or claimed by a dispatcher whose lease ran out."""
        return sa.or_(
            sa.and_(
                OutboundEmail.status == "queued",
                sa.or_(OutboundEmail.next_attempt_at.is_(None), OutboundEmail.next_attempt_at <= now),
            ),
            sa.and_(OutboundEmail.status == "sending", OutboundEmail.lease_until < now),
        )

    @staticmethod
    def _claimed_values(now: datetime) -> dict[str, Any]:
        return {
            "status": "sending",
            "lease_until": now + timedelta(seconds=LEASE_SECONDS),
            "attempts": OutboundEmail.attempts + 1,
        }

    def _claim(self, email_id: int) -> bool:
        """Claim this message: one atomic UPDATE, True for exactly one dispatcher."""
        now = self.ctx.now()
        with self.ctx.uow() as s:
            result = s.execute(
                sa.update(OutboundEmail)
                .where(OutboundEmail.id == email_id, self._due(now))
                .values(**self._claimed_values(now))
            )
            return (result.rowcount or 0) == 1

    def _claim_next(self) -> _Claimed | None:
        """Claim the oldest due message and read what sending it needs, in one UPDATE.

        PostgreSQL: SKIP LOCKED lets racing dispatchers take different rows instead of
        queueing behind one; the due condition is checked again on the locked row.
        SQLite: the statement runs under the database's single write lock.
        """
        now = self.ctx.now()
        next_id = (
            sa.select(OutboundEmail.id)
            .where(self._due(now))
            .order_by(OutboundEmail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        stmt = (
            sa.update(OutboundEmail)
            .where(OutboundEmail.id == next_id, self._due(now))
            .values(**self._claimed_values(now))
            .returning(
                OutboundEmail.id,
                OutboundEmail.template,
                OutboundEmail.params,
                OutboundEmail.secret,
                OutboundEmail.to_address,
                OutboundEmail.message_id,
                OutboundEmail.attempts,
            )
            .execution_options(synchronize_session=False)
        )
        with self.ctx.uow() as s:
            row = s.execute(stmt).one_or_none()
        return None if row is None else _Claimed(*row)

    def deliver_due(self, *, limit: int = 50) -> DeliveryReport:
        """Send what is due, up to ``limit`` messages. Without a transport, mail stays queued."""
        report = DeliveryReport(expired=self.scrub_expired())
        if self.transport is None:
            return report
        for _ in range(limit):
            claimed = self._claim_next()
            if claimed is None:
                break
            report = report + self._send(claimed)
        return report

    def deliver_all(self, *, max_rounds: int = 100) -> DeliveryReport:
        """`tuiconsole outbox deliver`: keep going while messages are due now.

        A deferred message is due again only after its backoff, so a round that
        touched nothing means nothing more is due now.
        """
        total = DeliveryReport()
        for _ in range(max_rounds):
            report = self.deliver_due()
            total = total + report
            if report.touched == 0:
                break
        return total

    def pending_count(self) -> int:
        """Emails not yet delivered nor given up (queued or sending), in every scope.

        For the dispatcher's status line; no actor, as it counts rows, shows none.
        """
        stmt = (
            sa.select(sa.func.count()).select_from(OutboundEmail).where(OutboundEmail.status.in_(("queued", "sending")))
        )
        with self.ctx.read() as s:
            return int(s.scalar(stmt) or 0)

    def _send(self, claimed: _Claimed) -> DeliveryReport:
        ctx = self.ctx
        email_id, template, secret = claimed.id, claimed.template, claimed.secret
        to, message_id, attempts = claimed.to_address, claimed.message_id, claimed.attempts
        if template in SECRET_TEMPLATES and secret is None:
            self._finish(email_id, "failed", "the reset email's secret is gone (expired or already sent)")
            return DeliveryReport(failed=1)
        try:
            params = json.loads(claimed.params or "{}")
            content = render(template, params, secret=secret)
            msg = build_message(
                content,
                to=to,
                from_name=str(params.get("from_name", "")),
                from_address=str(params.get("from_address", "no-reply@tuiconsole.invalid")),
                message_id=message_id,
                date=ctx.now(),
            )
        except (TemplateError, ValueError) as exc:
            self._finish(email_id, "failed", f"the email could not be built: {exc}")
            return DeliveryReport(failed=1)
        try:
            self.transport.send(msg)  # type: ignore[union-attr]
        except PermanentSendError as exc:
            self._finish(email_id, "failed", exc.reply)
            return DeliveryReport(failed=1)
        except SendError as exc:
            return self._defer(email_id, attempts, exc.reply)
        except Exception as exc:  # noqa: BLE001 - a transport bug must not kill the dispatcher
            # Only the type: an exception's text may quote what it was given.
            log.error("unexpected transport error: %s", type(exc).__name__)
            return self._defer(email_id, attempts, f"unexpected transport error ({type(exc).__name__})")
        self._finish(email_id, "sent", None)
        return DeliveryReport(sent=1)

    def _defer(self, email_id: int, attempts: int, reply: str) -> DeliveryReport:
        """A transient failure: again after the backoff, until MAX_ATTEMPTS."""
        if attempts >= MAX_ATTEMPTS:
            self._finish(email_id, "failed", f"gave up after {attempts} attempts: {reply}")
            return DeliveryReport(failed=1)
        self._finish(email_id, "queued", reply, retry_at=self.ctx.now() + backoff(attempts))
        return DeliveryReport(deferred=1)

    def _finish(self, email_id: int, status: str, error: str | None, retry_at: Any = None) -> None:
        ctx = self.ctx
        now = ctx.now()
        with ctx.uow() as s:
            row = s.get(OutboundEmail, email_id)
            if row is None or row.status != "sending":
                # Sent, failed or requeued meanwhile (our lease ran out and another
                # dispatcher took over): its outcome stands.
                return
            row.status = status
            row.lease_until = None
            row.last_error = error[:1000] if error else None
            if status == "sent":
                row.sent_at = now
                row.secret = None  # delivered: the secret leaves the database
            elif status == "failed":
                row.secret = None
                # A reset email that never arrived leaves no usable ticket behind.
                if row.ticket_id is not None:
                    s.execute(
                        sa.update(ResetTicket)
                        .where(
                            ResetTicket.id == row.ticket_id,
                            ResetTicket.used_at.is_(None),
                            ResetTicket.revoked_at.is_(None),
                        )
                        .values(revoked_at=now)
                    )
                ctx.record(
                    s,
                    "system:dispatcher",
                    "email_failed",
                    scope_id=row.scope_id,
                    customer_id=row.customer_id,
                    email_id=row.id,
                    template=row.template,
                    reply=row.last_error,
                )
            else:
                row.next_attempt_at = retry_at
