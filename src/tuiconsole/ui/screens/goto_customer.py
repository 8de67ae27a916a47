"""Go to customer…: find by name or username in the selected scope and open."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.views import CustomerRow, SearchPage
from tuiconsole.ui.format import inert
from tuiconsole.ui.screens.dialog import Dialog
from tuiconsole.ui.widgets.field import Field

LIMIT = 20


def row_label(row: CustomerRow) -> Text:
    text = Text()
    text.append(inert(row.name), style="bold")
    text.append(f" ({inert(row.username)}) ")
    text.append(inert(row.site_name), style="dim")
    return text


class GoToCustomerScreen(Dialog[int]):
    BINDINGS = [Binding("down", "focus_results", "Results", show=False, id="goto.results")]

    def __init__(self, scope_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.scope_id = scope_id
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog goto"):
            yield Static("Go to customer…", classes="dialog-title")
            yield Field(placeholder="Name or username", id="goto-query")
            yield OptionList(id="goto-results")
            yield Static("Enter opens · escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#goto-query", Field).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._generation += 1
        if event.value.strip():
            self.lookup(self._generation, event.value)
        else:
            self.query_one(OptionList).clear_options()

    @work(thread=True, exclusive=True, group="goto")
    def lookup(self, generation: int, text: str) -> None:
        app = self.app
        try:
            page = app.services.customers.search(  # type: ignore[attr-defined]
                app.actor, self.scope_id, text, limit=LIMIT, with_count=False  # type: ignore[attr-defined]
            )
        except TuiconsoleError as exc:
            app.call_from_thread(app.show_error, exc)  # type: ignore[attr-defined]
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._show, generation, page)

    def _show(self, generation: int, page: SearchPage) -> None:
        if generation != self._generation:
            return
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(row_label(r), id=str(r.id)) for r in page.rows)
        if page.rows:
            options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            option = options.get_option_at_index(options.highlighted)
            self.dismiss(int(option.id or 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_focus_results(self) -> None:
        self.query_one(OptionList).focus()
