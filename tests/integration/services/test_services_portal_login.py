"""The portal's login (SPEC §3): lockout, temporary passwords, equal answers, rehash."""

from __future__ import annotations

from datetime import timedelta

import argon2
import pytest
import sqlalchemy as sa
from services_helpers import (
    VerificationCounter,
    customer_row,
    email_secret,
    emails_of,
    give_password,
    new_password,
    set_customer,
    tickets_of,
)

from testkit import actor, customer_id
from tuiconsole.domain.errors import Expired, InvalidCredentials, NotAllowed, PolicyViolation
from tuiconsole.domain.hashing import Argon2Params, PasswordHasher, hash_params
from tuiconsole.services.portal import LOGIN_VERIFICATIONS, REASON_TEMPORARY, REASON_TICKET
from tuiconsole.store.models import ActivityEvent

LOGIN_FAILED = InvalidCredentials.default_message


def actions_of(svc, cid: int) -> list[tuple[str, str, str]]:
    with svc.ctx.read() as s:
        rows = s.execute(
            sa.select(ActivityEvent.actor, ActivityEvent.action, ActivityEvent.outcome)
            .where(ActivityEvent.customer_id == cid)
            .order_by(ActivityEvent.id)
        )
        return [tuple(r) for r in rows]


def test_wrong_passwords_lock_and_the_lock_lifts_by_itself(seeded, clock):
    """SPEC §10.3: expiry without sleeping — the automatic lock lifts after lockout_minutes (15 on acme-us)."""
    portal = seeded.portal
    cid = customer_id(seeded, "acme-us", "jdoe")
    password = give_password(seeded, cid)
    session = portal.login("acme-us", "JDoe", password)  # usernames compare case-insensitively
    assert (session.customer_id, session.must_change_password, session.reason) == (cid, False, None)
    assert customer_row(seeded, cid).last_login_at == clock.now()

    for attempt in range(1, 6):
        with pytest.raises(InvalidCredentials):
            portal.login("acme-us", "jdoe", "Wrong#Pass1")
        assert customer_row(seeded, cid).failed_login_count == attempt
    c = customer_row(seeded, cid)
    assert (c.lock_kind, c.locked_at) == ("failed_logins", clock.now())
    assert ("customer:jdoe", "locked_out", "ok") in actions_of(seeded, cid)
    sam = actor(seeded, "sam.supervisor")
    assert seeded.customers.get(sam, cid).status == "locked"

    clock.advance(minutes=14, seconds=59)
    with pytest.raises(InvalidCredentials):  # the lock holds against the right password too
        portal.login("acme-us", "jdoe", password)
    clock.advance(seconds=1)
    assert seeded.customers.get(sam, cid).status == "active"
    assert portal.login("acme-us", "jdoe", password).customer_id == cid
    c = customer_row(seeded, cid)
    assert (c.failed_login_count, c.lock_kind, c.locked_at) == (0, None, None)


def test_a_lock_without_duration_holds_until_staff_or_a_reset(seeded, clock):
    """SPEC §1: lockout_minutes 0 (acme-uk) locks until an unlock; lockout_threshold 3 there."""
    cid = customer_id(seeded, "acme-uk", "linda.lopez")
    password = give_password(seeded, cid)
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            seeded.portal.login("acme-uk", "linda.lopez", "Wrong#Pass1")
    clock.advance(days=30)
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("acme-uk", "linda.lopez", password)
    assert customer_row(seeded, cid).failed_login_count == 3  # no counting while locked
    seeded.customers.unlock(actor(seeded, "casey.csr"), cid)
    assert seeded.portal.login("acme-uk", "linda.lopez", password).customer_id == cid


def test_every_failure_gets_one_answer_and_one_cost(seeded, clock, monkeypatch):
    """SPEC §10.4: unknown user, wrong password, locked, disabled, expired, no password set:
    the same words and the same number of argon2 verifications."""
    portal = seeded.portal
    counter = VerificationCounter(monkeypatch, seeded.ctx.hasher)
    ids = {u: customer_id(seeded, site, u) for site, u in [
        ("acme-us", "jdoe"), ("acme-uk", "maria.lopez"), ("acme-us", "victor.stone"),
        ("acme-us", "dana.disabled"), ("acme-us", "priya.patel"), ("globex-us", "olga.petrova"),
    ]}  # fmt: skip
    pw = {u: give_password(seeded, cid) for u, cid in ids.items()}
    set_customer(seeded, ids["priya.patel"], password_expires_at=clock.now() - timedelta(minutes=1))
    seeded.resets.send_reset_email(actor(seeded, "sam.supervisor"), ids["olga.petrova"])  # a pending ticket
    counter.take()
    cases = {
        "unknown username": ("acme-us", "no.such.user", pw["jdoe"]),
        "username of another site": ("acme-uk", "jdoe", pw["jdoe"]),
        "wrong password": ("acme-us", "jdoe", "Wrong#Pass1"),
        "automatic lock, right password": ("acme-uk", "maria.lopez", pw["maria.lopez"]),
        "staff lock, right password": ("acme-us", "victor.stone", pw["victor.stone"]),
        "disabled, right password": ("acme-us", "dana.disabled", pw["dana.disabled"]),
        "expired temporary password": ("acme-us", "priya.patel", pw["priya.patel"]),
        "no password set": ("acme-us", "new.member", pw["jdoe"]),
        "pending emailed temporary password, wrong password": ("globex-us", "olga.petrova", "Wrong#Pass1"),
    }
    seen: dict[str, tuple[str, int]] = {}
    for name, (site, username, password) in cases.items():
        with pytest.raises(InvalidCredentials) as err:
            portal.login(site, username, password)
        seen[name] = (str(err.value), counter.take())
    assert set(seen.values()) == {(LOGIN_FAILED, LOGIN_VERIFICATIONS)}, seen
    # A success costs the same verifications (plus nothing else here: no rehash needed).
    portal.login("acme-us", "jdoe", pw["jdoe"])
    assert counter.take() == LOGIN_VERIFICATIONS
    # The unknown user's attempt is audited without the typed name (it may be a password).
    with seeded.ctx.read() as s:
        unknown = s.scalars(sa.select(ActivityEvent).where(ActivityEvent.actor == "customer:unknown")).all()
    assert unknown and all("no.such.user" not in e.details for e in unknown)


def test_a_weaker_hash_is_rehashed_at_login_and_errors_fail_closed(seeded, monkeypatch):
    """SPEC §10.1: a hash with weaker parameters is re-hashed at the next successful login;
    any verification error fails closed."""
    cid = customer_id(seeded, "acme-us", "jdoe")
    password = give_password(seeded, cid)  # made with the fast test parameters (m=8, t=1)
    stronger = PasswordHasher(Argon2Params(memory_kib=64, time_cost=2, parallelism=1), allow_below_floor=True)
    monkeypatch.setattr(seeded.ctx, "hasher", stronger)
    seeded.portal.login("acme-us", "jdoe", password)
    rehashed = customer_row(seeded, cid).password_hash
    assert hash_params(rehashed) == Argon2Params(64, 2, 1)
    assert stronger.verify(rehashed, password)
    seeded.portal.login("acme-us", "jdoe", password)  # still works, nothing more to do
    assert customer_row(seeded, cid).password_hash == rehashed

    set_customer(seeded, cid, password_hash=rehashed[:-10] + "!!corrupt!")
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("acme-us", "jdoe", password)
    set_customer(seeded, cid, password_hash=rehashed)

    def broken(*args, **kwargs):
        raise RuntimeError("argon2 exploded")

    monkeypatch.setattr(argon2.PasswordHasher, "verify", broken)
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("acme-us", "jdoe", password)


def test_a_csr_set_temporary_password_forces_a_change_and_expires(seeded, clock):
    """SPEC §10.3: a CSR-set temporary password stops working after temporary_password_hours (48)."""
    sam = actor(seeded, "sam.supervisor")
    cid = customer_id(seeded, "acme-us", "jdoe")
    temporary, chosen = new_password(), new_password()
    seeded.resets.set_password(sam, cid, temporary, temporary, temporary=True, notify=False, verified_by="call-back")
    session = seeded.portal.login("acme-us", "jdoe", temporary)
    assert (session.must_change_password, session.reason) == (True, REASON_TEMPORARY)
    with pytest.raises(PolicyViolation):
        seeded.portal.complete_forced_change(session, "short", "short")
    done = seeded.portal.complete_forced_change(session, chosen, chosen)
    assert done.must_change_password is False
    again = new_password()
    with pytest.raises(Expired):  # the session allowed one change only
        seeded.portal.complete_forced_change(session, again, again)
    assert seeded.portal.login("acme-us", "jdoe", chosen).must_change_password is False
    last = emails_of(seeded, cid, "password_changed")[-1]
    assert '"changed_by_staff": false' in last.params

    seeded.resets.set_password(sam, cid, temporary, temporary, temporary=True, notify=False, verified_by="other")
    clock.advance(hours=47, minutes=59)
    assert seeded.portal.login("acme-us", "jdoe", temporary).must_change_password
    clock.advance(minutes=1)
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("acme-us", "jdoe", temporary)


def test_an_emailed_temporary_password_works_despite_the_lock_and_lifts_it(seeded, clock):
    """SPEC §1 "Reset and lock" and §10.2: the emailed temporary password (a ticket) is redeemed
    once, works despite an automatic lock and lifts it; the old password keeps working until then.
    SPEC §10.3: it expires after temporary_password_hours."""
    sam = actor(seeded, "sam.supervisor")
    cid = customer_id(seeded, "globex-us", "olga.petrova")
    old = give_password(seeded, cid)
    set_customer(seeded, cid, failed_login_count=5, locked_at=clock.now(), lock_kind="failed_logins")
    result = seeded.resets.send_reset_email(sam, cid)
    temporary = email_secret(seeded, result.email_id)
    with pytest.raises(InvalidCredentials):  # the lock still holds against the old password
        seeded.portal.login("globex-us", "olga.petrova", old)
    assert seeded.customers.get(sam, cid).unlocks_on_ticket_use

    session = seeded.portal.login("globex-us", "olga.petrova", temporary)
    assert (session.must_change_password, session.reason) == (True, REASON_TICKET)
    c = customer_row(seeded, cid)
    assert (c.lock_kind, c.failed_login_count) == (None, 0)
    assert tickets_of(seeded, cid)[-1].used_at == clock.now()
    with pytest.raises(InvalidCredentials):  # single use
        seeded.portal.login("globex-us", "olga.petrova", temporary)
    with pytest.raises(NotAllowed):  # a normal session can't take the forced-change path
        seeded.portal.complete_forced_change(seeded.portal.login("globex-us", "olga.petrova", old), old, old)
    chosen = new_password()
    seeded.portal.complete_forced_change(session, chosen, chosen)
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("globex-us", "olga.petrova", old)
    assert not seeded.portal.login("globex-us", "olga.petrova", chosen).must_change_password
    assert ("customer:olga.petrova", "password_changed", "ok") in actions_of(seeded, cid)

    # SPEC §10.3: an emailed temporary password expires after temporary_password_hours (48 here).
    temporary = email_secret(seeded, seeded.resets.send_reset_email(sam, cid).email_id)
    clock.advance(hours=48)
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("globex-us", "olga.petrova", temporary)
    assert tickets_of(seeded, cid)[-1].used_at is None


def test_change_password_needs_the_current_one_and_keeps_history(seeded):
    """SPEC §3: change password needs the current password; wrong ones count; the history rule holds."""
    cid = customer_id(seeded, "acme-uk", "richard.davis")  # acme-uk: history 3, lockout 3
    first = give_password(seeded, cid)
    second, third = new_password(), new_password()
    with pytest.raises(InvalidCredentials):
        seeded.portal.change_password("acme-uk", "richard.davis", "Wrong#Pass1", second, second)
    assert customer_row(seeded, cid).failed_login_count == 1
    with pytest.raises(PolicyViolation) as err:
        seeded.portal.change_password("acme-uk", "richard.davis", first, "Richard#Davis12", "Richard#Davis12")
    assert "name" in str(err.value)
    seeded.portal.change_password("acme-uk", "richard.davis", first, second, second)
    seeded.portal.change_password("acme-uk", "richard.davis", second, third, third)
    with pytest.raises(PolicyViolation) as err:
        seeded.portal.change_password("acme-uk", "richard.davis", third, second, second)
    assert "used recently" in str(err.value)
    with pytest.raises(InvalidCredentials):
        seeded.portal.change_password("acme-uk", "nobody.here", third, second, second)
    assert seeded.portal.login("acme-uk", "richard.davis", third).customer_id == cid
    assert len(emails_of(seeded, cid, "password_changed")) == 2
