"""The keys that work on a screen: its bindings, its widgets', the app's and Textual's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.dom import DOMNode
from textual.screen import Screen

from tuiconsole.ui.keys import KEYS, spec_for


@dataclass(frozen=True)
class ScreenKey:
    keys: str  # "s, f2"
    description: str
    where: str
    action: str
    node: DOMNode
    enabled: bool

    def run(self) -> Callable[[], object]:
        node = self.node
        action = self.action
        return lambda: node.app.run_action(action, node)


def _nodes(screen: Screen[object]) -> list[DOMNode]:
    nodes: list[DOMNode] = [screen.app, screen]
    nodes.extend(screen.walk_children())
    return nodes


def screen_keys(screen: Screen[object]) -> list[ScreenKey]:
    """One entry per action and node; keys of the same action are joined ("s, f2")."""
    found: dict[tuple[int, str], list[str]] = {}
    meta: dict[tuple[int, str], tuple[str, str, DOMNode]] = {}
    for node in _nodes(screen):
        for _key, binding in node._bindings:
            spec = spec_for(binding.id)
            if spec is None and binding.id is None:
                continue  # Textual's own unlabelled keys
            ident = (id(node), binding.action)
            display = spec.display if spec else (binding.key_display or binding.key)
            keys = found.setdefault(ident, [])
            if display not in keys:
                keys.append(display)
            meta[ident] = (binding.description, spec.where if spec else "", node)
    out: list[ScreenKey] = []
    for ident, keys in found.items():
        description, where, node = meta[ident]
        action = ident[1]
        name, _, _ = action.partition("(")
        enabled = bool(node.check_action(name, ()))
        out.append(ScreenKey(", ".join(keys), description, where, action, node, enabled))
    for spec in KEYS:
        if spec.builtin:
            out.append(ScreenKey(spec.display, spec.description, spec.where, spec.action, screen.app, True))
    return out
