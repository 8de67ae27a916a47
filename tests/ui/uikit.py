"""Console test helpers: the app on the seeded database, waiting without sleeping.

(Not a conftest.py: a second module named conftest would shadow tests/conftest.py;
the console_app fixture lives in uifixtures.py, loaded with `pytest_plugins`.)
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from testkit import workers_done

MAX_PAUSES = 200


async def settle(pilot: Pilot, until: Callable[[], bool] | None = None) -> None:
    """Let workers finish and messages land; with `until`, wait (boundedly) for it.

    Without `until`: until two rounds in a row start no new worker (a page fetch
    is asked for while drawing, so one round may start another).
    """
    quiet = 0
    for _ in range(MAX_PAUSES):
        await workers_done(pilot.app)
        await pilot.pause()
        if until is not None:
            if until():
                return
            continue
        busy = any(not w.is_finished for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 2:
            return
    raise AssertionError("the console did not reach the expected state")
