"""Many CSRs at once (SPEC §7, §10.2, §10.10, §10.11): a bounded load run and its checks.

8 worker threads, each with its own Services (own engine and pool) on one
database, run a realistic mix of console and portal operations on a small set of
overlapping customers until a time limit or an operation count is reached,
whichever comes first. Every operation's outcome is recorded on the client side;
afterwards the database is checked against it:

- lost updates: per customer the successful edits got versions 2, 3, … without a
  gap or a repeat, and the row holds the value of the highest one;
- tickets redeemed twice: no ticket has two redemptions, client side or audited;
- changes without their activity event: each successful change has one event;
- secret-carrying emails without their ticket: every such outbox row points at a
  ticket of the same customer.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from testkit import actor, make_services
from tuiconsole.domain.clock import SystemClock
from tuiconsole.domain.errors import (
    Conflict,
    Expired,
    InvalidCredentials,
    NotAllowed,
    TuiconsoleError,
    ValidationError,
)
from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.services.container import Services
from tuiconsole.services.outbox_queue import SECRET_TEMPLATES
from tuiconsole.services.views import ProfileChanges
from tuiconsole.store.models import ActivityEvent, Customer, OutboundEmail, ResetTicket, Scope

SITE = "acme-us"
CSR = "casey.csr"
CUSTOMERS = 12  # overlapping: 8 workers on 12 customers collide often
WORKERS = 8

# name -> weight: a CSR day is mostly finding and opening customers.
MIX: dict[str, int] = {
    "search": 26,
    "open": 18,
    "edit_profile": 16,
    "send_reset": 9,
    "manual_reset": 7,
    "unlock": 6,
    "portal_wrong_password": 12,
    "redeem_link": 6,
}
SEARCH_WORDS = ("a", "jo", "son", "an", "ma", "er", "li", "smith", "do", "ri")


@dataclass
class Edit:
    customer_id: int
    version: int
    phone: str


@dataclass
class Shared:
    """What the workers tell each other (tokens to race on) and the outcomes, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    tokens: list[str] = field(default_factory=list)  # reset-link tokens seen in the outbox
    edits: list[Edit] = field(default_factory=list)
    redeemed: Counter[str] = field(default_factory=Counter)  # token -> successful redemptions
    changes: Counter[str] = field(default_factory=Counter)  # action -> successes that must be audited
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: Counter[str] = field(default_factory=Counter)  # "op:outcome"
    unexpected: list[str] = field(default_factory=list)  # non-product errors: must stay empty


@dataclass(frozen=True)
class LoadReport:
    seconds: float
    operations: int
    ops_per_second: float
    p95_ms: dict[str, float]
    outcomes: dict[str, int]
    lost_updates: int
    tickets_redeemed_twice: int
    changes_without_event: int
    secret_emails_without_ticket: int
    unexpected: list[str]
    edits: int
    redemptions: int

    def lines(self) -> list[str]:
        out = [
            f"load: {self.operations} operations in {self.seconds:.1f} s = {self.ops_per_second:.1f} ops/s "
            f"({WORKERS} workers, {CUSTOMERS} customers)",
        ]
        out += [f"  p95 {name:<22} {ms:8.1f} ms" for name, ms in sorted(self.p95_ms.items())]
        out.append(
            f"  successful edits {self.edits}, redemptions {self.redemptions}; lost updates {self.lost_updates}, "
            f"tickets redeemed twice {self.tickets_redeemed_twice}, changes without event "
            f"{self.changes_without_event}, secret emails without ticket {self.secret_emails_without_ticket}"
        )
        return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def strong_password(rng: random.Random) -> str:
    """Meets every seeded policy (length, capital, digit, special, not common, not personal)."""
    return f"Qv{rng.randrange(10**8):08d}!zK#{rng.randrange(10**4):04d}"


class Worker:
    """One CSR (and the customers' website) on its own Services."""

    def __init__(self, svc: Services, shared: Shared, customers: list[tuple[int, str]], seed: int) -> None:
        self.svc = svc
        self.shared = shared
        self.customers = customers
        self.rng = random.Random(seed)
        self.csr = actor(svc, CSR)
        with svc.ctx.read() as s:
            self.site_id = s.scalar(sa.select(Scope.id).where(Scope.code == SITE))
        self.ops: dict[str, Callable[[int, str], str]] = {
            "search": self.search,
            "open": self.open,
            "edit_profile": self.edit_profile,
            "send_reset": self.send_reset,
            "manual_reset": self.manual_reset,
            "unlock": self.unlock,
            "portal_wrong_password": self.portal_wrong_password,
            "redeem_link": self.redeem_link,
        }

    # --- the operations; each returns its outcome word -------------------------

    def search(self, _cid: int, _username: str) -> str:
        query = " ".join(self.rng.sample(SEARCH_WORDS, self.rng.randint(1, 2)))
        self.svc.customers.search(self.csr, self.site_id, query, limit=50)
        return "ok"

    def open(self, cid: int, _username: str) -> str:
        self.svc.customers.get(self.csr, cid)
        self.svc.customers.activity(self.csr, cid, limit=20)
        return "ok"

    def edit_profile(self, cid: int, _username: str) -> str:
        details = self.svc.customers.get(self.csr, cid)
        phone = f"+1 555 {self.rng.randrange(10**7):07d}"
        try:
            saved = self.svc.customers.update_profile(self.csr, cid, details.version, ProfileChanges(phone=phone))
        except Conflict:
            return "conflict"
        with self.shared.lock:
            self.shared.edits.append(Edit(cid, saved.version, phone))
            self.shared.changes["profile_updated"] += 1
        return "ok"

    def send_reset(self, cid: int, _username: str) -> str:
        try:
            result = self.svc.resets.send_reset_email(self.csr, cid, verified_by="email on file")
        except NotAllowed:
            return "refused"
        with self.svc.ctx.read() as s:
            # Test-only peek at the queued secret: the customer would read it in the email.
            token = s.scalar(sa.select(OutboundEmail.secret).where(OutboundEmail.id == result.email_id))
        with self.shared.lock:
            self.shared.changes["reset_email_sent"] += 1
            if token:
                self.shared.tokens.append(token)
        return "ok"

    def manual_reset(self, cid: int, _username: str) -> str:
        pw = strong_password(self.rng)
        try:
            self.svc.resets.set_password(
                self.csr, cid, pw, pw, temporary=self.rng.random() < 0.5, notify=True, verified_by="call-back"
            )
        except NotAllowed:
            return "refused"
        with self.shared.lock:
            self.shared.changes["password_set"] += 1
        return "ok"

    def unlock(self, cid: int, _username: str) -> str:
        try:
            self.svc.customers.unlock(self.csr, cid)
        except ValidationError:
            return "not_locked"
        except TuiconsoleError:  # a staff lock needs a supervisor
            return "refused"
        with self.shared.lock:
            self.shared.changes["unlocked"] += 1
        return "ok"

    def portal_wrong_password(self, _cid: int, username: str) -> str:
        try:
            self.svc.portal.login(SITE, username, f"wrong-{self.rng.randrange(10**6)}")
        except InvalidCredentials:
            return "refused"
        return "logged_in"  # must never happen: counted as unexpected

    def redeem_link(self, _cid: int, _username: str) -> str:
        with self.shared.lock:
            if not self.shared.tokens:
                return "no_token"
            # Recent tokens mostly, so two workers often race on the same one.
            token = self.rng.choice(self.shared.tokens[-4:])
        pw = strong_password(self.rng)
        try:
            self.svc.portal.redeem_link(SITE, token, pw, pw)
        except Expired:
            return "expired_or_used"
        except NotAllowed:
            return "refused"
        with self.shared.lock:
            self.shared.redeemed[token] += 1
        return "ok"

    # --- the loop ---------------------------------------------------------------

    def run(self, deadline: float, budget: Callable[[], bool]) -> None:
        names = list(MIX)
        weights = [MIX[n] for n in names]
        while time.monotonic() < deadline and budget():
            name = self.rng.choices(names, weights)[0]
            cid, username = self.rng.choice(self.customers)
            started = time.perf_counter()
            try:
                outcome = self.ops[name](cid, username)
            except TuiconsoleError as exc:  # a product answer, but not one this mix expects
                outcome = f"error:{type(exc).__name__}"
            except Exception as exc:  # noqa: BLE001 - recorded, asserted empty
                outcome = "crash"
                with self.shared.lock:
                    self.shared.unexpected.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
            elapsed = (time.perf_counter() - started) * 1000
            with self.shared.lock:
                self.shared.latencies[name].append(elapsed)
                self.shared.outcomes[f"{name}:{outcome}"] += 1
                if outcome == "logged_in":
                    self.shared.unexpected.append("a wrong password logged in")


def pick_customers(svc: Services, n: int = CUSTOMERS) -> list[tuple[int, str]]:
    """Active customers of the site with an email, no staff lock: all ops apply."""
    with svc.ctx.read() as s:
        rows = s.execute(
            sa.select(Customer.id, Customer.username)
            .join(Scope, Scope.id == Customer.site_id)
            .where(
                Scope.code == SITE,
                Customer.status == "active",
                Customer.email.is_not(None),
                Customer.lock_kind.is_(None),
            )
            .order_by(Customer.id)
            .limit(n)
        ).all()
    return [(r.id, r.username) for r in rows]


def run_load(url: str, hasher: PasswordHasher, *, seconds: float, max_ops: int, seed: int = 7) -> LoadReport:
    """Run the mix on ``url`` (already seeded) and check the invariants."""
    shared = Shared()
    services = [make_services(url, SystemClock(), hasher) for _ in range(WORKERS)]  # type: ignore[arg-type]
    try:
        customers = pick_customers(services[0])
        workers = [Worker(svc, shared, customers, seed + i) for i, svc in enumerate(services)]
        count_lock = threading.Lock()
        started_ops = [0]

        def budget() -> bool:
            with count_lock:
                started_ops[0] += 1
                return started_ops[0] <= max_ops

        started = time.monotonic()
        deadline = started + seconds
        threads = [threading.Thread(target=w.run, args=(deadline, budget), daemon=True) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 120)
        elapsed = time.monotonic() - started
        checks = check_invariants(services[0], shared, [c for c, _ in customers])
    finally:
        for svc in services:
            svc.close()
    operations = sum(len(v) for v in shared.latencies.values())
    return LoadReport(
        seconds=elapsed,
        operations=operations,
        ops_per_second=operations / elapsed if elapsed else 0.0,
        p95_ms={name: round(p95(v), 1) for name, v in shared.latencies.items()},
        outcomes=dict(shared.outcomes),
        unexpected=list(shared.unexpected),
        edits=len(shared.edits),
        redemptions=sum(shared.redeemed.values()),
        **checks,
    )


def check_invariants(svc: Services, shared: Shared, customer_ids: list[int]) -> dict[str, int]:
    with svc.ctx.read() as s:
        lost = _lost_updates(s, shared, customer_ids)
        twice = _twice_redeemed(s, shared)
        without_event = _changes_without_event(s, shared, customer_ids)
        orphan_emails = _secret_emails_without_ticket(s)
    return {
        "lost_updates": lost,
        "tickets_redeemed_twice": twice,
        "changes_without_event": without_event,
        "secret_emails_without_ticket": orphan_emails,
    }


def _lost_updates(s: sa.orm.Session, shared: Shared, customer_ids: list[int]) -> int:
    by_customer: dict[int, list[Edit]] = defaultdict(list)
    for e in shared.edits:
        by_customer[e.customer_id].append(e)
    lost = 0
    for cid in customer_ids:
        row = s.get(Customer, cid)
        assert row is not None
        edits = sorted(by_customer[cid], key=lambda e: e.version)
        versions = [e.version for e in edits]
        # Each success superseded only by a later success with a higher version.
        lost += len(versions) - len(set(versions))
        expected = list(range(2, 2 + len(edits)))
        lost += sum(1 for v in expected if v not in versions)
        if edits:
            top = edits[-1]
            if row.version != top.version or row.phone != top.phone:
                lost += 1
        elif row.version != 1:
            lost += 1
    return lost


def _event_details(s: sa.orm.Session, action: str) -> list[dict[str, object]]:
    rows = s.scalars(sa.select(ActivityEvent.details).where(ActivityEvent.action == action))
    return [json.loads(d or "{}") for d in rows]


def _twice_redeemed(s: sa.orm.Session, shared: Shared) -> int:
    client = sum(1 for n in shared.redeemed.values() if n > 1)
    audited = Counter(d.get("ticket_id") for d in _event_details(s, "ticket_redeemed"))
    return client + sum(1 for n in audited.values() if n > 1)


def _changes_without_event(s: sa.orm.Session, shared: Shared, customer_ids: list[int]) -> int:
    def events(action: str, outcome: str = "ok") -> int:
        return int(
            s.scalar(
                sa.select(sa.func.count())
                .select_from(ActivityEvent)
                .where(
                    ActivityEvent.action == action,
                    ActivityEvent.outcome == outcome,
                    ActivityEvent.customer_id.in_(customer_ids),
                )
            )
            or 0
        )

    missing = 0
    for action, successes in shared.changes.items():
        audited = events(action)
        if action == "password_set":
            audited += events("temporary_password_set")
        missing += max(0, successes - audited)
    # Every redemption audited; every ticket issued by an audited reset.
    missing += max(0, sum(shared.redeemed.values()) - len(_event_details(s, "ticket_redeemed")))
    issued = {
        d.get("ticket_id")
        for action in ("reset_email_sent", "forgot_password", "email_retried")
        for d in _event_details(s, action)
    }
    tickets = set(s.scalars(sa.select(ResetTicket.id)))
    missing += len(tickets - issued)
    used = set(s.scalars(sa.select(ResetTicket.id).where(ResetTicket.used_at.is_not(None))))
    redeemed_events = {d.get("ticket_id") for d in _event_details(s, "ticket_redeemed")}
    missing += len(used - redeemed_events)
    return missing


def _secret_emails_without_ticket(s: sa.orm.Session) -> int:
    rows = s.execute(
        sa.select(OutboundEmail.id, OutboundEmail.customer_id, ResetTicket.customer_id)
        .outerjoin(ResetTicket, ResetTicket.id == OutboundEmail.ticket_id)
        .where(OutboundEmail.template.in_(SECRET_TEMPLATES))
    ).all()
    return sum(1 for _id, email_customer, ticket_customer in rows if ticket_customer != email_customer)
