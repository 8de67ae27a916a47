"""The command palette (ctrl+p): every action of the screen, and "Go to customer…".

The actions come from the same bindings as the footer and the help screen.
Typing a name also offers matching customers of the selected scope directly.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.views import CustomerRow
from tuiconsole.ui.format import inert
from tuiconsole.ui.screen_keys import ScreenKey, screen_keys

GO_TO = "Go to customer…"
LOOKUP_MIN = 2
LOOKUP_LIMIT = 5


class ConsoleCommands(Provider):
    def _main(self):  # type: ignore[no-untyped-def]
        from tuiconsole.ui.screens.main import MainScreen

        return self.screen if isinstance(self.screen, MainScreen) else None

    def _actions(self) -> list[ScreenKey]:
        keys = [k for k in screen_keys(self.screen) if k.enabled and k.description]
        # The palette itself and "Back" are no commands worth listing.
        return [k for k in keys if k.action not in ("command_palette", "escape")]

    def _go_to(self) -> None:
        main = self._main()
        if main is None or main.scope is None:
            return
        from tuiconsole.ui.screens.goto_customer import GoToCustomerScreen

        def opened(customer_id: int | None) -> None:
            if customer_id:
                main.open_customer(customer_id)

        self.app.push_screen(GoToCustomerScreen(main.scope.id), opened)

    async def discover(self) -> Hits:
        if self._main() is not None:
            yield DiscoveryHit(GO_TO, self._go_to, help="Find a customer by name or username and open")
        for key in self._actions():
            yield DiscoveryHit(key.description, key.run(), help=f"{key.keys} · {key.where}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        main = self._main()
        if main is not None:
            score = matcher.match(GO_TO)
            if score > 0:
                yield Hit(score, matcher.highlight(GO_TO), self._go_to, help="Find a customer and open")
        for key in self._actions():
            score = matcher.match(key.description)
            if score > 0:
                yield Hit(score, matcher.highlight(key.description), key.run(), help=key.keys)
        if main is None or main.scope is None or len(query.strip()) < LOOKUP_MIN:
            return
        for row in await self._lookup(main.scope.id, query):
            label = f"Open {inert(row.name)} ({inert(row.username)}) · {inert(row.site_name)}"
            yield Hit(0.5, Content(label), partial(main.open_customer, row.id), text=label, help="customer")

    async def _lookup(self, scope_id: int, query: str) -> list[CustomerRow]:
        app = self.app
        try:
            page = await asyncio.to_thread(  # a thread: the UI never waits on the database
                app.services.customers.search,  # type: ignore[attr-defined]
                app.actor,  # type: ignore[attr-defined]
                scope_id,
                query,
                limit=LOOKUP_LIMIT,
                with_count=False,
            )
        except TuiconsoleError:
            return []
        return page.rows
