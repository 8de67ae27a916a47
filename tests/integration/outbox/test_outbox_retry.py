"""Retry of a failed email: secret-carrying ones get a fresh ticket, others are resent."""

from __future__ import annotations

import pytest
from outboxkit import email_row, new_password, outbox_via, queue_reset_email

from testkit import actor, customer_id
from tuiconsole.domain.errors import Expired, ValidationError
from tuiconsole.store.models import ResetTicket


def test_retrying_a_failed_reset_email_issues_a_fresh_ticket_and_revokes_the_old(seeded, memory_transport):
    ada = actor(seeded, "ada.admin")
    outbox = outbox_via(seeded, memory_transport)
    old_id = queue_reset_email(seeded)
    old = email_row(seeded, old_id)
    old_token = old.secret
    assert old_token
    memory_transport.fail_next("permanent", "550 5.1.1 mailbox unavailable")
    assert outbox.deliver_due().failed == 1

    result = outbox.retry(ada, old_id)

    assert result.email_id is not None and result.email_id != old_id
    new = email_row(seeded, result.email_id)
    assert (new.status, new.template, new.attempts) == ("queued", "reset_link", 0)
    assert new.ticket_id != old.ticket_id and new.message_id != old.message_id
    assert new.secret and new.secret != old_token
    with seeded.ctx.read() as s:
        assert s.get(ResetTicket, old.ticket_id).revoked_at is not None
        assert s.get(ResetTicket, new.ticket_id).revoked_at is None
    assert email_row(seeded, old_id).status == "failed"  # the record of what happened stays

    assert outbox.deliver_due().sent == 1
    password = new_password()
    with pytest.raises(Expired):
        seeded.portal.redeem_link("acme-us", old_token, password, password)
    seeded.portal.redeem_link("acme-us", new.secret, password, password)


def test_retrying_a_failed_welcome_email_resends_the_same_row(seeded, memory_transport):
    ada = actor(seeded, "ada.admin")
    outbox = outbox_via(seeded, memory_transport)
    new_member = customer_id(seeded, "acme-us", "new.member")
    [failed] = seeded.outbox.list(ada, status="failed", customer_id=new_member)
    assert failed.template == "membership_welcome"

    result = outbox.retry(ada, failed.id)

    assert (result.email_id, result.email_status) == (failed.id, "queued")
    row = email_row(seeded, failed.id)
    assert (row.status, row.attempts, row.ticket_id) == ("queued", 0, None)
    assert outbox.deliver_due().sent == 1
    [msg] = memory_transport.sent
    assert msg["Message-ID"] == failed.message_id
    assert email_row(seeded, failed.id).status == "sent"
    with pytest.raises(ValidationError, match="Only a failed email"):
        outbox.retry(ada, failed.id)
