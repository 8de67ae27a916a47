"""The console's idle lock (SPEC §10.8), driven by an injectable clock.

The app touches the timer on every key press or click and asks `is_idle()` from a
periodic check; a test moves a FixedClock forward and calls the check itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tuiconsole.domain.clock import Clock


class IdleTimer:
    def __init__(self, clock: Clock, minutes: int) -> None:
        self.clock = clock
        self.limit = timedelta(minutes=minutes)
        self.last_activity: datetime = clock.now()

    @property
    def enabled(self) -> bool:
        return self.limit > timedelta(0)

    def touch(self) -> None:
        self.last_activity = self.clock.now()

    def is_idle(self) -> bool:
        return self.enabled and self.clock.now() - self.last_activity >= self.limit
