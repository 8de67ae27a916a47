"""The background dispatcher: delivers the outbox every few seconds (SPEC §5).

The console runs one in a thread worker (`run_forever`); `tuiconsole outbox
deliver` calls the outbox service directly. Several dispatchers, in several
consoles, may run at once: the outbox's atomic claim keeps each message to one.
The outbox screen reads `state`, a snapshot that is safe to take from any thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.outbox import DeliveryReport, OutboxService

log = logging.getLogger("tuiconsole.dispatcher")


@dataclass(frozen=True)
class DispatcherState:
    configured: bool  # a transport is set; without one mail stays queued
    running: bool = False  # a pass is under way
    runs: int = 0  # passes finished, with or without an error
    last_run_at: datetime | None = None
    last_report: DeliveryReport | None = None
    last_error: str | None = None  # the last pass's failure, cleared by a good pass
    queued: int | None = None  # queued or sending after the last pass (None: unknown)


def describe_failure(exc: BaseException) -> str:
    """A line for the outbox screen. Our errors carry safe messages; others only a type.

    A database driver's message may quote statement parameters, so it is not shown.
    """
    if isinstance(exc, TuiconsoleError):
        return exc.message
    return f"the dispatcher could not run ({type(exc).__name__}); see the application log"


class Dispatcher:
    """``run_once`` is one pass; ``run_forever`` repeats it every ``interval`` seconds."""

    def __init__(
        self,
        outbox: OutboxService,
        interval: float = 5.0,
        *,
        on_state: Callable[[DispatcherState], None] | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be above 0 seconds")
        self.outbox = outbox
        self.interval = interval
        # Called after every pass, from the dispatcher's thread (the console posts a message).
        self.on_state = on_state
        self._state = DispatcherState(configured=outbox.configured)
        self._state_lock = threading.Lock()
        self._run_lock = threading.Lock()  # one pass at a time, whoever asks
        self._wake = threading.Event()
        self._stop: threading.Event | None = None

    @property
    def state(self) -> DispatcherState:
        with self._state_lock:
            return self._state

    def _update(self, **changes: object) -> DispatcherState:
        with self._state_lock:
            self._state = replace(self._state, **changes)  # type: ignore[arg-type]
            return self._state

    def run_once(self) -> DeliveryReport:
        """Deliver what is due now; never raises (the failure is kept in ``state``)."""
        with self._run_lock:
            self._update(running=True)
            report = DeliveryReport()
            error: str | None = None
            try:
                report = self.outbox.deliver_due()
            except Exception as exc:  # noqa: BLE001 - a bad pass must not end the loop
                error = describe_failure(exc)
                log.error("dispatcher pass failed: %s", type(exc).__name__)
            queued = self._queued()
            state = self._update(
                running=False,
                runs=self.state.runs + 1,
                last_run_at=self.outbox.ctx.now(),
                last_report=report,
                last_error=error,
                queued=queued if queued is not None else self.state.queued,
            )
        if self.on_state is not None:
            try:
                self.on_state(state)
            except Exception:  # noqa: BLE001 - a listener's bug must not stop delivery
                log.exception("dispatcher state listener failed")
        return report

    def _queued(self) -> int | None:
        try:
            return self.outbox.pending_count()
        except Exception as exc:  # noqa: BLE001 - the database may be away; keep the last count
            log.error("dispatcher could not count the outbox: %s", type(exc).__name__)
            return None

    def poke(self) -> None:
        """Run the next pass now rather than at the end of the interval (e.g. after a reset)."""
        self._wake.set()

    def stop(self) -> None:
        """End ``run_forever`` promptly: sets its stop event and wakes it."""
        if self._stop is not None:
            self._stop.set()
        self._wake.set()

    def run_forever(self, stop_event: threading.Event) -> None:
        """Passes until ``stop_event`` is set; for a thread worker.

        Setting ``stop_event`` alone ends the loop within one interval; ``stop()``
        (or ``poke()`` after setting it) ends it at once.
        """
        self._stop = stop_event
        while not stop_event.is_set():
            self.run_once()
            if stop_event.is_set():
                break
            self._wake.wait(self.interval)
            self._wake.clear()
