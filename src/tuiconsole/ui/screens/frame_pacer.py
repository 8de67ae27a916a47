"""The main screen's update timer: an update lands at most one frame after the last.

Textual (8.2) runs a screen's updates on an interval timer that is paused between
updates. On resume it ticks on a fixed grid and, once an update has run late, skips
to the grid point after next: the update that follows a resumed one waits 17–33 ms
at 60 frames a second, whatever the screen had to draw. A keystroke always makes two
updates (the typed character, then the list), so the list waited for that gap.

This timer keeps the same frame rate without the grid: resumed, it ticks at once
when the last tick is at least one interval old, else as soon as the interval is over.
It relies on Textual's Timer internals (`_run`, `_active`, `_tick`); textual is
pinned, and tests/ui/test_frame_pacer.py checks the screen still uses it.
"""

from __future__ import annotations

import asyncio
import math
import time

from textual.timer import EventTargetGone, Timer


class FramePacer(Timer):
    async def _run(self) -> None:
        last = -math.inf
        while True:
            await self._active.wait()
            wait = last + self._interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
                continue  # paused meanwhile? then wait to be resumed again
            last = time.monotonic()
            try:
                await self._tick(next_timer=last, count=0)
            except EventTargetGone:
                return
