"""The customer's side (SPEC §3): what a vendor website calls, and the portal simulator.

Answers never tell whether a username exists (SPEC §10.4):
- every login failure raises InvalidCredentials with one message and costs exactly
  LOGIN_VERIFICATIONS argon2 verifications: one against the password (or a dummy) and
  one against a pending emailed temporary password (or a dummy). Checking the ticket
  only when one exists would make a username with a pending ticket measurably slower;
- "Forgot your password?" always gives FORGOT_ANSWER and spends exactly one argon2
  operation: the hash of the temporary password it issues, or else a dummy verification.
Failures are committed before the error is raised, so counts and locks persist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.domain.errors import (
    Expired,
    InvalidCredentials,
    NotAllowed,
    NotFound,
    PolicyViolation,
    ValidationError,
)
from tuiconsole.domain.lockout import lock_state
from tuiconsole.domain.options import ResetOptions
from tuiconsole.domain.policy import (
    PasswordPolicy,
    PersonalData,
    PolicyReport,
    normalize_password,
)
from tuiconsole.domain.tokens import extract_token, hash_token
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.outbox_queue import SECRET_TEMPLATES
from tuiconsole.services.resets import (
    apply_new_password,
    check_history,
    issue_reset_email,
    personal_data,
    queue_password_changed,
)
from tuiconsole.store.models import Customer, Membership, Offer, OutboundEmail, ResetTicket, Scope
from tuiconsole.store.repositories.tickets import TicketRepository

LOGIN_VERIFICATIONS = 2
FORGOT_ANSWER = "If that username exists, we've sent an email with instructions to the address on file."
LINK_EXPIRED = "This reset link has expired or was already used: ask for a new one."
SESSION_EXPIRED = "Your temporary password has expired or was already changed: log in again or use Forgot password."
NOT_ONLINE = "This account can't be reset online: please contact support."
FORGOT_COOLDOWN = timedelta(minutes=2)
UNKNOWN_ACTOR = "customer:unknown"
REASON_TICKET = "You logged in with a temporary password: choose a new password before you continue."
REASON_TEMPORARY = "Your password is temporary: choose a new one before you continue."
PASSWORD_CHANGED = "Your password is changed: you can log in with it now."
_MAX_USERNAME = 150


@dataclass(frozen=True)
class PortalSession:
    """A customer signed in to the portal; while must_change_password it only allows
    complete_forced_change."""

    customer_id: int
    username: str
    must_change_password: bool
    reason: str | None
    site: str = ""
    ticket_id: int | None = None  # the emailed temporary password this session came from


def customer_actor(c: Customer | None) -> str:
    return f"customer:{c.username}" if c is not None else UNKNOWN_ACTOR


def unavailable(c: Customer) -> bool:
    """Disabled, or locked by staff: nothing the customer does lifts it."""
    return c.status == "disabled" or c.lock_kind == "staff"


class PortalService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- lookups ------------------------------------------------------------

    def _site(self, s: Session, code: str) -> Scope:
        for scope in self.ctx.scopes(s).values():
            if scope.code == code and scope.kind == "site":
                return scope
        raise NotFound(f"Unknown site '{code[:64]}'.")

    def _customer(self, s: Session, site_id: int, username: str) -> Customer | None:
        """The customer, locked for this transaction on PostgreSQL (counts must not race)."""
        name = (username or "").strip()
        if not name or len(name) > _MAX_USERNAME:
            return None
        stmt = sa.select(Customer).where(Customer.site_id == site_id, Customer.username_ci == name.casefold())
        return s.scalar(self._for_update(s, stmt))

    @staticmethod
    def _for_update(s: Session, stmt: sa.Select) -> sa.Select:  # type: ignore[type-arg]
        if s.bind is not None and s.bind.dialect.name == "postgresql":
            return stmt.with_for_update()
        return stmt

    def _customer_by_id(self, s: Session, customer_id: int) -> Customer | None:
        return s.scalar(self._for_update(s, sa.select(Customer).where(Customer.id == customer_id)))

    # --- lockout ------------------------------------------------------------

    def _expire_auto_lock(self, c: Customer, opts: ResetOptions) -> bool:
        """Clear an automatic lock whose time ran out (fresh attempts); True if still locked."""
        state = lock_state(
            status=c.status,
            lock_kind=c.lock_kind,
            locked_at=c.locked_at,
            lockout_minutes=opts.lockout_minutes,
            now=self.ctx.now(),
        )
        if c.lock_kind == "failed_logins" and state.status == "active":
            clear_auto_lock(c)
        return state.status == "locked" and state.lock_kind == "failed_logins"

    def _count_failure(self, s: Session, c: Customer, opts: ResetOptions, action: str) -> None:
        """A wrong password: count it; at the threshold lock the account automatically."""
        ctx = self.ctx
        c.failed_login_count += 1
        outcome = "wrong_password"
        if opts.lockout_threshold > 0 and c.failed_login_count >= opts.lockout_threshold:
            c.locked_at = ctx.now()
            c.lock_kind = "failed_logins"
            c.lock_reason = "Too many failed logins"
            c.locked_by = None
            outcome = "locked"
            ctx.record(
                s, customer_actor(c), "locked_out",
                scope_id=c.site_id, customer_id=c.id, failed_logins=c.failed_login_count,
            )  # fmt: skip
        ctx.record(s, customer_actor(c), action, scope_id=c.site_id, customer_id=c.id, outcome=outcome)

    def _refuse(self, s: Session, c: Customer, action: str, outcome: str) -> None:
        self.ctx.record(s, customer_actor(c), action, scope_id=c.site_id, customer_id=c.id, outcome=outcome)

    # --- log in ---------------------------------------------------------------

    def login(self, site: str, username: str, password: str) -> PortalSession:
        """Log in; InvalidCredentials (one message, one cost) for every failure."""
        ctx = self.ctx
        session: PortalSession | None = None
        with ctx.uow() as s:
            scope = self._site(s, site)
            c = self._customer(s, scope.id, username)
            if c is None:
                for _ in range(LOGIN_VERIFICATIONS):
                    ctx.hasher.dummy_verify(password)
                # No username in the details: people type their password into that field.
                ctx.record(s, UNKNOWN_ACTOR, "login_failed", scope_id=scope.id, outcome="unknown_user")
            else:
                session = self._login(s, c, site, password)
        if session is None:
            raise InvalidCredentials()
        return session

    def _login(self, s: Session, c: Customer, site: str, password: str) -> PortalSession | None:
        ctx = self.ctx
        now = ctx.now()
        opts = ctx.options(s, c.site_id).values
        password_ok = ctx.hasher.verify(c.password_hash, password)
        tickets = TicketRepository(s)
        pending = tickets.open_for(c.id, now, kind="temporary_password")[:1]
        if pending:
            ticket_ok = ctx.hasher.verify(pending[0].secret_hash, password)
        else:
            ctx.hasher.dummy_verify(password)
            ticket_ok = False
        auto_locked = self._expire_auto_lock(c, opts)
        if unavailable(c):
            self._refuse(s, c, "login_failed", "unavailable")
            return None
        if password_ok:
            if auto_locked:  # the lock holds against the password until it lifts
                self._refuse(s, c, "login_failed", "locked")
                return None
            if c.must_change_password and c.password_expires_at is not None and now >= c.password_expires_at:
                self._refuse(s, c, "login_failed", "password_expired")
                return None
            c.failed_login_count = 0
            c.last_login_at = now
            if c.password_hash and ctx.hasher.needs_rehash(c.password_hash):
                c.password_hash = ctx.hasher.hash(password)
            ctx.record(s, customer_actor(c), "login", scope_id=c.site_id, customer_id=c.id)
            must = c.must_change_password
            return PortalSession(c.id, c.username, must, REASON_TEMPORARY if must else None, site)
        if ticket_ok:
            # The emailed temporary password works despite an automatic lock, and using it lifts it.
            if not tickets.redeem(pending[0].id, now):
                self._refuse(s, c, "login_failed", "ticket_used")
                return None
            clear_auto_lock(c)
            c.last_login_at = now
            ctx.record(
                s, customer_actor(c), "ticket_redeemed",
                scope_id=c.site_id, customer_id=c.id, ticket_id=pending[0].id, mode="temporary_password",
            )  # fmt: skip
            return PortalSession(c.id, c.username, True, REASON_TICKET, site, pending[0].id)
        if auto_locked:  # no more counting while locked: the lock would only get longer
            self._refuse(s, c, "login_failed", "locked")
            return None
        self._count_failure(s, c, opts, "login_failed")
        return None

    # --- change password --------------------------------------------------------

    def complete_forced_change(self, session: PortalSession, new_password: str, retype: str) -> PortalSession:
        """The first thing after logging in with a temporary password."""
        ctx = self.ctx
        if not session.must_change_password:
            raise NotAllowed("Nothing to change here: use Change password (with your current password).")
        check_retype(new_password, retype)
        with ctx.uow() as s:
            c = self._customer_by_id(s, session.customer_id)
            if c is None or unavailable(c):
                raise InvalidCredentials()
            now = ctx.now()
            opts = ctx.options(s, c.site_id).values
            if session.ticket_id is not None:
                t = s.get(ResetTicket, session.ticket_id)
                valid = (
                    t is not None
                    and t.customer_id == c.id
                    and t.kind == "temporary_password"
                    and t.used_at is not None
                    and now < t.expires_at
                    and (c.password_changed_at is None or c.password_changed_at < t.used_at)
                )
                temporary_hash = t.secret_hash if t is not None else None
            else:
                valid = c.must_change_password and (c.password_expires_at is None or now < c.password_expires_at)
                temporary_hash = c.password_hash
            if not valid:
                raise Expired(SESSION_EXPIRED)
            self._check_new_password(s, c, opts, new_password)
            if ctx.hasher.verify(temporary_hash, new_password):
                raise ValidationError("Choose a password different from the temporary one.", field="password")
            self._apply(s, c, opts, new_password)
            return PortalSession(c.id, c.username, False, None, session.site)

    def change_password(self, site: str, username: str, current: str, new: str, retype: str) -> PortalSession:
        """Change password when logged in: needs the current one (failures count like logins)."""
        ctx = self.ctx
        check_retype(new, retype)
        customer: Customer | None = None
        with ctx.uow() as s:
            scope = self._site(s, site)
            c = self._customer(s, scope.id, username)
            if c is None:
                ctx.hasher.dummy_verify(current)
                ctx.record(s, UNKNOWN_ACTOR, "password_change_failed", scope_id=scope.id, outcome="unknown_user")
            elif self._check_current(s, c, current):
                opts = ctx.options(s, c.site_id).values
                self._check_new_password(s, c, opts, new)
                if ctx.hasher.verify(c.password_hash, new):
                    raise ValidationError("Choose a password different from your current one.", field="password")
                self._apply(s, c, opts, new)
                customer = c
        if customer is None:
            raise InvalidCredentials()
        return PortalSession(customer.id, customer.username, False, None, site)

    def _check_current(self, s: Session, c: Customer, current: str) -> bool:
        ctx = self.ctx
        opts = ctx.options(s, c.site_id).values
        ok = ctx.hasher.verify(c.password_hash, current)
        auto_locked = self._expire_auto_lock(c, opts)
        expired = c.must_change_password and c.password_expires_at is not None and ctx.now() >= c.password_expires_at
        if unavailable(c) or auto_locked:
            self._refuse(s, c, "password_change_failed", "unavailable" if unavailable(c) else "locked")
            return False
        if not ok:
            self._count_failure(s, c, opts, "password_change_failed")
            return False
        if expired:
            self._refuse(s, c, "password_change_failed", "password_expired")
            return False
        return True

    def _check_new_password(self, s: Session, c: Customer, opts: ResetOptions, password: str) -> None:
        """The scope's policy, with the customer's personal data and password history."""
        report = PasswordPolicy.from_options(opts).check(password, personal_data(c), with_strength=False)
        if not report.ok:
            raise PolicyViolation(report.failed)
        check_history(self.ctx, s, c, password, opts.history)

    def _apply(self, s: Session, c: Customer, opts: ResetOptions, password: str) -> None:
        """New hash, tickets revoked, lock lifted, "Customer Password Changed" email, audit."""
        ctx = self.ctx
        apply_new_password(ctx, s, c, ctx.hasher.hash(password), temporary=False, opts=opts)
        email = None
        if c.email:
            email = queue_password_changed(ctx, s, c, by_staff=False, created_by=customer_actor(c), opts=opts)
        ctx.record(
            s, customer_actor(c), "password_changed",
            scope_id=c.site_id, customer_id=c.id, email_id=email.id if email else None,
        )  # fmt: skip

    # --- forgot password and reset links --------------------------------------------

    def forgot_password(self, site: str, username: str) -> str:
        """The same answer whether or not the username exists (SPEC §10.4)."""
        ctx = self.ctx
        with ctx.uow() as s:
            scope = self._site(s, site)
            c = self._customer(s, scope.id, username)
            outcome = self._forgot_outcome(s, c)
            spent = False
            if c is not None and outcome == "sent":
                mode = ctx.options(s, c.site_id).values.reset_email_mode
                issue_reset_email(ctx, s, customer_actor(c), c, verified_by="self-service", action="forgot_password")
                spent = mode == "temporary_password"  # that mode hashed the temporary password
            else:
                ctx.record(
                    s, customer_actor(c), "forgot_password",
                    scope_id=scope.id, customer_id=c.id if c else None, outcome=outcome,
                )  # fmt: skip
            if not spent:
                ctx.hasher.dummy_verify(username or "")
        return FORGOT_ANSWER

    def _forgot_outcome(self, s: Session, c: Customer | None) -> str:
        if c is None:
            return "unknown_user"
        if not c.email:
            return "no_email"
        if unavailable(c):
            return "unavailable"
        since = self.ctx.now() - FORGOT_COOLDOWN
        recent = s.scalar(
            sa.select(sa.func.count())
            .select_from(OutboundEmail)
            .where(
                OutboundEmail.customer_id == c.id,
                OutboundEmail.template.in_(SECRET_TEMPLATES),
                OutboundEmail.created_at > since,
            )
        )
        # Repeated requests neither send a new email nor void the ticket already sent.
        return "cooldown" if recent else "sent"

    def redeem_link(self, site: str, token_or_link: str, new_password: str, retype: str) -> str:
        """Open a reset link and choose a new password; the link works once."""
        ctx = self.ctx
        token = extract_token(token_or_link)
        if token is None:
            raise ValidationError(
                "That doesn't look like a reset link: paste the whole link from the email.", field="token"
            )
        check_retype(new_password, retype)
        with ctx.uow() as s:
            scope = self._site(s, site)
            ticket = TicketRepository(s).by_lookup(hash_token(token))
            if ticket is None or ticket.kind != "link":
                raise Expired(LINK_EXPIRED)
            c = self._customer_by_id(s, ticket.customer_id)
            now = ctx.now()
            if c is None or c.site_id != scope.id:
                raise Expired(LINK_EXPIRED)
            if ticket.used_at is not None or ticket.revoked_at is not None or ticket.expires_at <= now:
                raise Expired(LINK_EXPIRED)
            if unavailable(c):
                raise NotAllowed(NOT_ONLINE)
            opts = ctx.options(s, c.site_id).values
            # The policy first: a refused password leaves the link usable.
            self._check_new_password(s, c, opts, new_password)
            if not TicketRepository(s).redeem(ticket.id, now):
                raise Expired(LINK_EXPIRED)
            ctx.record(
                s, customer_actor(c), "ticket_redeemed",
                scope_id=c.site_id, customer_id=c.id, ticket_id=ticket.id, mode="link",
            )  # fmt: skip
            self._apply(s, c, opts, new_password)
        return PASSWORD_CHANGED

    # --- membership passwords (what an external platform calls) --------------------------

    def check_membership_password(self, site: str, username: str, offer_code: str, password: str) -> bool:
        """One verification whatever happens; failures count towards the customer's lockout."""
        ctx = self.ctx
        with ctx.uow() as s:
            scope = self._site(s, site)
            c = self._customer(s, scope.id, username)
            if c is None:
                ctx.hasher.dummy_verify(password)
                ctx.record(s, UNKNOWN_ACTOR, "membership_check_failed", scope_id=scope.id, outcome="unknown_user")
                return False
            m = self._membership(s, c, offer_code)
            ok = ctx.hasher.verify(m.password_hash if m else None, password)
            opts = ctx.options(s, c.site_id).values
            auto_locked = self._expire_auto_lock(c, opts)
            if unavailable(c) or auto_locked:
                self._refuse(s, c, "membership_check_failed", "unavailable" if unavailable(c) else "locked")
                return False
            if not ok:
                if m is not None:
                    m.failed_check_count += 1
                self._count_failure(s, c, opts, "membership_check_failed")
                return False
            assert m is not None  # a hash verified, so the membership exists
            m.failed_check_count = 0
            return True

    def _membership(self, s: Session, c: Customer, offer_code: str) -> Membership | None:
        scope_ids = [scope.id for scope in self.ctx.chain(s, c.site_id)]
        return s.scalar(
            sa.select(Membership)
            .join(Offer, Offer.id == Membership.offer_id)
            .where(
                Membership.customer_id == c.id,
                Membership.status == "active",
                Offer.code == offer_code,
                Offer.has_password_field.is_(True),
                Offer.scope_id.in_(scope_ids),
            )
        )

    # --- the live checklist ---------------------------------------------------------

    def policy_for(self, site: str, username: str | None = None) -> ResetOptions:
        """The site's options (the username is not looked up: no hint it exists)."""
        with self.ctx.read() as s:
            return self.ctx.options(s, self._site(s, site).id).values

    def check_password(self, site: str, username: str, password: str) -> PolicyReport:
        """Every rule but history; the personal rule sees only the username typed here
        (the name and email on file are checked at OK, without telling a stranger)."""
        opts = self.policy_for(site)
        return PasswordPolicy.from_options(opts).check(password, PersonalData(username=username or None))


def clear_auto_lock(c: Customer) -> None:
    c.failed_login_count = 0
    if c.lock_kind == "failed_logins":
        c.locked_at = c.lock_kind = c.lock_reason = c.locked_by = None


def check_retype(password: str, retype: str) -> None:
    if normalize_password(password) != normalize_password(retype):
        raise ValidationError("The two passwords don't match: type them again.", field="retype")
