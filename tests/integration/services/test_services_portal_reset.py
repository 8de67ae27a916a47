"""Forgot password, reset links and membership passwords from the customer's side (SPEC §3)."""

from __future__ import annotations

import pytest
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
from tuiconsole.domain.errors import Expired, InvalidCredentials, NotAllowed, PolicyViolation, ValidationError
from tuiconsole.services.portal import FORGOT_ANSWER, LINK_EXPIRED


def test_forgot_password_answers_alike_and_cools_down(seeded, clock, monkeypatch):
    """SPEC §10.4: the same answer (and one argon2 operation) whether or not the username exists;
    SPEC §1: a second request within 2 minutes neither sends nor voids; after that a new one revokes the old."""
    counter = VerificationCounter(monkeypatch, seeded.ctx.hasher)
    hashes: list[int] = []
    real_hash = seeded.ctx.hasher.hash
    monkeypatch.setattr(seeded.ctx.hasher, "hash", lambda pw: hashes.append(1) or real_hash(pw))
    cid = customer_id(seeded, "acme-us", "jdoe")
    cases = [
        ("acme-us", "jdoe"),  # sent (link)
        ("acme-us", "no.such.user"),
        ("acme-us", "tom.noemail"),
        ("acme-us", "dana.disabled"),
        ("acme-us", "victor.stone"),
        ("acme-us", "jdoe"),  # cooldown
        ("globex-us", "olga.petrova"),  # sent (temporary password: hashed, no dummy)
    ]
    for site, username in cases:
        assert seeded.portal.forgot_password(site, username) == FORGOT_ANSWER
        assert counter.take() + len(hashes) == 1, (site, username)
        hashes.clear()
    first = emails_of(seeded, cid, "reset_link")
    assert len(first) == 1
    assert [e for u in ("tom.noemail", "dana.disabled", "victor.stone")
            for e in emails_of(seeded, customer_id(seeded, "acme-us", u)) if e.template == "reset_link"] == []  # fmt: skip
    assert len(emails_of(seeded, customer_id(seeded, "globex-us", "olga.petrova"), "temporary_password")) == 1

    token = email_secret(seeded, first[0].id)
    clock.advance(minutes=1, seconds=59)
    assert seeded.portal.forgot_password("acme-us", "JDOE") == FORGOT_ANSWER
    assert len(emails_of(seeded, cid, "reset_link")) == 1  # no second email within 2 minutes
    assert tickets_of(seeded, cid)[-1].revoked_at is None  # and the first ticket still works

    clock.advance(seconds=1)
    seeded.portal.forgot_password("acme-us", "jdoe")
    after = emails_of(seeded, cid, "reset_link")
    assert len(after) == 2
    old_ticket, new_ticket = tickets_of(seeded, cid)
    assert old_ticket.revoked_at == clock.now() and new_ticket.revoked_at is None
    chosen = new_password()
    with pytest.raises(Expired):
        seeded.portal.redeem_link("acme-us", token, chosen, chosen)
    link = f"https://www.acme.example/account/reset?token={email_secret(seeded, after[-1].id)}"
    seeded.portal.redeem_link("acme-us", link, chosen, chosen)
    assert seeded.portal.login("acme-us", "jdoe", chosen).customer_id == cid

    # The portal's live checklist: the site's policy, the username typed, no lookup.
    assert seeded.portal.policy_for("acme-uk", "jdoe").min_length == 12
    report = seeded.portal.check_password("acme-uk", "someone.new", "Someone.new#2026")
    assert {r.code for r in report.failed} == {"personal"}
    assert seeded.portal.check_password("acme-uk", "someone.new", chosen).ok


def test_a_reset_link_is_checked_against_the_policy_first_and_works_once(seeded):
    """SPEC §10.2: a ticket is bound to one customer and purpose and redeemed at most once;
    a password refused by the policy leaves it open."""
    sam = actor(seeded, "sam.supervisor")
    cid = customer_id(seeded, "acme-us", "jdoe")
    old = give_password(seeded, cid)
    token = email_secret(seeded, seeded.resets.send_reset_email(sam, cid).email_id)
    with pytest.raises(ValidationError) as err:
        seeded.portal.redeem_link("acme-us", "no link here", "x", "x")
    assert err.value.field == "token"
    chosen = new_password()
    with pytest.raises(ValidationError):
        seeded.portal.redeem_link("acme-us", token, chosen, chosen + "!")
    with pytest.raises(PolicyViolation):
        seeded.portal.redeem_link("acme-us", token, "Jdoe#2026x", "Jdoe#2026x")  # contains the username
    with pytest.raises(Expired):  # another site's portal: the link is not for it
        seeded.portal.redeem_link("acme-uk", token, chosen, chosen)
    assert seeded.portal.login("acme-us", "jdoe", old)  # the current password works until the ticket is used
    assert seeded.portal.redeem_link("acme-us", f"  {token}\n", chosen, chosen)
    with pytest.raises(Expired) as err:
        seeded.portal.redeem_link("acme-us", token, chosen, chosen)
    assert str(err.value) == LINK_EXPIRED
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("acme-us", "jdoe", old)
    changed = emails_of(seeded, cid, "password_changed")[-1]
    assert changed.created_by == "customer:jdoe" and '"changed_by_staff": false' in changed.params
    details = seeded.customers.get(sam, cid)
    assert details.pending_ticket is None and details.password_changed_at is not None


def test_a_reset_email_leaves_the_lock_until_used_a_manual_reset_lifts_it(seeded):
    """SPEC §1 "Reset and lock": a reset email unlocks an automatic lock only when used
    (until then the lock holds against the old password); a manual reset unlocks at once."""
    casey = actor(seeded, "casey.csr")
    maria = customer_id(seeded, "acme-uk", "maria.lopez")  # locked after failed logins, no auto-unlock
    old = give_password(seeded, maria)
    token = email_secret(seeded, seeded.resets.send_reset_email(casey, maria, verified_by="email on file").email_id)
    details = seeded.customers.get(casey, maria)
    assert details.status == "locked" and details.unlocks_on_ticket_use
    with pytest.raises(InvalidCredentials):
        seeded.portal.login("acme-uk", "maria.lopez", old)
    chosen = new_password()
    seeded.portal.redeem_link("acme-uk", token, chosen, chosen)
    assert seeded.customers.get(casey, maria).status == "active"
    assert seeded.portal.login("acme-uk", "maria.lopez", chosen).customer_id == maria

    linda = customer_id(seeded, "acme-uk", "linda.lopez")
    set_customer(seeded, linda, failed_login_count=3, locked_at=seeded.ctx.now(), lock_kind="failed_logins")
    typed = new_password()
    seeded.resets.set_password(casey, linda, typed, typed, temporary=False, notify=True, verified_by="call-back")
    after = seeded.customers.get(casey, linda)
    assert (after.status, after.failed_login_count) == ("active", 0)
    assert seeded.portal.login("acme-uk", "linda.lopez", typed).customer_id == linda


def test_links_expire_and_a_staff_lock_keeps_them_from_working(seeded, clock):
    """SPEC §10.3: a reset link expires after ticket_expiration_minutes (15 on globex-de).
    SPEC §1: a staff lock is lifted only by a supervisor; a pending link doesn't bypass it."""
    sam = actor(seeded, "sam.supervisor")
    cid = customer_id(seeded, "acme-us", "jdoe")
    token = email_secret(seeded, seeded.resets.send_reset_email(sam, cid).email_id)
    seeded.customers.lock(sam, cid, "Suspected fraud")
    chosen = new_password()
    with pytest.raises(NotAllowed):
        seeded.portal.redeem_link("acme-us", token, chosen, chosen)
    seeded.customers.enable(sam, cid)
    assert seeded.portal.redeem_link("acme-us", token, chosen, chosen)

    lukas = customer_id(seeded, "globex-de", "lukas.weber")
    token = email_secret(seeded, seeded.resets.send_reset_email(sam, lukas).email_id)
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(PolicyViolation):  # still open: the policy is what refuses
        seeded.portal.redeem_link("globex-de", token, "short", "short")
    clock.advance(seconds=1)
    with pytest.raises(Expired):
        seeded.portal.redeem_link("globex-de", token, chosen, chosen)
    assert tickets_of(seeded, lukas)[-1].used_at is None


def test_membership_password_checks_count_towards_the_lockout(seeded, monkeypatch):
    """SPEC §3: an external platform checks a membership password; failures count towards the
    customer's lockout, each check costs one argon2 verification whatever the outcome."""
    sam = actor(seeded, "sam.supervisor")
    cid = customer_id(seeded, "acme-us", "jdoe")
    academy = next(m for m in seeded.offers.memberships(sam, cid) if m.offer_code == "acme-academy")
    member_pw = new_password()
    seeded.offers.set_membership_password(sam, cid, academy.id, member_pw, member_pw, verified_by="call-back")
    counter = VerificationCounter(monkeypatch, seeded.ctx.hasher)
    check = seeded.portal.check_membership_password
    assert check("acme-us", "jdoe", "acme-academy", member_pw) is True
    assert check("acme-us", "jdoe", "acme-plus", member_pw) is False  # no Password field there
    assert check("acme-us", "no.such.user", "acme-academy", member_pw) is False
    assert counter.take() == 3
    for _ in range(4):
        assert check("acme-us", "jdoe", "acme-academy", "Wrong#Pass1") is False
    assert customer_row(seeded, cid).lock_kind == "failed_logins"  # 1 + 4 failures = threshold 5
    assert check("acme-us", "jdoe", "acme-academy", member_pw) is False  # locked now
    assert counter.take() == 5
