"""Faults (SPEC §5, §9): SMTP down, slow, 4xx, 5xx, dropped mid-DATA; the database away at
start and mid-session; the mail folder not writable. Each: a clear message, no traceback,
nothing lost, and recovery when the fault is gone."""

from __future__ import annotations

import os
from email import message_from_bytes
from email.policy import default as email_policy

import pytest

from reliability.faultkit import database_away
from reliability.figures import report
from testkit import actor, customer_id, make_services, seed
from tuiconsole.config import Settings
from tuiconsole.domain.errors import ConfigError, DatabaseUnavailable, Expired
from tuiconsole.services.container import build_services
from tuiconsole.services.dispatcher import Dispatcher
from tuiconsole.services.email.transports import FileTransport, SmtpTransport, parse_smtp_url
from tuiconsole.services.outbox import OutboxService
from tuiconsole.store.models import OutboundEmail, ResetTicket

STRONG = "Tq7!rainy-Harbour-42"


def queue_reset(svc):  # type: ignore[no-untyped-def]
    result = svc.resets.send_reset_email(actor(svc, "ada.admin"), customer_id(svc, "acme-us", "jdoe"))
    with svc.ctx.read() as s:
        row = s.get(OutboundEmail, result.email_id)
        return row.id, row.secret, row.message_id


def row_of(svc, email_id):  # type: ignore[no-untyped-def]
    with svc.ctx.read() as s:
        row = s.get(OutboundEmail, email_id)
        s.expunge(row)
        return row


def message_ids(received: list[bytes]) -> list[str]:
    return [str(message_from_bytes(raw, policy=email_policy)["Message-ID"]) for raw in received]


# fault -> (server mode, outbox status after the first pass, the reply a CSR reads)
SMTP_FAULTS = {
    "down": (None, "queued", "connection refused"),
    "slow": ("slow", "queued", "timed out after 1 s"),
    "4xx": ("tempfail_once", "queued", "451 4.3.0 try again later"),
    "5xx": ("reject_rcpt", "failed", "550 5.1.1 mailbox unavailable"),
    "dropped mid-DATA": ("drop", "queued", "closed the connection unexpectedly"),
}


@pytest.mark.parametrize("fault", list(SMTP_FAULTS))
def test_smtp_fault_keeps_the_email_says_why_and_recovers(fault, seeded_sqlite, smtp_server, unused_port, clock):
    svc = seeded_sqlite
    mode, status, reply = SMTP_FAULTS[fault]
    server = smtp_server(mode=mode) if mode else None
    port = server.port if server else unused_port
    outbox = OutboxService(svc.ctx, SmtpTransport(parse_smtp_url(f"smtp://127.0.0.1:{port}?timeout=1")))
    email_id, secret, message_id = queue_reset(svc)

    dispatcher = Dispatcher(outbox)  # the console's dispatcher: a failed send is no failed pass
    dispatcher.run_once()
    first = row_of(svc, email_id)
    assert dispatcher.state.last_error is None
    assert first.status == status
    assert reply in (first.last_error or "")
    assert secret not in (first.last_error or "")

    # The fault goes away; the next pass after the backoff delivers (a 5xx needs the CSR's Retry).
    if server is None:
        server = smtp_server(port=unused_port)
    server.handler.mode = "accept"
    clock.advance(minutes=5)
    if status == "failed":
        with svc.ctx.read() as s:
            assert s.get(ResetTicket, first.ticket_id).revoked_at is not None  # the lost email's link is dead
        retried = outbox.retry(actor(svc, "ada.admin"), email_id)
        email_id = retried.email_id
        message_id = row_of(svc, email_id).message_id
    outbox.deliver_all()
    final = row_of(svc, email_id)
    assert final.status == "sent" and final.secret is None
    ids = message_ids(server.handler.received)
    # At least once; a second copy only when the slow server took the first after our timeout.
    assert ids and set(ids) == {message_id}
    assert len(ids) == 1 or fault == "slow"
    report(f"fault smtp {fault}", [f"smtp {fault}: first pass -> {first.status}: {first.last_error}; "
                                   f"after recovery sent, copies {len(ids)}"])


def test_mail_folder_not_writable_fails_clearly_and_retry_delivers(seeded_sqlite, tmp_path):
    svc = seeded_sqlite
    blocker = tmp_path / "mail"
    blocker.write_text("a file where the mail folder should be")
    outbox = OutboxService(svc.ctx, FileTransport(blocker / "inbox"))
    email_id, secret, _ = queue_reset(svc)

    assert outbox.deliver_due().failed == 1
    failed = row_of(svc, email_id)
    assert failed.status == "failed"
    assert "could not create the mail folder" in failed.last_error and "Not a directory" in failed.last_error
    assert secret not in failed.last_error and failed.secret is None
    with pytest.raises(Expired):  # the undelivered link was revoked with the email
        svc.portal.redeem_link("acme-us", secret, STRONG, STRONG)

    blocker.unlink()
    retried = outbox.retry(actor(svc, "ada.admin"), email_id)
    assert outbox.deliver_due().sent == 1
    assert row_of(svc, retried.email_id).status == "sent"
    assert len(list((blocker / "inbox").glob("*.eml"))) == 1
    report("fault mail folder", [f"mail folder not writable: {failed.last_error}"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permission bits")
def test_mail_folder_without_write_permission_fails_clearly(seeded_sqlite, tmp_path):
    svc = seeded_sqlite
    folder = tmp_path / "mail"
    folder.mkdir(mode=0o500)
    outbox = OutboxService(svc.ctx, FileTransport(folder))
    email_id, _, _ = queue_reset(svc)
    assert outbox.deliver_due().failed == 1
    assert "Permission denied" in row_of(svc, email_id).last_error


def test_database_unreachable_at_start_is_one_clear_line(unused_port, capsys):
    from tuiconsole.ui.run import run_console

    password = "pw-" + os.urandom(6).hex()
    url = f"postgresql://clerk:{password}@127.0.0.1:{unused_port}/tuiconsole"
    with pytest.raises(ConfigError) as caught:
        build_services(Settings(database_url=url))
    assert caught.value.message.startswith("Cannot open the database postgresql+psycopg://clerk:***@127.0.0.1")
    with pytest.raises(SystemExit) as exited:
        run_console(Settings(database_url=url))
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("tuiconsole: Cannot open the database") and "Traceback" not in err
    assert password not in err + caught.value.message
    report("fault db at start", [f"database unreachable at start: exit 2, {err.strip()}"])


@pytest.mark.postgres
def test_database_lost_mid_session_is_a_clear_error_then_work_resumes(pg_url, fast_hasher, clock):
    svc = make_services(pg_url, clock, fast_hasher)
    try:
        seed(svc)
        casey = actor(svc, "casey.csr")
        jdoe = customer_id(svc, "acme-us", "jdoe")
        dispatcher = Dispatcher(OutboxService(svc.ctx, None))
        with database_away(pg_url):
            with pytest.raises(DatabaseUnavailable) as read_error:
                svc.customers.get(casey, jdoe)
            with pytest.raises(DatabaseUnavailable):
                svc.resets.send_reset_email(casey, jdoe)
            with pytest.raises(DatabaseUnavailable):
                svc.portal.login("acme-us", "jdoe", "not-the-password")
            dispatcher.run_once()
            assert dispatcher.state.last_error == DatabaseUnavailable.default_message
        # Back: the same Services (same pool) works again, and nothing was half-written.
        assert svc.customers.get(casey, jdoe).pending_ticket is None
        assert svc.resets.send_reset_email(casey, jdoe).email_status == "queued"
        dispatcher.run_once()
        assert dispatcher.state.last_error is None
        report("fault db mid-session", [f"database lost mid-session: {read_error.value.message}"])
    finally:
        svc.close()
