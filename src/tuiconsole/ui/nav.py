"""The navigation panel's entries: data, so later screens plug in with one line.

An entry shows when the signed-in role may open it and its screen exists
(`open` is set). Outbox, Activity, Administration and Console users register
here when their screens arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuiconsole.domain.roles import Permission, role_allows
from tuiconsole.services.views import Actor

if TYPE_CHECKING:
    from tuiconsole.ui.app import ConsoleApp


@dataclass(frozen=True)
class NavEntry:
    id: str
    label: str
    permission: Permission
    # Opens the entry's screen; None: the main screen itself (Customers).
    open: Callable[[ConsoleApp], None] | None = None
    # Place in the panel, so the order never depends on which module registered first.
    order: int = 0

    def allowed(self, actor: Actor) -> bool:
        return role_allows(actor.role, self.permission)


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("customers", "Customers", Permission.VIEW, order=0),
]


def register_nav_entry(entry: NavEntry) -> None:
    """Add (or replace) an entry: e.g. NavEntry("outbox", "Outbox", VIEW, open_outbox)."""
    NAV_ENTRIES[:] = [e for e in NAV_ENTRIES if e.id != entry.id] + [entry]
    NAV_ENTRIES.sort(key=lambda e: e.order)  # stable: equal orders keep registration order


def entries_for(actor: Actor) -> list[NavEntry]:
    return [e for e in NAV_ENTRIES if e.allowed(actor)]
