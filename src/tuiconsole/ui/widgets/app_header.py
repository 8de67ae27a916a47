"""The header: product, selected scope, signed-in user (all plain text)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tuiconsole.services.views import Actor, ScopeNode
from tuiconsole.ui.format import inert


class AppHeader(Static):
    def __init__(self, product: str, actor: Actor | None, scope: ScopeNode | None) -> None:
        super().__init__(id="app-header")
        self.product = product
        self.actor = actor
        self.scope = scope

    def on_mount(self) -> None:
        self.refresh_text()

    def set_scope(self, scope: ScopeNode | None) -> None:
        self.scope = scope
        self.refresh_text()

    def refresh_text(self) -> None:
        text = Text()
        text.append(f" {self.product} ", style="bold")
        text.append("│ Scope: ")
        text.append(inert(self.scope.path if self.scope else None, "no scope"), style="bold")
        if self.actor is not None:
            text.append(" │ ")
            text.append(inert(self.actor.display_name))
            text.append(f" ({self.actor.role})", style="dim")
        self.update(text)
