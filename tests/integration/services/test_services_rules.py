"""What the Set Customer Password dialog and the Offers tab refuse, and why (SPEC §2)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from services_helpers import customer_row, emails_of, new_password

from testkit import actor, customer_id
from tuiconsole.domain.errors import (
    InvalidCredentials,
    NotAllowed,
    NotFound,
    PolicyViolation,
    ValidationError,
)
from tuiconsole.services.offers import NO_PASSWORD_FIELD
from tuiconsole.store.models import ConsoleUser


def test_resets_refuse_with_the_reason(seeded):
    """SPEC §2 "Rules the dialog enforces": staff lock and disabled refuse with the reason; no email
    refuses the email option only; manual entry is refused where the site disallows it (globex-us)."""
    casey, sam = actor(seeded, "casey.csr"), actor(seeded, "sam.supervisor")
    pw = new_password()
    victor = customer_id(seeded, "acme-us", "victor.stone")
    for attempt in (
        lambda: seeded.resets.send_reset_email(casey, victor),
        lambda: seeded.resets.set_password(casey, victor, pw, pw, temporary=True, notify=True, verified_by="other"),
    ):
        with pytest.raises(NotAllowed) as err:
            attempt()
        assert "locked by staff: Suspected fraud: chargeback investigation #4471" in str(err.value)
    dana = customer_id(seeded, "acme-us", "dana.disabled")
    with pytest.raises(NotAllowed) as err:
        seeded.resets.send_reset_email(casey, dana)
    assert "disabled: Account closed at the customer's request" in str(err.value)

    tom = customer_id(seeded, "acme-us", "tom.noemail")
    with pytest.raises(NotAllowed) as err:
        seeded.resets.send_reset_email(casey, tom)
    assert "no email address" in str(err.value)
    result = seeded.resets.set_password(casey, tom, pw, pw, temporary=False, notify=True, verified_by="call-back")
    assert result.email_id is None and seeded.portal.login("acme-us", "tom.noemail", pw)

    olga = customer_id(seeded, "globex-us", "olga.petrova")
    with pytest.raises(NotAllowed) as err:
        seeded.resets.set_password(sam, olga, pw, pw, temporary=True, notify=True, verified_by="call-back")
    assert "Manual entry is off" in str(err.value)
    assert customer_row(seeded, olga).password_changed_at is not None  # the seeded one, unchanged
    assert seeded.resets.send_reset_email(sam, olga).email_id  # the email option stays


def test_offers_grant_resend_and_membership_password(seeded):
    """SPEC §2 Offers tab: grant (welcome email when the offer says so), resend credentials,
    membership password only where the offer has the Password field, under the site's policy."""
    casey = actor(seeded, "casey.csr")
    mei = customer_id(seeded, "acme-us", "mei.young")
    assert seeded.offers.memberships(casey, mei) == []
    available = {o.code: o for o in seeded.offers.available_offers(casey, mei)}
    assert set(available) == {"acme-plus", "acme-academy"}  # brand and site offers, not globex's
    result = seeded.offers.grant(casey, mei, available["acme-academy"].id)
    assert result.email_id and "m***@example.org" in result.summary
    welcome = emails_of(seeded, mei, "membership_welcome")[-1]
    assert json.loads(welcome.params)["offer_name"] == "Acme Academy (WordPress)"
    with pytest.raises(ValidationError):
        seeded.offers.grant(casey, mei, available["acme-academy"].id)
    trail_club = customer_id(seeded, "globex-us", "olga.petrova")
    with pytest.raises(NotFound):  # an offer of another brand
        seeded.offers.grant(actor(seeded, "ada.admin"), mei, _offer_id_of(seeded, trail_club))
    assert [o.code for o in seeded.offers.available_offers(casey, mei)] == ["acme-plus"]

    academy = seeded.offers.memberships(casey, mei)[0]
    resent = seeded.offers.resend_credentials(casey, mei, academy.id)
    assert resent.email_id != result.email_id and len(emails_of(seeded, mei, "membership_welcome")) == 2
    pw = new_password()
    with pytest.raises(ValidationError):
        seeded.offers.set_membership_password(casey, mei, academy.id, pw, pw, verified_by="not verified")
    with pytest.raises(PolicyViolation):
        seeded.offers.set_membership_password(casey, mei, academy.id, "short", "short", verified_by="call-back")
    seeded.offers.set_membership_password(casey, mei, academy.id, pw, pw, verified_by="call-back")
    assert seeded.offers.memberships(casey, mei)[0].has_membership_password
    assert seeded.portal.check_membership_password("acme-us", "mei.young", "acme-academy", pw)

    jdoe = customer_id(seeded, "acme-us", "jdoe")
    plus = next(m for m in seeded.offers.memberships(casey, jdoe) if m.offer_code == "acme-plus")
    with pytest.raises(NotAllowed) as err:
        seeded.offers.set_membership_password(casey, jdoe, plus.id, pw, pw, verified_by="call-back")
    assert str(err.value) == NO_PASSWORD_FIELD
    with pytest.raises(NotFound):  # a membership of someone else
        seeded.offers.resend_credentials(casey, jdoe, academy.id)
    tom = customer_id(seeded, "acme-us", "tom.noemail")
    granted = seeded.offers.grant(casey, tom, available["acme-plus"].id)
    assert granted.email_id is None
    with pytest.raises(NotAllowed):
        seeded.offers.resend_credentials(casey, tom, seeded.offers.memberships(casey, tom)[0].id)


def _offer_id_of(svc, cid: int) -> int:
    return svc.offers.memberships(actor(svc, "ada.admin"), cid)[0].offer_id


def test_console_logins_count_and_lock(seeded):
    """SPEC §1 Login screen: failed console logins are counted and lock the console user
    (the failure is committed, not rolled back with the error)."""
    with seeded.ctx.uow() as s:
        s.execute(sa.update(ConsoleUser).where(ConsoleUser.username == "casey.csr").values(
            password_hash=seeded.ctx.hasher.hash(right := new_password())))  # fmt: skip
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            seeded.auth.login("casey.csr", "Wrong#Pass1")
    with pytest.raises(InvalidCredentials):
        seeded.auth.login("casey.csr", right)
    with seeded.ctx.read() as s:
        user = s.scalar(sa.select(ConsoleUser).where(ConsoleUser.username == "casey.csr"))
        assert user is not None and user.failed_login_count == 5 and user.locked_at is not None
