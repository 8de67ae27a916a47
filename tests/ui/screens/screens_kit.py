"""Helpers of the screen tests: the real console on the seeded database, one screen open.

(Not a conftest.py: a second module named conftest would shadow tests/conftest.py.)
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from testkit import workers_done
from tuiconsole.domain.clock import FixedClock
from tuiconsole.services.container import Services
from tuiconsole.services.views import ScopeNode
from tuiconsole.ui.app import ConsoleApp

MAX_PAUSES = 200


def scope(svc: Services, code: str) -> ScopeNode:
    return next(n for n in svc.scopes.tree(svc.auth.demo_login("ada.admin").actor) if n.code == code)


class ScreenApp(ConsoleApp):
    """The console signed in, with `first` pushed over the main screen once it is open."""

    def __init__(self, services: Services, username: str, clock: FixedClock, first: Callable[[], Screen[None]]):
        actor = services.auth.demo_login(username).actor
        super().__init__(services, actor=actor, clock=clock, animations=False)
        self.first = first
        self.opened: Screen[None] | None = None

    def _open_main(self, scope: ScopeNode | None) -> None:
        super()._open_main(scope)
        self.opened = self.first()
        self.push_screen(self.opened)


def screen_app(
    services: Services, clock: FixedClock, first: Callable[[], Screen[None]], username: str = "ada.admin"
) -> ScreenApp:
    return ScreenApp(services, username, clock, first)


def tables_settled(app: object) -> bool:
    """Every DataTable on every open screen has measured its rows.

    A DataTable sizes its columns for new rows only when it next goes idle; a picture
    taken before that shows header-width columns. `pilot.pause()` can't tell: it guesses
    idleness from CPU time, which a busy machine makes look idle too early.
    (Textual is pinned; these are its DataTable's pending-work flags.)
    """
    for screen in app.screen_stack:  # type: ignore[attr-defined]
        for table in screen.query(DataTable):
            if table._require_update_dimensions or table._new_rows or table._updated_cells:
                return False
    return True


async def settle(pilot: Pilot, until: Callable[[], bool] | None = None) -> None:
    """Let workers finish, messages land and tables measure their rows; with `until`,
    wait (boundedly) for it too."""
    for _ in range(MAX_PAUSES):
        await workers_done(pilot.app)
        await pilot.pause()
        if until is None:
            await workers_done(pilot.app)
            await pilot.pause()
            if tables_settled(pilot.app):
                return
            continue
        if until() and tables_settled(pilot.app):
            return
    raise AssertionError("the console did not reach the expected state")


async def opened(pilot: Pilot) -> Screen[None]:
    """Wait for the screen under test to be on top and loaded."""
    app = pilot.app
    assert isinstance(app, ScreenApp)
    await settle(pilot, lambda: app.opened is not None and app.screen is app.opened)
    await settle(pilot)
    assert app.opened is not None
    return app.opened


def cell_texts(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    """The table's rows as plain strings."""
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]
