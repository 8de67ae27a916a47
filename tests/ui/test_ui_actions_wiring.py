"""The console's wiring: the background dispatcher delivers a reset at once, the demo inbox shows.

This app runs its dispatcher (make_app(dispatcher=True)), a worker that never ends
by itself, so the waits here leave the "dispatcher" group out.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from test_ui_actions_kit import box_text
from textual.pilot import Pilot

from testkit import actor, customer_id, workers_done
from tuiconsole.services.dispatcher import DispatcherState
from tuiconsole.ui.app import make_app
from tuiconsole.ui.dialogs.confirm_reset import ConfirmReset
from tuiconsole.ui.dialogs.set_password import SetCustomerPassword
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.nav_panel import NavPanel

MAX_ROUNDS = 200


async def settle_beside_dispatcher(pilot: Pilot, until: Callable[[], bool]) -> None:
    for _ in range(MAX_ROUNDS):
        others = [w for w in pilot.app.workers if w.group != "dispatcher"]
        if others:  # (an empty list would mean "every worker")
            await workers_done(pilot.app, others)
        await pilot.pause()
        if until():
            return
    raise AssertionError("the console did not reach the expected state")


async def test_the_dispatcher_sends_the_reset_at_once_and_stops_with_the_app(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    trainer = actor(seeded_sqlite, "tara.trainer")
    cid = customer_id(seeded_sqlite, "acme-us", "jdoe")
    app = make_app(seeded_sqlite, actor=trainer, clock=clock, animations=False, dispatcher=True)
    passes = threading.Event()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle_beside_dispatcher(pilot, lambda: isinstance(app.screen, MainScreen))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert "demo_inbox" in [e.id for e in screen.query_one(NavPanel).entries]  # trainer, demo database
        dispatcher = app.dispatcher
        assert dispatcher is not None
        listener = dispatcher.on_state
        assert listener is not None

        def ran(state: DispatcherState) -> None:
            listener(state)
            passes.set()

        dispatcher.on_state = ran

        screen.open_customer(cid)
        await settle_beside_dispatcher(pilot, lambda: screen.details.details is not None)
        await pilot.press("e", "2", "r")
        await settle_beside_dispatcher(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        await pilot.press("ctrl+s")
        await settle_beside_dispatcher(pilot, lambda: isinstance(app.screen, ConfirmReset))
        passes.clear()
        await pilot.press("y")  # the reset pokes the dispatcher: no waiting for its interval
        await settle_beside_dispatcher(pilot, lambda: screen.details.last_action is not None)
        for _ in range(5):
            if "Email: sent" in box_text(screen):
                break
            assert await asyncio.to_thread(passes.wait, 10), "the dispatcher made no pass"
            passes.clear()
            await settle_beside_dispatcher(pilot, lambda: True)
        assert "Email: sent" in box_text(screen)
        assert dispatcher.state.runs >= 1 and dispatcher.state.last_error is None
        worker = next(w for w in app.workers if w.group == "dispatcher")
    # The app closed: its dispatcher stopped with it (else the run would hang here).
    assert worker.is_finished or worker.is_cancelled
    emails = seeded_sqlite.outbox.list(trainer, customer_id=cid)
    assert emails[0].template == "reset_link" and emails[0].status == "sent"
