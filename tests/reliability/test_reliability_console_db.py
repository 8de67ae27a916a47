"""The console when the database goes away mid-session (SPEC §9): a clear message, no
traceback, and it works again as soon as the database is back (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from reliability.faultkit import database_away
from reliability.figures import report
from testkit import make_services, seed, workers_done
from tuiconsole.domain.errors import DatabaseUnavailable
from tuiconsole.ui.app import make_app
from tuiconsole.ui.screens.main import MainScreen


async def settle(pilot: Pilot, until: Callable[[], bool]) -> None:
    """Let the thread workers finish and their messages land, until ``until`` holds."""
    for _ in range(200):
        await workers_done(pilot.app)
        await pilot.pause()
        if until():
            return
    raise AssertionError("the console did not reach the expected state")


@pytest.mark.postgres
async def test_console_shows_a_clear_message_while_the_database_is_away_and_recovers(pg_url, fast_hasher, clock):
    svc = make_services(pg_url, clock, fast_hasher, demo=True)
    try:
        seed(svc)
        app = make_app(svc, actor=svc.auth.demo_login("casey.csr").actor, clock=clock, animations=False)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))
            screen = app.screen
            assert isinstance(screen, MainScreen)
            count = screen.query_one("#count", Static)
            await settle(pilot, lambda: not screen.customer_list.searching)

            with database_away(pg_url):
                await pilot.press("slash", *"jdoe")
                await settle(pilot, lambda: not screen.customer_list.searching)
                shown = str(count.render())
                assert shown == DatabaseUnavailable.default_message
            assert app.is_running  # no traceback, no exit

            await pilot.press("backspace", "e")  # the same filter again, database back
            await settle(pilot, lambda: not screen.customer_list.searching and str(count.render()) != shown)
            assert str(count.render()) == "1 customer"
        report("fault db console", [f"console, database away mid-session: count line shows {shown!r}; "
                                    "after it is back the same filter finds 1 customer"])
    finally:
        svc.close()
