"""SPEC §10.7: every use case checks the role (SPEC §1 Roles) and the scopes.

The Roles table is written out here on purpose, not imported from domain.roles, so a
wrong table there can't make this test agree with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from services_helpers import new_password, set_customer

from testkit import actor, customer_id
from tuiconsole.domain.errors import Forbidden, NotFound, TuiconsoleError
from tuiconsole.services.container import Services
from tuiconsole.services.views import ProfileChanges
from tuiconsole.store.models import ConsoleUser, ConsoleUserScope, Scope

ROLES = ("csr", "supervisor", "trainer", "admin")
ALL = frozenset(ROLES)
# SPEC §1 Roles, row by row.
MAY = {
    "view": ALL,  # find and view customers, outbox, activity in granted scopes
    "edit": ALL,  # new customer, edit profile, send reset email, unlock, grant offer, resend credentials
    "set_password": ALL,  # a manual / temporary / membership password
    "supervise": frozenset({"supervisor", "trainer", "admin"}),  # lock / disable / enable, lift a staff lock,
    # export activity, edit reset options
}
SEES_ALL_SCOPES = frozenset({"admin"})  # "● (all scopes)"

# use case -> row of the table above
USE_CASES = {
    "search": "view",
    "get": "view",
    "update_profile": "edit",
    "send_reset_email": "edit",
    "unlock": "edit",
    "grant_offer": "edit",
    "resend_credentials": "edit",
    "set_password": "set_password",
    "set_membership_password": "set_password",
    "lock": "supervise",
    "disable": "supervise",
    "enable": "supervise",
    "lift_staff_lock": "supervise",
    "update_options": "supervise",
}

# Targets: in scope (acme-us, granted) and out of scope (globex, not granted); one customer
# per use case so the calls don't interfere.
TARGETS = {
    "in": {
        "site": "acme-us", "view": "jdoe", "profile": "jdoe", "reset": "jdoe", "unlock": "mei.young",
        "grant": ("jennifer.jones", "acme-plus"), "resend": ("jdoe", "acme-plus"),
        "set_password": "betty.andersson47", "membership": ("jdoe", "acme-academy"), "lock": "donna.brown71",
        "disable": "olga.baker", "enable": "dana.disabled", "staff_lock": "victor.stone",
    },
    "out": {
        "site": "globex-de", "view": "lukas.weber", "profile": "lukas.weber", "reset": "lukas.weber",
        "unlock": "jose.garcia", "grant": ("jose.walker", "globex-trail-club"),
        "resend": ("olga.petrova", "globex-trail-club"), "set_password": "soren.moore",
        "membership": ("olga.petrova", "globex-trail-club"), "lock": "andrew.campbell",
        "disable": "karen.schmidt48", "enable": "patricia.garcia", "staff_lock": "sarah.fischer30",
    },
}  # fmt: skip


def site_of(username: str, side: str) -> str:
    # olga.petrova is the out-of-scope customer with a membership: she lives on globex-us.
    return "globex-us" if username == "olga.petrova" else TARGETS[side]["site"]


def acme_only_user(svc: Services, role: str) -> str:
    """A console user of this role granted only the acme brand (casey.csr for csr)."""
    if role == "csr":
        return "casey.csr"
    name = f"{role}.acme"
    with svc.ctx.uow() as s:
        acme = s.scalar(sa.select(Scope.id).where(Scope.code == "acme"))
        user = ConsoleUser(username=name, display_name=name, role=role, created_at=svc.ctx.now())
        s.add(user)
        s.flush()
        s.add(ConsoleUserScope(user_id=user.id, scope_id=acme))
    return name


def prepare(svc: Services, side: str) -> dict[str, Callable[[Any], object]]:
    """Put the targets in the state each use case needs; return the calls by use case."""
    t = TARGETS[side]
    cid = {u: customer_id(svc, site_of(u, side), u) for u in
           [t["view"], t["unlock"], t["set_password"], t["lock"], t["disable"], t["enable"], t["staff_lock"],
            t["grant"][0], t["resend"][0], t["membership"][0]]}  # fmt: skip
    now = svc.ctx.now()
    set_customer(svc, cid[t["unlock"]], failed_login_count=2)
    set_customer(svc, cid[t["enable"]], status="disabled", status_reason="closed")
    set_customer(svc, cid[t["staff_lock"]], locked_at=now, lock_kind="staff", lock_reason="fraud", locked_by="x")
    ada = actor(svc, "ada.admin")
    version = svc.customers.get(ada, cid[t["profile"]]).version
    site_id = svc.scopes.by_code(ada, t["site"]).id
    offer_id = next(o.id for o in svc.offers.available_offers(ada, cid[t["grant"][0]]) if o.code == t["grant"][1])

    def membership(key: str) -> int:
        user, offer = t[key]
        return next(m.id for m in svc.offers.memberships(ada, cid[user]) if m.offer_code == offer)

    resend_id, membership_id = membership("resend"), membership("membership")
    pw = new_password()
    c, r, o = svc.customers, svc.resets, svc.offers
    return {
        "search": lambda a: c.search(a, site_id, ""),
        "get": lambda a: c.get(a, cid[t["view"]]),
        "update_profile": lambda a: c.update_profile(a, cid[t["profile"]], version, ProfileChanges(first_name="Pat")),
        "send_reset_email": lambda a: r.send_reset_email(a, cid[t["reset"]]),
        "unlock": lambda a: c.unlock(a, cid[t["unlock"]]),
        "grant_offer": lambda a: o.grant(a, cid[t["grant"][0]], offer_id),
        "resend_credentials": lambda a: o.resend_credentials(a, cid[t["resend"][0]], resend_id),
        "set_password": lambda a: r.set_password(
            a, cid[t["set_password"]], pw, pw, temporary=True, notify=True, verified_by="call-back"),
        "set_membership_password": lambda a: o.set_membership_password(
            a, cid[t["membership"][0]], membership_id, pw, pw, verified_by="call-back"),
        "lock": lambda a: c.lock(a, cid[t["lock"]], "Suspected fraud"),
        "disable": lambda a: c.disable(a, cid[t["disable"]], "Closed at the customer's request"),
        "enable": lambda a: c.enable(a, cid[t["enable"]], "Reopened"),
        "lift_staff_lock": lambda a: c.unlock(a, cid[t["staff_lock"]]),
        "update_options": lambda a: svc.scopes.update_options(a, site_id, {"ticket_expiration_minutes": 30}),
    }  # fmt: skip


def outcome(call: Callable[[Any], object], who: Any) -> str:
    try:
        call(who)
    except Forbidden:
        return "forbidden"
    except NotFound:
        return "not_found"
    except TuiconsoleError as exc:  # a business refusal, e.g. an offer without a Password field
        return f"business: {exc}"
    return "ok"


@pytest.mark.parametrize("role", ROLES)
def test_every_use_case_checks_role_and_scope(seeded_sqlite, role):
    """SPEC §10.7: every service call checks the role (SPEC §1 Roles) and the scopes: allowed →
    done (or refused for a business reason only), refused → Forbidden (role) or NotFound (scope)."""
    svc = seeded_sqlite
    who = actor(svc, acme_only_user(svc, role))
    assert (who.scope_ids is None) == (role in SEES_ALL_SCOPES)
    got: dict[tuple[str, str], str] = {}
    for side in ("in", "out"):
        calls = prepare(svc, side)
        assert set(calls) == set(USE_CASES)
        for name, row in USE_CASES.items():
            got[(name, side)] = outcome(calls[name], who)
    wrong = {}
    for (name, side), result in got.items():
        role_ok = role in MAY[USE_CASES[name]]
        scope_ok = side == "in" or role in SEES_ALL_SCOPES
        if role_ok and scope_ok:
            expected = {"ok"} if side == "in" else {"ok", "business"}
        elif not role_ok and scope_ok:
            expected = {"forbidden"}
        elif role_ok:
            expected = {"not_found"}
        else:
            expected = {"forbidden", "not_found"}
        if result.split(":")[0] not in expected:
            wrong[(name, side)] = (result, expected)
    assert wrong == {}, wrong
