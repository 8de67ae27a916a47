"""The main screen's update timer: no fixed frame grid, the same frame rate on average.

Textual (8.2) runs a screen's updates on an interval timer that is paused between
updates. On resume it ticks on a fixed grid and, once an update has run late, skips
to the grid point after next: the update that follows a resumed one waits 17–33 ms
at 60 frames a second, whatever the screen had to draw. A keystroke always makes two
updates (the typed character, then the list), so the list waited for that gap.

This timer keeps the same frame rate on average without the grid: a token bucket
of BURST updates, refilled at one per interval. After a pause two updates may follow
each other at once (the typed character, then its list); a steady stream still gets
one update per interval. It relies on Textual's Timer internals (`_run`, `_active`,
`_tick`); textual is pinned, and tests/ui/test_ui_responsiveness.py checks the main
screen still uses it.
"""

from __future__ import annotations

import asyncio
import time

from textual.timer import EventTargetGone, Timer

BURST = 2.0


class FramePacer(Timer):
    async def _run(self) -> None:
        tokens, refilled = BURST, time.monotonic()
        while True:
            await self._active.wait()
            now = time.monotonic()
            tokens = min(BURST, tokens + (now - refilled) / self._interval)
            refilled = now
            if tokens < 1:
                await asyncio.sleep((1 - tokens) * self._interval)
                continue  # paused meanwhile? then wait to be resumed again
            tokens -= 1
            try:
                await self._tick(next_timer=now, count=0)
            except EventTargetGone:
                return
