"""Driving the real console (ConsoleApp through Pilot) for the UI benchmark rows.

Every figure is taken from a key press (or the widget action a key runs) until the
widget shows the result: the list's first page for that query generation, the row
under the cursor fetched, the details panel filled. Waiting is by `pilot.pause()`
rounds, never by sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widget import Widget

from tuiconsole.config import Settings
from tuiconsole.services.container import Services, build_services
from tuiconsole.ui.app import ConsoleApp, make_app
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.customer_list import CustomerList
from tuiconsole.ui.widgets.field import Field

TRAINER = "tara.trainer"
SIZE = (160, 50)
WAIT_SECONDS = 30.0
# Pilot key names of the characters the benchmark queries type.
KEY_NAMES = {" ": "space", "+": "plus", "'": "apostrophe", "-": "minus", ".": "full_stop", "@": "at"}


def console(url: str) -> tuple[Services, ConsoleApp]:
    """The console on `url`, signed in as the demo trainer (the demo's own sign-in)."""
    services = build_services(Settings(database_url=url))
    actor = services.auth.demo_login(TRAINER).actor
    return services, make_app(services, actor=actor, animations=False)


async def wait_for(pilot: Pilot, ready: Callable[[], bool]) -> None:
    deadline = time.perf_counter() + WAIT_SECONDS
    while not ready():
        if time.perf_counter() > deadline:
            raise AssertionError(f"the console did not get there in time ({ready.__qualname__})")
        await pilot.pause()


class Repaints:
    """Wakes a waiting test each time the widget's `method` ran (it runs after a repaint,
    via call_after_refresh). Install it BEFORE the action: the widget binds the method
    when it schedules the call. Waiting on an event leaves the event loop alone, where
    a loop of `pilot.pause()` would force a layout refresh every round and slow down
    what is measured."""

    def __init__(self, widget: Widget, method: str) -> None:
        self.widget, self.method = widget, method
        self.event = asyncio.Event()
        original = getattr(widget, method)

        def wrapper(*args: object) -> None:
            original(*args)
            self.event.set()

        setattr(widget, method, wrapper)

    async def until(self, ready: Callable[[], bool]) -> None:
        try:
            while not ready():
                self.event.clear()
                await asyncio.wait_for(self.event.wait(), WAIT_SECONDS)
        finally:
            delattr(self.widget, self.method)  # back to the class's method


async def main_shown(pilot: Pilot) -> MainScreen:
    """The main screen, mounted, with its first page of customers shown."""
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        if not isinstance(screen, MainScreen) or not screen.query(CustomerList):
            return False
        return screen.customer_list.shown_generation > 0

    await wait_for(pilot, ready)
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def main_on_site(pilot: Pilot, site_code: str) -> MainScreen:
    """The main screen with the site selected and its first page shown."""
    app = pilot.app
    screen = await main_shown(pilot)
    clist = screen.customer_list
    node = app.services.scopes.by_code(app.actor, site_code)  # type: ignore[attr-defined]
    if screen.scope is None or screen.scope.id != node.id:
        gen = clist.generation
        screen.set_scope(node)
        await wait_for(pilot, lambda: clist.shown_generation > gen)
    return screen


async def set_filter(pilot: Pilot, screen: MainScreen, text: str) -> None:
    """Put `text` in the filter (not timed) and wait for its list."""
    field = screen.query_one("#filter", Field)
    clist = screen.customer_list
    if field.value != text:
        gen = clist.generation
        paints = Repaints(clist, "_painted")
        field.value = text
        await paints.until(lambda: clist.generation > gen and clist.shown_generation == clist.generation)
    if not field.has_focus:
        field.focus()
        await pilot.pause()  # the focus selects all the text (select_on_focus) ...
    field.cursor_position = len(text)  # ... the CSR types at the end instead


async def keystroke_ms(pilot: Pilot, screen: MainScreen, query: str) -> float:
    """Type the query's last character: ms until the list was repainted with that
    query's first page (the widget stamps the repaint, so polling adds nothing)."""
    await set_filter(pilot, screen, query[:-1])
    clist = screen.customer_list
    gen = clist.generation
    paints = Repaints(clist, "_painted")
    start = time.perf_counter()
    await pilot.press(KEY_NAMES.get(query[-1], query[-1]))
    await paints.until(lambda: clist.shown_generation > gen and clist.shown_generation == clist.generation)
    assert clist.query_ is not None and clist.query_.text == query, clist.query_
    return (clist.shown_at - start) * 1000


async def move_ms(pilot: Pilot, screen: MainScreen, move: str) -> float:
    """A cursor move on the list (a key, or "middle"): ms until the row under the
    cursor was drawn."""
    clist = screen.customer_list
    if not clist.has_focus:
        clist.focus()
        await pilot.pause()
    before = clist.cursor
    paints = Repaints(clist, "_painted")
    start = time.perf_counter()
    if move == "middle":
        clist.cursor = clist.total // 2  # what dragging the scrollbar to the middle does
    else:
        await pilot.press(move)
    if clist.cursor == before or not clist.total:
        await paints.until(lambda: True)
        return (time.perf_counter() - start) * 1000  # nothing moved (already there): nothing to draw
    await paints.until(lambda: clist.cursor_shown[0] == clist.cursor and clist.cursor_shown[1] >= start)
    return (clist.cursor_shown[1] - start) * 1000


async def open_ms(pilot: Pilot, screen: MainScreen) -> float:
    """Enter on the list: ms until the details panel was repainted with that customer."""
    clist = screen.customer_list
    await move_ms(pilot, screen, "down")
    row = clist.current
    assert row is not None
    panel = screen.details
    filled = asyncio.Event()
    done: list[float] = []
    show = panel.show

    def stamped(bundle):  # type: ignore[no-untyped-def]
        show(bundle)

        def after() -> None:
            done.append(time.perf_counter())
            filled.set()

        panel.call_after_refresh(after)

    panel.show = stamped  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        await pilot.press("enter")
        await asyncio.wait_for(filled.wait(), WAIT_SECONDS)
    finally:
        del panel.show  # back to the class's method
    assert panel.details is not None and panel.details.id == row.id
    return (done[0] - start) * 1000
