"""The scope selector (`s`, `f2`): a tree of the scopes you may see; type to filter."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from tuiconsole.services.views import ScopeNode
from tuiconsole.ui.format import inert
from tuiconsole.ui.screens.dialog import Dialog
from tuiconsole.ui.widgets.field import Field


def _label(node: ScopeNode) -> Text:
    text = Text(inert(node.name))
    text.append(f"  {inert(node.code)}", style="dim")
    return text


def matches(node: ScopeNode, text: str) -> bool:
    needle = text.strip().casefold()
    return not needle or needle in node.name.casefold() or needle in node.code.casefold()


class ScopePickerScreen(Dialog[ScopeNode]):
    BINDINGS = [Binding("down", "focus_tree", "Tree", show=False, id="scope.tree")]

    def __init__(self, current_id: int | None) -> None:
        super().__init__(classes="dialog-screen")
        self.current_id = current_id
        self.nodes: list[ScopeNode] = []
        self.target: ScopeNode | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog scope-picker"):
            yield Static("Select the scope", classes="dialog-title")
            yield Field(placeholder="Type to filter: name or code", id="scope-filter")
            tree: Tree[ScopeNode] = Tree("Scopes", id="scope-tree")
            tree.show_root = False
            tree.auto_expand = False
            yield tree
            yield Static("Enter selects · escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#scope-filter", Field).focus()
        app = self.app
        app.call_service(app.services.scopes.tree, app.actor, done=self._loaded, owner=self)  # type: ignore[attr-defined]

    def _loaded(self, nodes: list[ScopeNode]) -> None:
        self.nodes = nodes
        self.rebuild("")

    @property
    def tree(self) -> Tree[ScopeNode]:
        return self.query_one("#scope-tree", Tree)

    def rebuild(self, text: str) -> None:
        by_id = {n.id: n for n in self.nodes}
        hits = [n for n in self.nodes if matches(n, text)]
        keep: set[int] = set()
        for node in hits:
            cur: ScopeNode | None = node
            while cur is not None and cur.id not in keep:
                keep.add(cur.id)
                cur = by_id.get(cur.parent_id) if cur.parent_id is not None else None
        tree = self.tree
        tree.clear()
        added: dict[int, TreeNode[ScopeNode]] = {}
        for node in self.nodes:
            if node.id not in keep:
                continue
            parent = added.get(node.parent_id) if node.parent_id is not None else None
            branch = parent or tree.root
            added[node.id] = branch.add(_label(node), data=node, expand=True, allow_expand=node.kind != "site")
        target_id = hits[0].id if text.strip() and hits else self.current_id
        target = added.get(target_id) if target_id is not None else None
        self.target = target.data if target is not None else None
        if target is not None:
            self.call_after_refresh(tree.move_cursor, target)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.rebuild(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # Enter in the filter takes the first match (what the cursor is moved to).
        if self.target is not None:
            self.dismiss(self.target)

    def on_tree_node_selected(self, event: Tree.NodeSelected[ScopeNode]) -> None:
        event.stop()
        if event.node.data is not None:
            self.dismiss(event.node.data)

    def action_focus_tree(self) -> None:
        self.tree.focus()
