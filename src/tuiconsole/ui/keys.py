"""The console's keys (SPEC §2 Keys table): one place for footer, help, palette and README.

Every key is a `KeySpec`; screens and widgets take their `BINDINGS` from here with
`bindings(...)`, the help screen and the command palette read the same specs, and
`keys_markdown()` writes the README's table from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from textual.binding import Binding

# Where a key works, as the README says it.
MAIN = "main screen"
LIST = "customer list"
DETAILS = "details panel"
EDIT = "details panel in edit mode"
EDITING = "edit mode"
ANYWHERE = "anywhere"

# Textual key names that read differently to a person.
_DISPLAY = {"question_mark": "?", "slash": "/"}


@dataclass(frozen=True)
class KeySpec:
    id: str
    key: str  # a Textual key name
    action: str
    description: str  # short: footer and command palette
    where: str
    does: str  # the README's words
    not_typing: bool = False  # a printable key: a text field takes it first
    show: bool = True  # in the footer
    priority: bool = False
    builtin: bool = False  # bound by Textual itself (tab, ctrl+p): documented only
    # Keys of one chunk read as one item in the README: `down` / `up`; a chunk named
    # "range…" reads as its first and last key: `1`…`5`.
    chunk: str = ""

    @property
    def display(self) -> str:
        return _DISPLAY.get(self.key, self.key)

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            key_display=_DISPLAY.get(self.key),
            priority=self.priority,
            id=self.id,
        )


def _k(*args: object, **kw: object) -> KeySpec:
    return KeySpec(*args, **kw)  # type: ignore[arg-type]


KEYS: tuple[KeySpec, ...] = (
    _k("main.scope", "s", "scope_selector", "Scope", MAIN,
       "scope selector (tree; type to filter; Enter selects)", not_typing=True),
    _k("main.scope_f2", "f2", "scope_selector", "Scope", MAIN,
       "scope selector (tree; type to filter; Enter selects)", show=False),
    _k("main.filter", "slash", "focus_filter", "Filter", MAIN, "focus the customer filter"),
    _k("list.down", "down", "cursor_down", "Down", LIST, "move", show=False),
    _k("list.up", "up", "cursor_up", "Up", LIST, "move", show=False),
    _k("list.pagedown", "pagedown", "page_down", "Page down", LIST, "move", show=False),
    _k("list.pageup", "pageup", "page_up", "Page up", LIST, "move", show=False),
    _k("list.home", "home", "first", "First", LIST, "move", show=False),
    _k("list.end", "end", "last", "Last", LIST, "move", show=False),
    _k("list.open", "enter", "open", "Open", LIST, "open the customer in the details panel"),
    _k("main.new", "n", "new_customer", "New customer", LIST, "New customer", not_typing=True),
    _k("main.edit", "e", "edit", "Edit", DETAILS, "Edit (view mode → edit mode)",
       not_typing=True),
    _k("main.tab1", "1", "show_tab('profile')", "Profile tab", DETAILS,
       "tabs Profile, Account, Offers, Contacts, Activity", not_typing=True, show=False),
    _k("main.tab2", "2", "show_tab('account')", "Account tab", DETAILS,
       "tabs Profile, Account, Offers, Contacts, Activity", not_typing=True, show=False),
    _k("main.tab3", "3", "show_tab('offers')", "Offers tab", DETAILS,
       "tabs Profile, Account, Offers, Contacts, Activity", not_typing=True, show=False),
    _k("main.tab4", "4", "show_tab('contacts')", "Contacts tab", DETAILS,
       "tabs Profile, Account, Offers, Contacts, Activity", not_typing=True, show=False),
    _k("main.tab5", "5", "show_tab('activity')", "Activity tab", DETAILS,
       "tabs Profile, Account, Offers, Contacts, Activity", not_typing=True, show=False),
    _k("main.reset", "r", "reset_password", "Reset Password", EDIT,
       "Reset Password → Set Customer Password dialog", not_typing=True),
    _k("main.reset_ctrl", "ctrl+r", "reset_password", "Reset Password", EDIT,
       "Reset Password → Set Customer Password dialog", show=False),
    _k("main.unlock", "u", "unlock", "Unlock", EDIT, "Unlock", not_typing=True),
    # Beyond the SPEC's table: the other customer actions (SPEC §2 "Other actions"). Out of
    # the footer (it is full in edit mode); the buttons, help and palette show them.
    _k("main.lock", "l", "lock", "Lock", EDIT, "Lock, with a reason (supervisor)", not_typing=True, show=False),
    _k("main.disable", "d", "disable", "Disable", EDIT, "Disable, with a reason (supervisor)",
       not_typing=True, show=False),
    _k("main.enable", "E", "enable", "Enable", EDIT,
       "Enable: lift a disable or a staff lock (supervisor)", not_typing=True, show=False),
    _k("main.grant", "g", "grant_offer", "Grant offer", EDIT, "Offers tab: Grant offer",
       not_typing=True, show=False),
    _k("main.resend", "c", "resend_credentials", "Resend credentials", EDIT,
       "Offers tab: Resend credentials of the chosen membership", not_typing=True, show=False),
    _k("main.membership_password", "m", "membership_password", "Membership password", EDIT,
       "Offers tab: Membership password of the chosen membership", not_typing=True, show=False),
    _k("main.retry", "t", "retry_email", "Retry email", DETAILS,
       "Retry the failed email chosen in the Activity tab, or the Last action's", not_typing=True, show=False),
    _k("main.ok", "ctrl+s", "ok", "OK", EDITING, "OK: save and leave edit mode"),
    _k("main.escape", "escape", "escape", "Back", ANYWHERE,
       "close dialog / Cancel edit mode / back", show=False),
    _k("dialog.close", "escape", "close", "Close", ANYWHERE,
       "close dialog / Cancel edit mode / back"),
    _k("focus.next", "tab", "app.focus_next", "Next field", ANYWHERE, "move focus",
       builtin=True),
    _k("focus.previous", "shift+tab", "app.focus_previous", "Previous field", ANYWHERE,
       "move focus", builtin=True),
    _k("app.palette", "ctrl+p", "command_palette", "Commands", ANYWHERE,
       "command palette (every action of the screen, and \"go to customer…\")",
       builtin=True),
    _k("app.help", "question_mark", "help", "Help", ANYWHERE,
       "help: every key of the current screen", not_typing=True),
    _k("app.help_f1", "f1", "help", "Help", ANYWHERE,
       "help: every key of the current screen", show=False),
    _k("app.quit", "ctrl+q", "quit", "Quit", ANYWHERE,
       "quit (asks first when there are unsaved edits or a dialog is open)", priority=True),
)

_CHUNKS = {
    "list.down": "updown", "list.up": "updown",
    "list.pagedown": "page", "list.pageup": "page",
    "list.home": "homeend", "list.end": "homeend",
    "focus.next": "focus", "focus.previous": "focus",
    **{f"main.tab{i}": "range-tabs" for i in range(1, 6)},
}
KEYS = tuple(replace(k, chunk=_CHUNKS.get(k.id, "")) for k in KEYS)
BY_ID: dict[str, KeySpec] = {k.id: k for k in KEYS}


def bindings(*ids: str) -> list[Binding]:
    """The Textual bindings of these key ids (the BINDINGS of a screen or widget)."""
    return [BY_ID[i].binding() for i in ids]


def spec_for(binding_id: str | None) -> KeySpec | None:
    return BY_ID.get(binding_id or "")


def _rows(specs: Iterable[KeySpec]) -> list[tuple[str, str, list[KeySpec]]]:
    """Keys that do the same thing in the same place share one row, in table order."""
    rows: dict[tuple[str, str], list[KeySpec]] = {}
    for spec in specs:
        rows.setdefault((spec.where, spec.does), []).append(spec)
    return [(where, does, specs) for (where, does), specs in rows.items()]


def _chunk_text(specs: list[KeySpec]) -> str:
    names: list[str] = []
    for spec in specs:
        if spec.display not in names:
            names.append(spec.display)
    if specs[0].chunk.startswith("range") and len(names) > 2:
        text = f"`{names[0]}`…`{names[-1]}`"
    else:
        text = " / ".join(f"`{n}`" for n in names)
    return text + (" (not typing)" if specs[0].not_typing else "")


def _key_cell(specs: list[KeySpec]) -> str:
    chunks: dict[str, list[KeySpec]] = {}
    for spec in specs:
        chunks.setdefault(spec.chunk or spec.display, []).append(spec)
    cells: list[str] = []
    for chunk in chunks.values():
        text = _chunk_text(chunk)
        if text not in cells:
            cells.append(text)
    return ", ".join(cells)


def keys_markdown() -> str:
    """The README's "## Keys" table, written from the bindings."""
    lines = ["| key | where | does |", "|---|---|---|"]
    for where, does, specs in _rows(KEYS):
        lines.append(f"| {_key_cell(specs)} | {where} | {does} |")
    return "\n".join(lines) + "\n"
