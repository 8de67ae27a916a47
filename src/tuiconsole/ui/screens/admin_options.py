"""Administration → Password Reset Options (SPEC §2, §4) of the selected scope.

Each option shows its value and where it comes from ("set here", "inherited from
X", "default"); Enter edits one in a dialog, which saves or resets to inherited.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.domain.options import OPTION_SPECS, OPTION_SPECS_BY_NAME
from tuiconsole.services.views import OptionsView, ScopeNode
from tuiconsole.ui.format import inert, plain
from tuiconsole.ui.screens.screen_dialogs import (
    ADMIN_CSS,
    OptionEditor,
    OtherScreen,
    option_value_text,
    refill_table,
)

COLUMNS = ("Option", "Value", "Origin")
# Room the origin ("inherited from Acme Retail") and the table's padding need; a long
# label or value is shortened to leave it, the editor shows both whole.
ORIGIN_ROOM = 36
LABEL_WIDTH = (20, 44)
VALUE_WIDTH = (8, 36)


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def column_widths(screen_width: int) -> tuple[int, int]:
    """(label, value) widths that keep the origin column on screen."""
    label = max(LABEL_WIDTH[0], min(LABEL_WIDTH[1], screen_width - ORIGIN_ROOM - 12))
    value = max(VALUE_WIDTH[0], min(VALUE_WIDTH[1], screen_width - ORIGIN_ROOM - label))
    return label, value


ORIGIN_STYLE = {"set_here": "bold", "inherited": "", "default": "dim"}


def option_rows(view: OptionsView, screen_width: int = 160) -> list[tuple[str, list[Text]]]:
    label_width, value_width = column_widths(screen_width)
    rows = []
    for spec in OPTION_SPECS:
        origin = view.effective.origins[spec.name]
        rows.append(
            (
                spec.name,
                [
                    plain(short(spec.label, label_width)),
                    plain(short(option_value_text(getattr(view.effective.values, spec.name)), value_width)),
                    plain(origin.describe(), style=ORIGIN_STYLE.get(origin.kind, "")),
                ],
            )
        )
    return rows


class ResetOptionsScreen(OtherScreen):
    CSS_PATH = ADMIN_CSS
    BINDINGS = [
        Binding("enter", "edit", "Edit option", id="options.edit"),
        Binding("f5", "reload", "Refresh", id="options.refresh"),
    ]

    def __init__(self, scope: ScopeNode | None = None) -> None:
        super().__init__(scope, id="reset-options")
        self.view: OptionsView | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        title = Text("Password Reset Options — ")
        title.append(inert(self.scope.path if self.scope else None, "no scope selected"))
        yield Static(title, classes="screen-title")
        yield Static(
            "Options are inherited down the scope tree unless set here. Enter edits one.",
            classes="screen-hint",
            markup=False,
        )
        table: DataTable[Text] = DataTable(id="options-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="options-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        if self.scope is None:
            self.query_one("#options-message", Static).update("Select a scope first (s on the main screen).")
            return
        self.call(self.services.scopes.options, self.actor, self.scope.id, done=self.show_view, failed=self.failed)

    def failed(self, error: TuiconsoleError) -> None:
        self.query_one("#options-message", Static).update(error.message)

    def show_view(self, view: OptionsView) -> None:
        self.view = view
        refill_table(self.query_one(DataTable), option_rows(view, self.size.width or 160))
        here = len(view.set_here)
        self.query_one("#options-message", Static).update(
            f"{here} option{'' if here == 1 else 's'} set here; the others are inherited or default."
        )

    def on_resize(self) -> None:
        if self.view is not None:
            self.show_view(self.view)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        if self.view is None or not table.row_count:
            return
        name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        spec = OPTION_SPECS_BY_NAME.get(name)
        if spec is not None:
            self.app.push_screen(OptionEditor(self.view, spec), self.edited)

    def edited(self, view: OptionsView | None) -> None:
        if view is None:
            return
        self.show_view(view)
        self.app.notify(f"Password Reset Options of {inert(view.scope_name)} saved.", markup=False)
