"""What keeps the console quick: "Searching…" only for a slow answer, a cursor move
repainted when its rows are here, the details panel filled in place, the screen's
updates paced without waiting for a fixed frame grid."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Callable
from typing import Any

from dbkit import bulk_insert_customers
from test_ui_flow import open_main, pick_scope_and_open
from textual.app import App
from textual.widgets import OptionList
from uikit import settle

from tuiconsole.ui.screens import main as main_module
from tuiconsole.ui.screens.frame_pacer import FramePacer
from tuiconsole.ui.widgets import customer_list as list_module
from tuiconsole.ui.widgets.activity_view import activity_options
from tuiconsole.ui.widgets.details_panel import load_bundle

pytest_plugins = ("uifixtures",)  # the console_app fixture
WAIT = 10.0  # seconds: a bound for waits on events, never a pause


class Gate:
    """Holds the service's search calls in their worker thread while closed."""

    def __init__(self, services: Any) -> None:
        self.open = threading.Event()
        self.open.set()
        search = services.customers.search

        def gated(*args: Any, **kwargs: Any) -> Any:
            self.open.wait(WAIT)
            return search(*args, **kwargs)

        services.customers.search = gated


def on_call(obj: Any, method: str) -> asyncio.Event:
    """An event set when the instance's `method` runs (wrap before it is scheduled)."""
    event = asyncio.Event()
    original: Callable[..., Any] = getattr(obj, method)

    def wrapper(*args: Any) -> Any:
        result = original(*args)
        event.set()
        return result

    setattr(obj, method, wrapper)
    return event


def count_of(screen: Any) -> str:
    return str(screen.query_one("#count").render().plain)


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_searching_shows_when_the_answer_is_slow(console_app, seeded_sqlite, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(main_module, "SEARCHING_DELAY", 1.0)  # well after the key presses are processed
    gate = Gate(seeded_sqlite)
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        clist = screen.customer_list
        before = count_of(screen)
        shown = on_call(screen, "_show_searching")
        gate.open.clear()
        await pilot.press("slash", "j")
        assert clist.searching
        assert count_of(screen) == before  # not at once: a quick answer would make it flicker
        await asyncio.wait_for(shown.wait(), WAIT)
        await pilot.pause()
        assert count_of(screen) == "Searching…"
        gate.open.set()
        await settle(pilot, lambda: not clist.searching)
        await pilot.pause()
        assert count_of(screen).endswith(("customer", "customers"))


async def test_a_resize_during_a_search_still_shows_its_answer(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    gate = Gate(seeded_sqlite)
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        clist = screen.customer_list
        page_size = clist.page_size
        gate.open.clear()
        await pilot.press("slash", "j")
        assert clist.searching
        await pilot.resize_terminal(160, 40)  # the list's pages shrink: its rows are read again
        await settle(pilot, lambda: clist.page_size != page_size)
        gate.open.set()
        await settle(pilot, lambda: not clist.searching)
        assert clist.query_ is not None and clist.query_.text == "j"
        assert clist.current is not None
        assert len(clist._pages[0]) <= clist.page_size


async def test_searching_not_shown_when_the_answer_is_quick(console_app, seeded_sqlite, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(main_module, "SEARCHING_DELAY", WAIT)  # any answer is "quick" here
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        clist = screen.customer_list
        counts: list[str] = []
        set_count = screen._set_count
        screen._set_count = lambda text: (counts.append(text), set_count(text))  # type: ignore[method-assign]
        await pilot.press("slash", "j", "o")
        await settle(pilot, lambda: clist.query_ is not None and clist.query_.text == "jo" and not clist.searching)
        await pilot.pause()
        assert counts and "Searching…" not in counts
        assert screen._searching_timer is None  # stopped by the answer
        assert count_of(screen).endswith(("customer", "customers"))


async def test_a_move_repaints_when_its_rows_come(console_app, seeded_sqlite, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(list_module, "PLACEHOLDER_DELAY", 1.0)  # well after the key press is processed
    bulk_insert_customers(seeded_sqlite, "globex-de", 400)
    gate = Gate(seeded_sqlite)
    app = console_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_main(pilot)
        clist = screen.customer_list
        clist.focus()
        await settle(pilot)
        assert clist.total > 3 * clist.rows_height

        gate.open.clear()
        placeholders = on_call(clist, "_show_view")
        await pilot.press("end")
        assert clist.cursor == clist.total - 1
        assert clist.scroll_offset.y == 0  # the view waits for the rows ...
        await asyncio.wait_for(placeholders.wait(), WAIT)  # ... until the placeholder delay
        assert clist.scroll_offset.y > 0
        assert clist.current is None
        await pilot.pause()
        assert "…" in screen_text(app)

        gate.open.set()
        await settle(pilot, lambda: clist.current is not None)
        await pilot.pause()
        assert clist.current is not None
        assert clist.current.name.split()[0] in screen_text(app)

        await pilot.press("home")  # rows not held: fetched, then one repaint
        await settle(pilot, lambda: clist.current is not None and clist.scroll_offset.y == 0)
        assert clist._view_timer is None
        assert clist.held_rows <= 2 * clist.rows_height


async def test_details_fill_every_tab_of_the_customer_opened_last(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        panel = screen.details
        footer_rebuilds: list[int] = []
        refresh_bindings = screen.refresh_bindings
        screen.refresh_bindings = lambda: (footer_rebuilds.append(1), refresh_bindings())  # type: ignore[method-assign]

        await pilot.press("slash", *"victor.stone")
        clist = screen.customer_list
        await settle(pilot, lambda: clist.query_.text.endswith("victor.stone") and clist.current is not None)  # type: ignore[union-attr]
        clist.focus()  # a focus change refreshes the keys by itself
        await settle(pilot)
        footer_rebuilds.clear()
        await pilot.press("enter")
        await settle(pilot, lambda: panel.details is not None and panel.details.username == "victor.stone")
        assert not footer_rebuilds  # the same keys work: the footer is left alone

        d = panel.details
        assert d is not None
        truth = load_bundle(app.services, app.actor, d.id)
        for key, tab in zip("12345", ("profile", "account", "offers", "contacts", "activity"), strict=True):
            await pilot.press(key)
            await settle(pilot)
            text = screen_text(app)
            assert "victor.stone" in str(panel.query_one("#details-title").render().plain), tab  # type: ignore[attr-defined]
            if tab == "profile":
                assert panel.field_values()["last_name"] == (truth.details.last_name or "")
            elif tab == "account":
                assert "Failed logins" in text
            elif tab == "offers":
                offers = panel.query_one("#offers-list", OptionList)
                assert offers.option_count == len(truth.memberships or [])
                for m in truth.memberships or []:
                    assert m.offer_name in text
            elif tab == "contacts":
                contacts = panel.query_one("#contacts-list", OptionList)
                assert contacts.option_count == len(truth.contacts)
            else:
                activity = panel.query_one("#activity-list", OptionList)
                assert activity.option_count == len(activity_options(truth.activity, truth.emails))


class PacedApp(App[None]):
    pass


async def test_frame_pacer_lets_two_updates_through_then_keeps_the_rate() -> None:
    interval = 0.05
    app = PacedApp()
    ticks: list[float] = []
    ticked = asyncio.Event()

    async with app.run_test():

        def tick() -> None:
            ticks.append(time.monotonic())
            pacer.pause()  # as the screen's update does
            ticked.set()

        pacer = FramePacer(app, interval, callback=tick, pause=True)
        pacer._start()
        resumed: list[float] = []
        try:
            for _ in range(4):
                ticked.clear()
                resumed.append(time.monotonic())
                pacer.resume()
                await asyncio.wait_for(ticked.wait(), WAIT)
        finally:
            pacer.stop()
    # After a pause: no wait for a frame grid, and a second update right behind the first.
    assert ticks[0] - resumed[0] < interval / 2
    assert ticks[1] - resumed[1] < interval / 2
    # Then the rate holds: one update per interval.
    assert ticks[2] - ticks[1] >= interval * 0.8
    assert ticks[3] - ticks[2] >= interval * 0.8


async def test_main_screen_paces_its_updates(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        assert isinstance(screen._update_timer, FramePacer)  # Textual still reads the timer there


async def test_long_lived_objects_are_frozen_once_the_first_page_shows(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    gc.unfreeze()  # as in a fresh process
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        await settle(pilot, lambda: screen.customer_list.shown_generation > 0)
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # a full collection no longer walks them
