"""deliver_due: no transport, leases, bounded retries, expiry, the .eml, no secret left behind."""

from __future__ import annotations

from datetime import timedelta

from outboxkit import dump_database, email_row, link_token, outbox_via, parse, queue_reset_email

from tuiconsole.services.email import FileTransport
from tuiconsole.services.outbox import EXPIRED_ERROR, LEASE_SECONDS, MAX_ATTEMPTS, backoff


def test_without_a_transport_mail_stays_queued(seeded):
    email_id = queue_reset_email(seeded)
    outbox = outbox_via(seeded, None)

    report = outbox.deliver_due()

    assert not outbox.configured
    assert report.touched == 0
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.lease_until) == ("queued", 0, None)
    assert row.secret is not None  # kept for when mail is configured (until expiry)


def test_a_dispatcher_killed_after_its_claim_leaves_the_message_to_the_next(seeded, memory_transport, clock):
    email_id = queue_reset_email(seeded)
    outbox = outbox_via(seeded, memory_transport)
    message_id = email_row(seeded, email_id).message_id

    assert outbox._claim(email_id)  # ... and the process dies before sending
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts) == ("sending", 1)

    assert outbox.deliver_due().touched == 0  # nobody else takes it while the lease runs
    clock.advance(seconds=LEASE_SECONDS + 1)
    assert outbox.deliver_due().sent == 1

    [msg] = memory_transport.sent
    assert msg["Message-ID"] == message_id
    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.lease_until, row.secret) == ("sent", 2, None, None)


def test_transient_failures_give_up_after_max_attempts(seeded, memory_transport, clock):
    email_id = queue_reset_email(seeded)
    outbox = outbox_via(seeded, memory_transport)
    memory_transport.fail_next("transient", "421 4.7.0 too busy", times=MAX_ATTEMPTS)

    for attempt in range(1, MAX_ATTEMPTS):
        assert outbox.deliver_due().deferred == 1
        row = email_row(seeded, email_id)
        assert (row.status, row.attempts, row.last_error) == ("queued", attempt, "421 4.7.0 too busy")
        assert row.next_attempt_at == clock.now() + backoff(attempt)
        clock.advance(seconds=backoff(attempt).total_seconds())
    assert outbox.deliver_due().failed == 1

    row = email_row(seeded, email_id)
    assert (row.status, row.attempts, row.secret) == ("failed", MAX_ATTEMPTS, None)
    assert row.last_error == f"gave up after {MAX_ATTEMPTS} attempts: 421 4.7.0 too busy"
    clock.advance(days=1)
    assert outbox.deliver_due().touched == 0
    assert memory_transport.sent == []


def test_backoff_doubles_up_to_its_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert backoff(50) == timedelta(minutes=15)


def test_expired_unsent_reset_emails_fail_and_lose_their_secret(seeded, memory_transport, clock):
    email_id = queue_reset_email(seeded)  # acme-us: the link is valid 60 minutes
    clock.advance(minutes=59)
    assert seeded.outbox.scrub_expired() == 0
    assert email_row(seeded, email_id).secret is not None
    clock.advance(minutes=2)

    # Even with no transport configured the secret leaves the database.
    assert outbox_via(seeded, None).deliver_due().expired == 1

    row = email_row(seeded, email_id)
    assert (row.status, row.secret, row.last_error) == ("failed", None, EXPIRED_ERROR)
    assert outbox_via(seeded, memory_transport).deliver_due().touched == 0
    assert memory_transport.sent == []


def test_no_token_or_temporary_password_is_left_after_delivery(seeded, memory_transport):
    ids = [
        queue_reset_email(seeded, "acme-us", "jdoe"),  # a reset link
        queue_reset_email(seeded, "globex-us", "olga.petrova"),  # an emailed temporary password
    ]
    secrets = [email_row(seeded, i).secret for i in ids]
    assert all(secrets)
    before = dump_database(seeded)
    assert all(secret in before for secret in secrets)  # the canary can see them

    assert outbox_via(seeded, memory_transport).deliver_due().sent == 2

    after = dump_database(seeded)
    # Decoded bodies: the wire form may quote-print or wrap a secret.
    sent_text = [part.get_content() for m in memory_transport.sent for part in m.walk() if not part.is_multipart()]
    for secret in secrets:
        assert secret not in after
        assert any(secret in text for text in sent_text)


def test_the_file_transport_writes_an_eml_with_both_parts(seeded_sqlite, tmp_path):
    email_id = queue_reset_email(seeded_sqlite)
    folder = tmp_path / "mail"

    assert outbox_via(seeded_sqlite, FileTransport(folder)).deliver_due().sent == 1

    [path] = folder.glob("*.eml")
    msg = parse(path.read_bytes())
    assert msg["Message-ID"] == email_row(seeded_sqlite, email_id).message_id
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    token = link_token(msg)
    assert token in plain.get_content() and token in html.get_content()
    assert email_row(seeded_sqlite, email_id).status == "sent"
