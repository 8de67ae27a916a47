"""Two dispatchers, each with its own engine, racing over one PostgreSQL outbox."""

from __future__ import annotations

import threading

from testkit import make_services
from tuiconsole.services.outbox import DeliveryReport
from tuiconsole.services.outbox_queue import queue_email
from tuiconsole.store.models import OutboundEmail

MESSAGES = 200


def queue_notices(svc, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """``count`` password-changed notices (no secret, no customer needed)."""
    params = {
        "first_name": "Zoë",
        "site_name": "acme.com",
        "brand_name": "Acme",
        "changed_at": "2026-11-23T09:00:00+00:00",
        "changed_by_staff": True,
    }
    with svc.ctx.uow() as s:
        rows = [
            queue_email(
                s,
                template="password_changed",
                to=f"user{n}@example.com",
                params=params,
                scope_id=None,
                customer_id=None,
                created_by="test",
                now=svc.ctx.now(),
                from_name="Acme",
                from_address="no-reply@acme.example",
            )  # fmt: skip
            for n in range(count)
        ]
        return [r.message_id for r in rows]


def test_two_dispatchers_send_each_message_exactly_once(pg_url, clock, fast_hasher, counting_transport):
    consoles = [make_services(pg_url, clock, fast_hasher, counting_transport) for _ in range(2)]
    try:
        message_ids = queue_notices(consoles[0], MESSAGES)
        start = threading.Barrier(len(consoles))
        reports: list[DeliveryReport] = []
        errors: list[BaseException] = []

        def dispatch(outbox) -> None:  # type: ignore[no-untyped-def]
            try:
                start.wait(timeout=10)
                reports.append(outbox.deliver_all())
            except BaseException as exc:  # surfaced below: a thread's failure must fail the test
                errors.append(exc)

        threads = [threading.Thread(target=dispatch, args=(svc.outbox,)) for svc in consoles]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors and not any(t.is_alive() for t in threads)

        assert sorted(counting_transport.counts) == sorted(message_ids)
        assert set(counting_transport.counts.values()) == {1}
        assert sum(r.sent for r in reports) == MESSAGES
        with consoles[0].ctx.read() as s:
            statuses = s.query(OutboundEmail.status, OutboundEmail.attempts).distinct().all()
        assert statuses == [("sent", 1)]
    finally:
        for svc in consoles:
            svc.close()
