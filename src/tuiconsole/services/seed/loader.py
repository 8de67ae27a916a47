"""Load a seed-data folder into the database in one transaction (all or nothing)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tuiconsole.domain.errors import SeedError
from tuiconsole.domain.masking import mask_email
from tuiconsole.domain.roles import Role
from tuiconsole.domain.tokens import new_message_id
from tuiconsole.services.seed.reader import (
    Rec,
    SeedSet,
    check_code,
    check_email,
    check_text,
    parse_bool,
    parse_int,
    parse_when,
    read_seed,
)
from tuiconsole.store.models import (
    Account,
    ActivityEvent,
    ConsoleUser,
    ConsoleUserScope,
    Customer,
    Membership,
    Offer,
    OutboundEmail,
    Scope,
)
from tuiconsole.store.repositories.customers import search_columns
from tuiconsole.store.repositories.meta import MetaRepository
from tuiconsole.store.repositories.scopes import ScopeRepository

SCOPE_KINDS = ("group", "brand", "site")
EMAIL_STATUSES = ("queued", "sent", "failed")
TEMPLATES = ("membership_welcome", "password_changed", "email_changed")


@dataclass(frozen=True)
class SeedSummary:
    scopes: int
    offers: int
    console_users: int
    accounts: int
    customers: int
    memberships: int
    emails: int
    skipped_users: int

    def describe(self) -> str:
        text = (
            f"{self.scopes} scopes, {self.offers} offers, {self.accounts} retailer accounts, "
            f"{self.customers} customers, {self.memberships} memberships, "
            f"{self.emails} emails, {self.console_users} console users"
        )
        if self.skipped_users:
            text += f" ({self.skipped_users} console users skipped: not a demo database)"
        return text


class _Loader:
    def __init__(self, session: Session, seed: SeedSet, now: datetime, actor: str) -> None:
        self.s = session
        self.seed = seed
        self.now = now
        self.actor = actor
        self.scopes: dict[str, Scope] = {s.code: s for s in ScopeRepository(session).all()}
        self.offers: dict[tuple[str, str], Offer] = {}
        self.accounts: dict[tuple[str, str], Account] = {}
        self.customers: dict[tuple[str, str], Customer] = {}

    def _hash(self, rec: Rec, name: str, column: str = "password") -> str | None:
        name = name.strip()
        if not name:
            return None
        if name not in self.seed.hashes:
            raise rec.fail(f"{column}: no hash named '{name}' in hashes.toml")
        return self.seed.hashes[name]

    def _site(self, rec: Rec, code: str) -> Scope:
        scope = self.scopes.get(code.strip())
        if scope is None:
            raise rec.fail(f"unknown scope '{code}'")
        if scope.kind != "site":
            raise rec.fail(f"scope '{code}' is a {scope.kind}, customers live in a site")
        return scope

    def _scope(self, rec: Rec, code: object) -> Scope:
        scope = self.scopes.get(code) if isinstance(code, str) else None
        if scope is None:
            raise rec.fail(f"unknown scope '{code}'")
        return scope

    def scopes_(self) -> None:
        repo = ScopeRepository(self.s)
        for rec in self.seed.scopes:
            d = rec.data
            code = check_code(d.get("code"), rec, "code")
            if code in self.scopes:
                raise rec.fail(f"scope '{code}' already exists")
            kind = d.get("kind")
            if kind not in SCOPE_KINDS:
                raise rec.fail(f"kind must be one of {', '.join(SCOPE_KINDS)}")
            parent = d.get("parent")
            parent_scope = None
            if parent is not None:
                parent_scope = self.scopes.get(parent)
                if parent_scope is None:
                    raise rec.fail(f"parent '{parent}' is not defined above this scope")
                if parent_scope.kind == "site":
                    raise rec.fail(f"parent '{parent}' is a site: sites have no children")
            elif kind == "site":
                raise rec.fail("a site needs a parent")
            name = check_text(d.get("name"), rec, "name", max_len=200, required=True)
            scope = repo.add(
                Scope(code=code, name=name, kind=kind, parent_id=parent_scope.id if parent_scope else None)
            )
            self.scopes[code] = scope
            if d["options"]:
                repo.set_options(scope.id, d["options"])

    def offers_(self) -> None:
        for rec in self.seed.offers:
            d = rec.data
            code = check_code(d.get("code"), rec, "code")
            scope = self._scope(rec, d.get("scope"))
            if (scope.code, code) in self.offers:
                raise rec.fail(f"offer '{code}' defined twice")
            for flag in ("has_password_field", "welcome_on_grant"):
                if not isinstance(d.get(flag, False), bool):
                    raise rec.fail(f"{flag} must be true or false")
            offer = Offer(
                scope_id=scope.id,
                code=code,
                name=check_text(d.get("name"), rec, "name", max_len=200, required=True),
                has_password_field=d.get("has_password_field", False),
                welcome_on_grant=d.get("welcome_on_grant", False),
            )
            self.s.add(offer)
            self.offers[(scope.code, code)] = offer
        self.s.flush()

    def _offer_for(self, rec: Rec, site: Scope, code: str) -> Offer:
        # An offer of the site or of any scope above it.
        for scope in ScopeRepository(self.s).ancestors(site):
            offer = self.offers.get((scope.code, code.strip()))
            if offer is not None:
                return offer
        raise rec.fail(f"no offer '{code}' in scope {site.code} or above it")

    def users_(self, demo: bool) -> int:
        if not demo:
            return len(self.seed.users)
        seen: set[str] = set()
        for rec in self.seed.users:
            d = rec.data
            username = check_code(d.get("username"), rec, "username")
            if username in seen:
                raise rec.fail(f"console user '{username}' defined twice")
            seen.add(username)
            if d.get("role") not in {r.value for r in Role}:
                raise rec.fail(f"role must be one of {', '.join(r.value for r in Role)}")
            scopes = d.get("scopes", [])
            if not isinstance(scopes, list) or not scopes:
                raise rec.fail("scopes must be a non-empty list of scope codes")
            pw = d.get("password", "")
            user = ConsoleUser(
                username=username,
                display_name=check_text(d.get("display_name"), rec, "display_name", max_len=200, required=True),
                role=d["role"],
                password_hash=self._hash(rec, pw if isinstance(pw, str) else ""),
                must_change_password=bool(d.get("must_change_password", False)),
                created_at=self.now,
            )
            self.s.add(user)
            self.s.flush()
            for code in scopes:
                self.s.add(ConsoleUserScope(user_id=user.id, scope_id=self._scope(rec, code).id))
        self.s.flush()
        return 0

    def accounts_(self) -> None:
        for rec in self.seed.accounts:
            d = rec.data
            site = self._site(rec, d["site"])
            code = check_code(d["code"].strip(), rec, "code")
            if (site.code, code) in self.accounts:
                raise rec.fail(f"account '{code}' defined twice in {site.code}")
            acc = Account(
                site_id=site.id, code=code, name=check_text(d["name"], rec, "name", max_len=200, required=True)
            )
            self.s.add(acc)
            self.accounts[(site.code, code)] = acc
        self.s.flush()

    def customers_(self) -> None:
        rows = []
        for rec in self.seed.customers:
            d = rec.data
            site = self._site(rec, d["site"])
            username = check_text(d["username"].strip(), rec, "username", max_len=150, required=True)
            key = (site.code, username.casefold())
            if key in self.customers:
                raise rec.fail(f"username '{username}' appears twice in {site.code}")
            account_code = d.get("account", "").strip()
            account = None
            if account_code:
                account = self.accounts.get((site.code, account_code))
                if account is None:
                    raise rec.fail(f"unknown account '{account_code}' in {site.code}")
            status = d.get("status", "").strip() or "active"
            if status not in ("active", "disabled"):
                raise rec.fail(f"status must be active or disabled, not '{status}'")
            lock_kind = d.get("lock_kind", "").strip() or None
            locked_at = parse_when(d.get("locked_at", ""), self.now, rec, "locked_at")
            if lock_kind not in (None, "failed_logins", "staff"):
                raise rec.fail("lock_kind must be failed_logins or staff")
            if (lock_kind is None) != (locked_at is None):
                raise rec.fail("locked_at and lock_kind go together")
            email = check_email(d.get("email", ""), rec)
            first = check_text(d["first_name"], rec, "first_name", max_len=200, required=False)
            last = check_text(d["last_name"], rec, "last_name", max_len=200, required=False)
            phone = check_text(d.get("phone", ""), rec, "phone", max_len=64, required=False) or None
            c = Customer(
                site_id=site.id,
                account_id=account.id if account else None,
                username=username,
                email=email,
                first_name=first,
                last_name=last,
                phone=phone,
                status=status,
                status_reason=d.get("status_reason", "").strip() or None,
                password_hash=self._hash(rec, d.get("password", "")),
                must_change_password=parse_bool(d.get("must_change_password", ""), rec, "must_change_password"),
                password_expires_at=parse_when(d.get("password_expires_at", ""), self.now, rec, "password_expires_at"),
                failed_login_count=parse_int(d.get("failed_login_count", ""), rec, "failed_login_count"),
                locked_at=locked_at,
                lock_kind=lock_kind,
                lock_reason=d.get("lock_reason", "").strip() or None,
                locked_by=d.get("locked_by", "").strip() or None,
                last_login_at=parse_when(d.get("last_login_at", ""), self.now, rec, "last_login_at"),
                password_changed_at=parse_when(d.get("password_changed_at", ""), self.now, rec, "password_changed_at"),
                created_at=parse_when(d.get("created_at", ""), self.now, rec, "created_at") or self.now,
                version=1,
                **search_columns(username=username, email=email, first_name=first, last_name=last, phone=phone),
            )
            self.customers[key] = c
            rows.append(c)
        self.s.add_all(rows)
        self.s.flush()

    def _customer(self, rec: Rec) -> tuple[Scope, Customer]:
        site = self._site(rec, rec.data["site"])
        c = self.customers.get((site.code, rec.data["username"].strip().casefold()))
        if c is None:
            raise rec.fail(f"unknown customer '{rec.data['username']}' in {site.code}")
        return site, c

    def memberships_(self) -> None:
        seen: set[tuple[int, int]] = set()
        for rec in self.seed.memberships:
            site, c = self._customer(rec)
            offer = self._offer_for(rec, site, rec.data["offer"])
            if (c.id, offer.id) in seen:
                raise rec.fail("membership listed twice")
            seen.add((c.id, offer.id))
            pw = self._hash(rec, rec.data.get("password", ""))
            if pw and not offer.has_password_field:
                raise rec.fail(f"offer '{offer.code}' has no Password field: leave password empty")
            status = rec.data.get("status", "").strip() or "active"
            if status not in ("active", "cancelled"):
                raise rec.fail("status must be active or cancelled")
            self.s.add(
                Membership(
                    customer_id=c.id,
                    offer_id=offer.id,
                    granted_at=parse_when(rec.data.get("granted_at", ""), self.now, rec, "granted_at") or self.now,
                    status=status,
                    password_hash=pw,
                )
            )
        self.s.flush()

    def emails_(self) -> None:
        for rec in self.seed.emails:
            site, c = self._customer(rec)
            d = rec.data
            template = d["template"].strip()
            if template not in TEMPLATES:
                raise rec.fail(
                    f"template must be one of {', '.join(TEMPLATES)} (secret-carrying emails can't be seeded)"
                )
            status = d["status"].strip()
            if status not in EMAIL_STATUSES:
                raise rec.fail(f"status must be one of {', '.join(EMAIL_STATUSES)}")
            if not c.email:
                raise rec.fail(f"customer '{c.username}' has no email address")
            params: dict[str, object] = {
                "first_name": c.first_name,
                "last_name": c.last_name,
                "username": c.username,
                "site_name": site.name,
            }
            created = parse_when(d.get("created_at", ""), self.now, rec, "created_at") or self.now
            if template == "membership_welcome":
                params["offer_name"] = self._offer_for(rec, site, d.get("offer", "")).name
            elif template == "password_changed":
                params.update(changed_at=created.isoformat(), changed_by_staff=False)
            elif template == "email_changed":
                params.update(new_email_masked=mask_email(c.email), changed_at=created.isoformat())
            self.s.add(
                OutboundEmail(
                    scope_id=site.id,
                    customer_id=c.id,
                    template=template,
                    to_address=c.email,
                    subject=template.replace("_", " ").capitalize(),
                    params=json.dumps(params),
                    message_id=new_message_id(f"{site.code}.example"),
                    status=status,
                    attempts=parse_int(d.get("attempts", ""), rec, "attempts"),
                    last_error=d.get("last_error", "").strip() or None,
                    created_by="seed",
                    created_at=created,
                    sent_at=created if status == "sent" else None,
                )
            )
        self.s.flush()


def load_seed(
    factory: sessionmaker[Session],
    folder: Path,
    *,
    now: datetime,
    actor: str,
    demo: bool | None = None,
) -> SeedSummary:
    """Load `folder`; console users only when the database is (or becomes) a demo one."""
    seed = read_seed(folder)
    with factory() as session, session.begin():
        meta = MetaRepository(session)
        if demo:
            meta.mark_demo()
        is_demo = meta.is_demo()
        loader = _Loader(session, seed, now, actor)
        try:
            loader.scopes_()
            loader.offers_()
            skipped = loader.users_(is_demo)
            loader.accounts_()
            loader.customers_()
            loader.memberships_()
            loader.emails_()
        except IntegrityError as exc:
            raise SeedError(
                str(folder), 0, f"conflicts with data already in the database ({type(exc.orig).__name__})"
            ) from None
        summary = SeedSummary(
            scopes=len(seed.scopes),
            offers=len(seed.offers),
            console_users=0 if skipped else len(seed.users),
            accounts=len(seed.accounts),
            customers=len(seed.customers),
            memberships=len(seed.memberships),
            emails=len(seed.emails),
            skipped_users=skipped,
        )
        session.add(
            ActivityEvent(
                at=now,
                actor=actor,
                action="seed_loaded",
                outcome="ok",
                details=json.dumps({"folder": folder.name, "customers": summary.customers}),
            )
        )
    return summary
