"""The dispatcher against a real SMTP server (aiosmtpd on 127.0.0.1, TLS from trustme)."""

from __future__ import annotations

import pytest
from outboxkit import email_row, link_token, new_password, outbox_via, parse, queue_reset_email, text_body

from tuiconsole.domain.errors import Expired
from tuiconsole.domain.tokens import hash_token
from tuiconsole.services.email import make_transport
from tuiconsole.services.outbox import backoff
from tuiconsole.store.models import ActivityEvent, ResetTicket

# aiosmtpd can't see that implicit TLS (smtps) is encrypted and warns about AUTH.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def smtp(server, ca_file: str | None = None, timeout: float = 2):  # type: ignore[no-untyped-def]
    return make_transport("smtp", smtp_url=server.url(timeout=timeout), ca_file=ca_file)


def test_a_reset_email_arrives_and_its_link_redeems_once_through_the_portal(seeded, smtp_server):
    server = smtp_server("plain")
    email_id = queue_reset_email(seeded)

    report = outbox_via(seeded, smtp(server)).deliver_due()

    assert report.sent == 1
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.secret, row.last_error) == ("sent", 1, None, None)
    [raw] = server.handler.received
    msg = parse(raw)
    assert msg["Message-ID"] == row.message_id
    assert msg["To"] == "jane.doe@example.com"
    with seeded.ctx.read() as s:
        ticket = s.get(ResetTicket, row.ticket_id)
        assert ticket is not None and ticket.used_at is None and ticket.revoked_at is None
        assert ticket.lookup == hash_token(link_token(msg))

    link = next(line.strip() for line in text_body(msg).splitlines() if "token=" in line)
    password = new_password()
    seeded.portal.redeem_link("acme-us", link, password, password)

    with seeded.ctx.read() as s:
        assert s.get(ResetTicket, row.ticket_id).used_at == seeded.ctx.now()
    with pytest.raises(Expired):
        seeded.portal.redeem_link("acme-us", link_token(msg), password + "x", password + "x")


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_auth_delivers_with_verification_on(seeded_sqlite, smtp_server, ca_file, security):
    server = smtp_server(security, auth=True)
    email_id = queue_reset_email(seeded_sqlite)

    report = outbox_via(seeded_sqlite, smtp(server, ca_file)).deliver_due()

    assert report.sent == 1
    assert email_row(seeded_sqlite, email_id).status == "sent"
    assert parse(server.handler.received[0])["Message-ID"] == email_row(seeded_sqlite, email_id).message_id


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_wrong_ca_fails_the_email_with_a_clear_error(seeded_sqlite, smtp_server, other_ca_file, security):
    server = smtp_server(security, auth=True)
    email_id = queue_reset_email(seeded_sqlite)

    report = outbox_via(seeded_sqlite, smtp(server, other_ca_file)).deliver_due()

    assert report.failed == 1
    row = email_row(seeded_sqlite, email_id)
    assert row.status == "failed" and row.attempts == 1 and row.secret is None
    assert "certificate could not be verified" in (row.last_error or "")
    assert "TUICONSOLE_SMTP_CA_FILE" in (row.last_error or "")
    assert server.password and server.password not in (row.last_error or "")
    assert server.handler.received == []


def test_451_then_250_is_sent_on_the_second_attempt(seeded, smtp_server, clock):
    server = smtp_server("plain", mode="tempfail_once")
    outbox = outbox_via(seeded, smtp(server))
    email_id = queue_reset_email(seeded)

    assert outbox.deliver_due().deferred == 1
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.last_error) == ("queued", 1, "451 4.3.0 try again later")
    assert row.secret is not None  # still needed for the next attempt
    assert outbox.deliver_due().touched == 0  # not before the backoff

    clock.advance(seconds=backoff(1).total_seconds())
    assert outbox.deliver_due().sent == 1

    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.last_error, row.secret) == ("sent", 2, None, None)
    assert len(server.handler.received) == 1


def test_550_fails_with_the_reply_and_revokes_the_ticket(seeded, smtp_server):
    server = smtp_server("plain", mode="reject_rcpt")
    email_id = queue_reset_email(seeded)

    report = outbox_via(seeded, smtp(server)).deliver_due()

    assert report.failed == 1
    row = email_row(seeded, email_id)
    assert row.status == "failed" and row.attempts == 1 and row.secret is None
    assert "550 5.1.1 mailbox unavailable" in (row.last_error or "")
    with seeded.ctx.read() as s:
        ticket = s.get(ResetTicket, row.ticket_id)
        assert ticket is not None and ticket.revoked_at is not None
        event = s.query(ActivityEvent).filter_by(action="email_failed", customer_id=row.customer_id).one()
        assert "550 5.1.1" in event.details


def test_server_down_is_retried_after_the_backoff_and_then_sent(seeded, smtp_server, unused_port, clock):
    url = f"smtp://127.0.0.1:{unused_port}?timeout=2"
    outbox = outbox_via(seeded, make_transport("smtp", smtp_url=url))
    email_id = queue_reset_email(seeded)

    assert outbox.deliver_due().deferred == 1
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "connection refused" in (row.last_error or "")

    server = smtp_server("plain", port=unused_port)  # the server is back
    assert outbox.deliver_due().touched == 0  # the backoff still runs
    assert server.handler.received == []
    clock.advance(seconds=backoff(1).total_seconds() + 1)

    assert outbox.deliver_due().sent == 1
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert parse(server.handler.received[0])["Message-ID"] == row.message_id
