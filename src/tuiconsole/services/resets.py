"""The Set Customer Password dialog's use cases (SPEC §1 "Passwords, precisely", §2 step 6).

- Send Reset Password email: a ticket of the scope's reset mode; the current
  password keeps working until the ticket is used.
- Type new password: replaces the hash at once (only where the scope allows it).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from tuiconsole.domain.errors import NotAllowed, PolicyViolation, ValidationError
from tuiconsole.domain.masking import mask_email
from tuiconsole.domain.options import ResetOptions
from tuiconsole.domain.policy import (
    PasswordPolicy,
    PersonalData,
    generate_password,
    history_rule,
    normalize_password,
)
from tuiconsole.domain.roles import Permission
from tuiconsole.domain.tokens import hash_token, new_link_token
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.customers import check_verified_by
from tuiconsole.services.email.words import validity_in_words
from tuiconsole.services.mappers import customer_details
from tuiconsole.services.outbox_queue import customer_params, queue_email
from tuiconsole.services.views import ActionResult, Actor, PasswordCheck
from tuiconsole.store.models import Customer, ResetTicket
from tuiconsole.store.repositories.history import PasswordHistoryRepository
from tuiconsole.store.repositories.tickets import TicketRepository

SPAM_HINT = "If you don't see it in a few minutes, please check your spam folder."


def check_typed_password(password: str, retype: str, verified_by: str | None) -> str:
    """A staff-typed password: the caller must be verified and both fields must match."""
    verified = check_verified_by(verified_by, allow_unverified=False)
    if normalize_password(password) != normalize_password(retype):
        raise ValidationError("The two passwords don't match: type them again.", field="retype")
    return verified


def personal_data(c: Customer) -> PersonalData:
    return PersonalData(username=c.username, email=c.email, first_name=c.first_name, last_name=c.last_name)


def refuse_if_unavailable(ctx: ServiceContext, s: Session, c: Customer) -> None:
    """A disabled or staff-locked customer can't be reset; say why."""
    if c.status == "disabled":
        reason = f": {c.status_reason}" if c.status_reason else ""
        raise NotAllowed(f"This customer is disabled{reason}. A supervisor must enable the account first.")
    if c.lock_kind == "staff":
        reason = f": {c.lock_reason}" if c.lock_reason else ""
        raise NotAllowed(
            f"This customer is locked by staff{reason}. Only a supervisor's Unlock lifts it."
        )


def issue_reset_email(
    ctx: ServiceContext,
    s: Session,
    actor: Actor | str,
    c: Customer,
    *,
    verified_by: str,
    action: str = "reset_email_sent",
) -> ActionResult:
    """Issue a ticket of the scope's mode and queue its email, in the caller's transaction."""
    if not c.email:
        raise NotAllowed("This customer has no email address: a reset email can't be sent.")
    now = ctx.now()
    opts = ctx.options(s, c.site_id).values
    scope = ctx.scopes(s)[c.site_id]
    label = actor if isinstance(actor, str) else actor.label
    params = customer_params(c, scope.name, ctx.brand_name(s, c.site_id))
    tickets = TicketRepository(s)
    if opts.reset_email_mode == "temporary_password":
        secret = generate_password(opts, personal_data(c))
        minutes = opts.temporary_password_hours * 60
        ticket = tickets.issue(
            ResetTicket(
                customer_id=c.id,
                kind="temporary_password",
                secret_hash=ctx.hasher.hash(secret),
                created_by=label,
                created_at=now,
                expires_at=now + timedelta(minutes=minutes),
            ),
            now,
        )
        template = "temporary_password"
        params.update(expires_minutes=minutes, include_username=opts.include_username_in_email)
        what = "a temporary password"
    else:
        secret = new_link_token()
        minutes = opts.ticket_expiration_minutes
        ticket = tickets.issue(
            ResetTicket(
                customer_id=c.id,
                kind="link",
                lookup=hash_token(secret),
                created_by=label,
                created_at=now,
                expires_at=now + timedelta(minutes=minutes),
            ),
            now,
        )
        template = "reset_link"
        params.update(expires_minutes=minutes, reset_url=opts.reset_url)
        what = "a link to reset your password"
    email = queue_email(
        s,
        template=template,
        to=c.email,
        params=params,
        scope_id=c.site_id,
        customer_id=c.id,
        created_by=label,
        now=now,
        from_name=opts.email_from_name,
        from_address=opts.email_from_address,
        secret=secret,
        secret_expires_at=ticket.expires_at,
        ticket_id=ticket.id,
    )
    masked = mask_email(c.email)
    ctx.record(
        s,
        actor,
        action,
        scope_id=c.site_id,
        customer_id=c.id,
        mode=ticket.kind,
        to=masked,
        verified_by=verified_by,
        email_id=email.id,
        ticket_id=ticket.id,
    )
    return ActionResult(
        customer_id=c.id,
        action=action,
        summary=f"Reset email queued to {masked}",
        read_to_customer=(
            f"We've sent {what} to {masked}. It is valid for {validity_in_words(minutes)}. {SPAM_HINT}"
        ),
        email_id=email.id,
        email_status=email.status,
        at=now,
    )


class ResetService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def send_reset_email(
        self, actor: Actor, customer_id: int, *, verified_by: str = "not verified"
    ) -> ActionResult:
        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        verified_by = check_verified_by(verified_by, allow_unverified=True)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            refuse_if_unavailable(ctx, s, c)
            return issue_reset_email(ctx, s, actor, c, verified_by=verified_by)

    def options_for(self, actor: Actor, customer_id: int) -> ResetOptions:
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            c = ctx.customer_for(s, actor, customer_id)
            return ctx.options(s, c.site_id).values

    def check_password(
        self, actor: Actor, customer_id: int, password: str, retype: str = ""
    ) -> PasswordCheck:
        """The live checklist: every rule but history (that one is decided at OK)."""
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            c = ctx.customer_for(s, actor, customer_id)
            opts = ctx.options(s, c.site_id).values
            report = PasswordPolicy.from_options(opts).check(password, personal_data(c))
        if opts.history > 0:
            report = type(report)(rules=(*report.rules, history_rule(None, opts.history)), strength=report.strength)
        matches = None if not retype else normalize_password(retype) == normalize_password(password)
        return PasswordCheck(report=report, matches=matches)

    def generate(self, actor: Actor, customer_id: int) -> str:
        ctx = self.ctx
        ctx.require(actor, Permission.SET_PASSWORD)
        with ctx.read() as s:
            c = ctx.customer_for(s, actor, customer_id)
            return generate_password(ctx.options(s, c.site_id).values, personal_data(c))

    def record_copy(self, actor: Actor, customer_id: int) -> None:
        """The generated password was copied once to the clipboard (audited, never stored)."""
        with self.ctx.uow() as s:
            c = self.ctx.customer_for(s, actor, customer_id)
            self.ctx.record(s, actor, "generated_password_copied", scope_id=c.site_id, customer_id=c.id)

    def set_password(
        self,
        actor: Actor,
        customer_id: int,
        password: str,
        retype: str,
        *,
        temporary: bool,
        notify: bool,
        verified_by: str,
    ) -> ActionResult:
        """Type new password: replaces the hash at once, unlocks an automatic lock."""
        ctx = self.ctx
        ctx.require(actor, Permission.SET_PASSWORD)
        verified_by = check_typed_password(password, retype, verified_by)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            opts = ctx.options(s, c.site_id).values
            if not opts.allow_manual_entry:
                raise NotAllowed(
                    "Manual entry is off for this site (Password Reset Options → Allow Manual Entry): "
                    "send a reset email instead."
                )
            refuse_if_unavailable(ctx, s, c)
            report = PasswordPolicy.from_options(opts).check(password, personal_data(c), with_strength=False)
            if not report.ok:
                raise PolicyViolation(report.failed)
            check_history(ctx, s, c, password, opts.history)
            now = ctx.now()
            new_hash = ctx.hasher.hash(password)
            apply_new_password(ctx, s, c, new_hash, temporary=temporary, opts=opts)
            always = opts.notify_on_change == "always"
            notified = bool(c.email) and (always or notify)
            ctx.record(
                s,
                actor,
                "temporary_password_set" if temporary else "password_set",
                scope_id=c.site_id,
                customer_id=c.id,
                password_temporary=temporary,
                notified=notified,
                verified_by=verified_by,
            )
            email = None
            if notified and c.email:
                email = queue_password_changed(ctx, s, c, by_staff=True, created_by=actor.label, opts=opts)
            hours = opts.temporary_password_hours
            if temporary:
                line = (
                    f"Your temporary password is set. It works for {validity_in_words(hours * 60)}; "
                    "you'll be asked to choose a new one when you log in."
                )
            else:
                line = "Your new password is set: you can log in with it now."
            return ActionResult(
                customer_id=c.id,
                action="temporary_password_set" if temporary else "password_set",
                summary=("Temporary password set" if temporary else "Password set")
                + (f"; notice queued to {mask_email(c.email)}" if email else ""),
                read_to_customer=line,
                email_id=email.id if email else None,
                email_status=email.status if email else None,
                at=now,
            )

    def details_after(self, actor: Actor, customer_id: int):  # type: ignore[no-untyped-def]
        with self.ctx.read() as s:
            return customer_details(self.ctx, s, self.ctx.customer_for(s, actor, customer_id))


def check_history(ctx: ServiceContext, s: Session, c: Customer, password: str, n: int) -> None:
    """The history rule, at the final check: not the current password nor the last n."""
    if n <= 0:
        return
    previous = PasswordHistoryRepository(s).recent(c.id, n)
    # A seeded or imported current password has no history row yet: check it too.
    if c.password_hash and c.password_hash not in previous:
        previous = [c.password_hash, *previous[: n - 1]]
    if any(ctx.hasher.verify(h, password) for h in previous):
        raise PolicyViolation([history_rule(False, n)])


def apply_new_password(
    ctx: ServiceContext,
    s: Session,
    c: Customer,
    new_hash: str,
    *,
    temporary: bool,
    opts: ResetOptions,
) -> None:
    """Any password change: new hash, history, tickets revoked, automatic lock lifted."""
    now = ctx.now()
    c.password_hash = new_hash
    c.password_changed_at = now
    c.must_change_password = temporary
    c.password_expires_at = now + timedelta(hours=opts.temporary_password_hours) if temporary else None
    c.failed_login_count = 0
    if c.lock_kind == "failed_logins":
        c.locked_at = c.lock_kind = c.lock_reason = c.locked_by = None
    PasswordHistoryRepository(s).add(c.id, new_hash, now)
    TicketRepository(s).revoke_open(c.id, now)


def queue_password_changed(
    ctx: ServiceContext, s: Session, c: Customer, *, by_staff: bool, created_by: str, opts: ResetOptions
):  # type: ignore[no-untyped-def]
    scope = ctx.scopes(s)[c.site_id]
    assert c.email
    return queue_email(
        s,
        template="password_changed",
        to=c.email,
        params={
            **customer_params(c, scope.name, ctx.brand_name(s, c.site_id)),
            "changed_at": ctx.now().isoformat(),
            "changed_by_staff": by_staff,
        },
        scope_id=c.site_id,
        customer_id=c.id,
        created_by=created_by,
        now=ctx.now(),
        from_name=opts.email_from_name,
        from_address=opts.email_from_address,
    )
