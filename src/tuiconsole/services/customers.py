"""Customer use cases: find, open, edit the profile, create, lock and unlock."""

from __future__ import annotations

import re
from dataclasses import replace

import sqlalchemy as sa

from tuiconsole.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from tuiconsole.domain.masking import mask_email
from tuiconsole.domain.roles import Permission
from tuiconsole.domain.search import parse_query
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.mappers import (
    activity_view,
    customer_details,
    customer_row,
    email_view,
)
from tuiconsole.services.outbox_queue import customer_params, queue_email
from tuiconsole.services.views import (
    ActionResult,
    ActivityView,
    Actor,
    CustomerDetails,
    CustomerRow,
    EmailView,
    ProfileChanges,
    SearchPage,
)
from tuiconsole.store.models import Account, ActivityEvent, Customer, OutboundEmail
from tuiconsole.store.repositories.customers import CustomerRepository, refresh_search_columns

COUNT_CAP = 10_000  # beyond this the list says "about N"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
VERIFIED_BY = ("email on file", "security question", "call-back", "other", "not verified")


def clean_text(value: str, field: str, *, max_len: int, required: bool = False) -> str:
    value = value.strip()
    if _CONTROL.search(value):
        raise ValidationError("Control characters are not allowed here.", field=field)
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        # Undecodable bytes (e.g. a bad paste) arrive as lone surrogates: no database stores them.
        raise ValidationError("This text has invalid characters (not Unicode): type it again.", field=field)
    if required and not value:
        raise ValidationError("This field is required.", field=field)
    if len(value) > max_len:
        raise ValidationError(f"At most {max_len} characters.", field=field)
    return value


def clean_email(value: str, field: str = "email") -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > 320:
        raise ValidationError("At most 320 characters.", field=field)
    from email_validator import EmailNotValidError, validate_email  # ~15 ms: not on every start

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationError(f"Not a valid email address: {exc}", field=field) from None


def check_verified_by(value: str | None, *, allow_unverified: bool) -> str:
    if not value:
        raise ValidationError("Say how the caller was verified.", field="verified_by")
    if value not in VERIFIED_BY or (value == "not verified" and not allow_unverified):
        raise ValidationError("Choose how the caller was verified.", field="verified_by")
    return value


class CustomerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- find ---------------------------------------------------------------

    def search(
        self,
        actor: Actor,
        scope_id: int,
        query: str,
        *,
        status: str = "any",
        offset: int = 0,
        limit: int = 100,
        with_count: bool = True,
    ) -> SearchPage:
        """The customer filter (SPEC §2 step 3): every word must match."""
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            if scope_id not in ctx.scopes(s) or not actor.sees(scope_id):
                raise NotFound("That scope is not one of yours.")
            sites = [i for i in ctx.site_ids_under(s, scope_id) if actor.sees(i)]
            terms = parse_query(query)
            repo = CustomerRepository(s)
            now = ctx.now()
            customers = repo.search(sites, terms, status=status, now=now, offset=max(0, offset), limit=limit)
            lockout = {i: ctx.options(s, i).values.lockout_minutes for i in {c.site_id for c in customers}}
            rows = [customer_row(ctx, s, c, lockout[c.site_id]) for c in customers]
            if with_count:
                total, exact = repo.count(sites, terms, status=status, now=now, cap=COUNT_CAP)
                if not exact:  # a sampled estimate may miss rare matches: never below what is shown
                    total = max(total, offset + len(rows))
            else:
                total, exact = offset + len(rows), False
        return SearchPage(rows=rows, offset=offset, total=total, exact=exact)

    def get(self, actor: Actor, customer_id: int) -> CustomerDetails:
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            return customer_details(self.ctx, s, self.ctx.customer_for(s, actor, customer_id))

    def find_by_username(self, actor: Actor, site_id: int, username: str) -> CustomerRow | None:
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            if not actor.sees(site_id):
                return None
            c = CustomerRepository(s).by_username(site_id, username)
            if c is None:
                return None
            return customer_row(self.ctx, s, c, self.ctx.options(s, site_id).values.lockout_minutes)

    def contacts(self, actor: Actor, customer_id: int) -> list[CustomerRow]:
        """The other contacts of the same retailer account."""
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            c = self.ctx.customer_for(s, actor, customer_id)
            if c.account_id is None:
                return []
            lockout = self.ctx.options(s, c.site_id).values.lockout_minutes
            return [
                customer_row(self.ctx, s, o, lockout)
                for o in CustomerRepository(s).contacts_of_account(c.account_id)
                if o.id != c.id and actor.sees(o.site_id)
            ]

    def accounts(self, actor: Actor, site_id: int) -> list[tuple[int, str]]:
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            if not actor.sees(site_id):
                return []
            rows = s.execute(
                sa.select(Account.id, Account.name).where(Account.site_id == site_id).order_by(Account.name)
            )
            return [(r.id, r.name) for r in rows]

    def activity(self, actor: Actor, customer_id: int, limit: int = 200) -> list[ActivityView]:
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            self.ctx.customer_for(s, actor, customer_id)
            events = s.scalars(
                sa.select(ActivityEvent)
                .where(ActivityEvent.customer_id == customer_id)
                .order_by(ActivityEvent.at.desc(), ActivityEvent.id.desc())
                .limit(limit)
            )
            return [activity_view(e) for e in events]

    def emails(self, actor: Actor, customer_id: int, limit: int = 100) -> list[EmailView]:
        self.ctx.require(actor, Permission.VIEW)
        with self.ctx.read() as s:
            self.ctx.customer_for(s, actor, customer_id)
            rows = s.scalars(
                sa.select(OutboundEmail)
                .where(OutboundEmail.customer_id == customer_id)
                .order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
                .limit(limit)
            )
            return [email_view(e) for e in rows]

    # --- change -------------------------------------------------------------

    def update_profile(
        self,
        actor: Actor,
        customer_id: int,
        expected_version: int,
        changes: ProfileChanges,
        *,
        verified_by: str | None = None,
    ) -> CustomerDetails:
        """Save profile fields; Conflict when someone else saved first (SPEC §10.10)."""
        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            if c.version != expected_version:
                raise Conflict(c.updated_by or "someone", c.updated_at or c.created_at)
            changed: dict[str, object] = {}
            if changes.first_name is not None:
                value = clean_text(changes.first_name, "first_name", max_len=200)
                if value != c.first_name:
                    changed["first_name"] = value
            if changes.last_name is not None:
                value = clean_text(changes.last_name, "last_name", max_len=200)
                if value != c.last_name:
                    changed["last_name"] = value
            if changes.phone is not None:
                value = clean_text(changes.phone, "phone", max_len=64) or None
                if value != c.phone:
                    changed["phone"] = value
            if changes.account_id is not None and changes.account_id != c.account_id:
                acc = s.get(Account, changes.account_id) if changes.account_id else None
                if changes.account_id and (acc is None or acc.site_id != c.site_id):
                    raise ValidationError("No such retailer account on this site.", field="account")
                changed["account_id"] = changes.account_id or None
            old_email = c.email
            if changes.email is not None:
                value = clean_email(changes.email)
                if value != c.email:
                    check_verified_by(verified_by, allow_unverified=False)
                    changed["email"] = value
            if not changed:
                return customer_details(ctx, s, c)
            for key, value in changed.items():
                setattr(c, key, value)
            refresh_search_columns(c)
            c.version += 1
            c.updated_at = ctx.now()
            c.updated_by = actor.label
            ctx.record(
                s,
                actor,
                "profile_updated",
                scope_id=c.site_id,
                customer_id=c.id,
                fields=sorted(changed),
                verified_by=verified_by if "email" in changed else None,
            )
            if "email" in changed and old_email:
                opts = ctx.options(s, c.site_id).values
                scope = ctx.scopes(s)[c.site_id]
                queue_email(
                    s,
                    template="email_changed",
                    to=old_email,
                    params={
                        **customer_params(c, scope.name, ctx.brand_name(s, c.site_id)),
                        # Cleared email: the template needs words, not an empty mask.
                        "new_email_masked": mask_email(c.email) if c.email else "none (the address was removed)",
                        "changed_at": ctx.now().isoformat(),
                    },
                    scope_id=c.site_id,
                    customer_id=c.id,
                    created_by=actor.label,
                    now=ctx.now(),
                    from_name=opts.email_from_name,
                    from_address=opts.email_from_address,
                )
            s.flush()
            return customer_details(ctx, s, c)

    def unlock(self, actor: Actor, customer_id: int) -> ActionResult:
        """Lift a lock without a reset; a staff lock needs a supervisor."""
        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            if c.status == "disabled":
                raise ValidationError("This customer is disabled: use Enable (supervisor).")
            if c.lock_kind == "staff":
                ctx.require(actor, Permission.SUPERVISE)
            was = c.lock_kind
            if was is None and c.failed_login_count == 0:
                raise ValidationError("This customer is not locked.")
            c.locked_at = None
            c.lock_kind = None
            c.lock_reason = None
            c.locked_by = None
            c.failed_login_count = 0
            ctx.record(s, actor, "unlocked", scope_id=c.site_id, customer_id=c.id, lock_kind=was)
            return ActionResult(
                customer_id=c.id,
                action="unlocked",
                summary=f"Unlocked {c.username}",
                read_to_customer="Your account is unlocked: you can log in with your current password.",
                at=ctx.now(),
            )

    def lock(self, actor: Actor, customer_id: int, reason: str) -> ActionResult:
        ctx = self.ctx
        ctx.require(actor, Permission.SUPERVISE)
        reason = clean_text(reason, "reason", max_len=500, required=True)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            if c.status == "disabled":
                raise ValidationError("This customer is disabled already.")
            c.locked_at = ctx.now()
            c.lock_kind = "staff"
            c.lock_reason = reason
            c.locked_by = actor.label
            ctx.record(s, actor, "locked", scope_id=c.site_id, customer_id=c.id, reason=reason)
            return ActionResult(c.id, "locked", f"Locked {c.username}: {reason}", "", at=ctx.now())

    def disable(self, actor: Actor, customer_id: int, reason: str) -> ActionResult:
        ctx = self.ctx
        ctx.require(actor, Permission.SUPERVISE)
        reason = clean_text(reason, "reason", max_len=500, required=True)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            if c.status == "disabled":
                raise ValidationError("This customer is disabled already.")
            c.status = "disabled"
            c.status_reason = reason
            # A disabled customer's pending reset emails must not work.
            from tuiconsole.store.repositories.tickets import TicketRepository

            TicketRepository(s).revoke_open(c.id, ctx.now())
            ctx.record(s, actor, "disabled", scope_id=c.site_id, customer_id=c.id, reason=reason)
            return ActionResult(c.id, "disabled", f"Disabled {c.username}: {reason}", "", at=ctx.now())

    def enable(self, actor: Actor, customer_id: int, reason: str = "") -> ActionResult:
        ctx = self.ctx
        ctx.require(actor, Permission.SUPERVISE)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            if c.status != "disabled" and c.lock_kind != "staff":
                raise ValidationError("This customer is neither disabled nor locked by staff.")
            c.status = "active"
            c.status_reason = None
            if c.lock_kind == "staff":
                c.locked_at = c.lock_kind = c.lock_reason = c.locked_by = None
            ctx.record(s, actor, "enabled", scope_id=c.site_id, customer_id=c.id, reason=reason or None)
            return ActionResult(c.id, "enabled", f"Enabled {c.username}", "", at=ctx.now())

    def create(
        self,
        actor: Actor,
        site_id: int,
        *,
        username: str,
        email: str,
        first_name: str,
        last_name: str,
        phone: str = "",
        account_id: int | None = None,
        send_reset_email: bool = True,
    ) -> tuple[CustomerDetails, ActionResult | None]:
        """New customer (SPEC §2 Other actions); by default also the reset email."""
        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        username = clean_text(username, "username", max_len=150, required=True)
        if re.search(r"\s", username):
            raise ValidationError("A username has no spaces.", field="username")
        clean = {
            "email": clean_email(email),
            "first_name": clean_text(first_name, "first_name", max_len=200, required=True),
            "last_name": clean_text(last_name, "last_name", max_len=200, required=True),
            "phone": clean_text(phone, "phone", max_len=64) or None,
        }
        with ctx.uow() as s:
            scopes = ctx.scopes(s)
            if site_id not in scopes or not actor.sees(site_id):
                raise NotFound("That site is not one of yours.")
            if scopes[site_id].kind != "site":
                raise ValidationError("Select a site (not a brand) to add a customer.", field="site")
            repo = CustomerRepository(s)
            if repo.by_username(site_id, username) is not None:
                raise ValidationError(f"The username '{username}' is taken on this site.", field="username")
            if account_id:
                acc = s.get(Account, account_id)
                if acc is None or acc.site_id != site_id:
                    raise ValidationError("No such retailer account on this site.", field="account")
            c = repo.add(
                Customer(
                    site_id=site_id,
                    account_id=account_id or None,
                    username=username,
                    status="active",
                    must_change_password=False,
                    failed_login_count=0,
                    created_at=ctx.now(),
                    version=1,
                    **clean,
                )
            )
            ctx.record(s, actor, "customer_created", scope_id=site_id, customer_id=c.id, username=username)
            result = None
            if send_reset_email and c.email:
                from tuiconsole.services.resets import issue_reset_email

                result = issue_reset_email(ctx, s, actor, c, verified_by="not verified")
            return customer_details(ctx, s, c), result


def with_status(row: CustomerRow, status: str) -> CustomerRow:
    return replace(row, status=status)


__all__ = ["CustomerService", "VERIFIED_BY", "Forbidden"]
