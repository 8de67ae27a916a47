"""An in-memory transport for tests: keeps what it was given, fails on request."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Literal

from tuiconsole.services.email.errors import PermanentSendError, SendError, TransientSendError
from tuiconsole.services.email.transports.base import send_each

FailureKind = Literal["transient", "permanent"]


def _recipients(msg: EmailMessage) -> set[str]:
    addresses = getattr(msg["To"], "addresses", ())
    return {a.addr_spec.lower() for a in addresses}


class MemoryTransport:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self._failures: deque[SendError] = deque()
        # Dispatchers run in worker threads; tests read .sent from the main one.
        self._lock = threading.Lock()

    def fail_next(self, kind: FailureKind, reply: str, times: int = 1) -> None:
        """The next ``times`` sends raise this error instead of keeping the message."""
        error_type = {"transient": TransientSendError, "permanent": PermanentSendError}[kind]
        with self._lock:
            self._failures.extend(error_type(reply) for _ in range(times))

    def send(self, msg: EmailMessage) -> None:
        with self._lock:
            if self._failures:
                raise self._failures.popleft()
            self.sent.append(msg)

    def send_many(self, msgs: Iterable[EmailMessage]) -> list[SendError | None]:
        return send_each(self, msgs)

    def to(self, address: str) -> list[EmailMessage]:
        """Messages sent to ``address`` (case-insensitive), oldest first."""
        wanted = address.strip().lower()
        with self._lock:
            return [m for m in self.sent if wanted in _recipients(m)]

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()
            self._failures.clear()
