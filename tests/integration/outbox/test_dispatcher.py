"""The console's background dispatcher: one pass, its observable state, its loop."""

from __future__ import annotations

import queue
import threading

import pytest
from outboxkit import email_row, outbox_via, queue_reset_email

from tuiconsole.domain.errors import ConfigError
from tuiconsole.services.dispatcher import Dispatcher, DispatcherState
from tuiconsole.services.outbox import DeliveryReport, OutboxService

# The dispatcher adds no SQL of its own (the outbox tests cover both databases): SQLite here.


def test_run_once_delivers_and_records_its_state(seeded_sqlite, memory_transport, clock):
    email_id = queue_reset_email(seeded_sqlite)
    dispatcher = Dispatcher(outbox_via(seeded_sqlite, memory_transport), interval=5.0)
    assert dispatcher.state == DispatcherState(configured=True)

    report = dispatcher.run_once()

    assert report == DeliveryReport(sent=1)
    state = dispatcher.state
    assert (state.runs, state.running, state.last_run_at) == (1, False, clock.now())
    assert (state.last_report, state.last_error, state.queued) == (report, None, 0)
    assert email_row(seeded_sqlite, email_id).status == "sent"


def test_without_a_transport_the_state_shows_mail_waiting(seeded_sqlite):
    queue_reset_email(seeded_sqlite)
    dispatcher = Dispatcher(outbox_via(seeded_sqlite, None))

    assert dispatcher.run_once().touched == 0

    state = dispatcher.state
    assert (state.configured, state.queued, state.last_error) == (False, 1, None)


class BrokenOutbox(OutboxService):
    """Fails the way the database or a bug might, once per listed error."""

    def __init__(self, inner: OutboxService, errors: list[Exception]) -> None:
        super().__init__(inner.ctx, inner.transport)
        self.errors = errors

    def deliver_due(self, *, limit: int = 50) -> DeliveryReport:
        if self.errors:
            raise self.errors.pop(0)
        return super().deliver_due(limit=limit)


def test_a_failed_pass_is_kept_in_the_state_without_its_text_and_cleared_by_a_good_one(seeded_sqlite, memory_transport):
    leaked = "secret-looking-parameter-1234"
    outbox = BrokenOutbox(
        outbox_via(seeded_sqlite, memory_transport),
        [RuntimeError(f"[parameters: ('{leaked}',)]"), ConfigError("TUICONSOLE_SMTP_URL is not valid")],
    )
    dispatcher = Dispatcher(outbox)

    assert dispatcher.run_once() == DeliveryReport()
    assert "RuntimeError" in (dispatcher.state.last_error or "")
    assert leaked not in (dispatcher.state.last_error or "")
    dispatcher.run_once()
    assert dispatcher.state.last_error == "TUICONSOLE_SMTP_URL is not valid"
    dispatcher.run_once()
    assert dispatcher.state.last_error is None and dispatcher.state.runs == 3


def test_run_forever_passes_until_stopped_and_a_poke_runs_one_at_once(seeded_sqlite, memory_transport):
    states: queue.Queue[DispatcherState] = queue.Queue()
    # An hour between passes: only poke() and stop() can make anything happen in time.
    dispatcher = Dispatcher(outbox_via(seeded_sqlite, memory_transport), interval=3600, on_state=states.put)
    stop = threading.Event()
    worker = threading.Thread(target=dispatcher.run_forever, args=(stop,), daemon=True)
    worker.start()
    try:
        first = states.get(timeout=10)
        assert (first.runs, first.last_report) == (1, DeliveryReport())

        email_id = queue_reset_email(seeded_sqlite)
        dispatcher.poke()
        second = states.get(timeout=10)
        assert (second.runs, second.last_report, second.queued) == (2, DeliveryReport(sent=1), 0)
        assert email_row(seeded_sqlite, email_id).status == "sent"
    finally:
        dispatcher.stop()
        worker.join(timeout=10)
    assert stop.is_set() and not worker.is_alive()


def test_interval_must_be_positive():
    with pytest.raises(ValueError, match="interval"):
        Dispatcher(OutboxService(None, None), interval=0)  # type: ignore[arg-type]
