"""Outbox (SPEC §2 Other screens): every email with its status, preview, retry.

The list refreshes every few seconds in a worker; the dispatcher's state (or
why mail stays queued) shows under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Footer, Static, Tab, Tabs

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.views import ActionResult, EmailView, ScopeNode
from tuiconsole.ui.format import inert, plain, when
from tuiconsole.ui.screens.screen_dialogs import OUTBOX_CSS, EmailPreview, OtherScreen, console, refill_table

if TYPE_CHECKING:
    from tuiconsole.services.dispatcher import DispatcherState

REFRESH_SECONDS = 5.0
STATUSES = ("queued", "sending", "sent", "failed")
COLUMNS = ("Created", "Status", "Template", "To", "Attempts", "Last error")
NOT_CONFIGURED = "Email is not configured: emails stay in the outbox"
STATUS_STYLE = {"failed": "bold red", "queued": "yellow", "sending": "cyan", "sent": "green"}


def status_labels(counts: dict[str, int]) -> dict[str, str]:
    """Filter tab id -> label with its count, e.g. "status-failed" -> "Failed 1"."""
    labels = {"status-all": f"All {sum(counts.values())}"}
    labels.update({f"status-{s}": f"{s.capitalize()} {counts.get(s, 0)}" for s in STATUSES})
    return labels


def email_cells(e: EmailView) -> list[Text]:
    return [
        plain(when(e.created_at)),
        plain(e.status, style=STATUS_STYLE.get(e.status, "")),
        plain(e.template),
        plain(e.to_address),
        plain(e.attempts),
        plain(e.last_error, empty=""),
    ]


def dispatcher_line(state: DispatcherState | None, configured: bool) -> str:
    if state is None:
        if not configured:
            return NOT_CONFIGURED
        return "No dispatcher in this console: `tuiconsole outbox deliver` sends the queue."
    if not state.configured:
        return NOT_CONFIGURED
    if state.last_run_at is None:
        return "Dispatcher: starting…"
    parts = [f"Dispatcher: last run {when(state.last_run_at)} UTC"]
    report = state.last_report
    if report is not None:
        parts.append(f"sent {report.sent}, deferred {report.deferred}, failed {report.failed}")
    if state.queued is not None:
        parts.append(f"{state.queued} waiting")
    if state.last_error:
        parts.append(f"last error: {inert(state.last_error)}")
    return " · ".join(parts)


class OutboxScreen(OtherScreen):
    CSS_PATH = OUTBOX_CSS
    BINDINGS = [
        Binding("enter", "preview", "Open", id="outbox.preview"),
        Binding("r", "retry", "Retry", id="outbox.retry"),
        Binding("f", "focus_filter", "Status filter", id="outbox.filter"),
        Binding("f5", "reload", "Refresh", id="outbox.refresh"),
    ]

    def __init__(self, scope: ScopeNode | None = None) -> None:
        super().__init__(scope, id="outbox")
        self.emails: dict[str, EmailView] = {}
        self.counts: dict[str, int] = {s: 0 for s in STATUSES}

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("Outbox", classes="screen-title")
        with Horizontal(id="outbox-filter-row"):
            yield Tabs(
                *(Tab(label, id=tab_id) for tab_id, label in status_labels(self.counts).items()),
                id="outbox-status",
            )
            yield Button("Retry (r)", id="outbox-retry", disabled=True)
        table: DataTable[Text] = DataTable(id="outbox-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="outbox-empty", markup=False)
        yield Static("", id="outbox-dispatcher", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#outbox-empty").display = False
        self.query_one(DataTable).focus()
        self.show_dispatcher()
        self.action_reload()
        self.set_interval(REFRESH_SECONDS, self.action_reload)

    # --- loading ----------------------------------------------------------------

    @property
    def status_filter(self) -> str | None:
        active = self.query_one("#outbox-status", Tabs).active or "status-all"
        status = active.removeprefix("status-")
        return status if status in STATUSES else None

    def action_reload(self) -> None:
        self.show_dispatcher()
        outbox, actor, status = self.services.outbox, self.actor, self.status_filter

        def load() -> tuple[dict[str, int], list[EmailView]]:
            return outbox.counts(actor), outbox.list(actor, status=status)

        # exclusive: a slow load is dropped when the next one starts
        self.call(load, done=self.loaded, group="outbox-load", exclusive=True)

    def loaded(self, result: tuple[dict[str, int], list[EmailView]]) -> None:
        counts, emails = result
        self.show_counts(counts)
        self.emails = {str(e.id): e for e in emails}
        table = self.query_one(DataTable)
        refill_table(table, ((str(e.id), email_cells(e)) for e in emails))
        empty = self.query_one("#outbox-empty", Static)
        empty.display = not emails
        empty.update("No emails" + (f" with status {self.status_filter}." if self.status_filter else "."))
        self.selection_changed()

    def show_counts(self, counts: dict[str, int]) -> None:
        if counts == self.counts:
            return
        self.counts = counts
        tabs = self.query_one("#outbox-status", Tabs)
        for tab_id, label in status_labels(counts).items():
            tabs.query_one(f"#{tab_id}", Tab).label = label

    def show_dispatcher(self) -> None:
        dispatcher = getattr(self.app, "dispatcher", None)
        state = dispatcher.state if dispatcher is not None else None
        configured = bool(getattr(self.services.outbox, "configured", False))
        self.query_one("#outbox-dispatcher", Static).update(dispatcher_line(state, configured))

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tabs.id == "outbox-status":
            event.stop()
            self.action_reload()

    # --- the selected email -------------------------------------------------------

    @property
    def selected(self) -> EmailView | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.emails.get(key or "")

    def selection_changed(self) -> None:
        email = self.selected
        self.query_one("#outbox-retry", Button).disabled = email is None or email.status != "failed"
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.selection_changed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_preview()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            email = self.selected if self.is_mounted and self.query(DataTable) else None
            return True if email is not None and email.status == "failed" else None
        if action == "preview":
            return True if self.is_mounted and self.query(DataTable) and self.selected else None
        return True

    def action_focus_filter(self) -> None:
        self.query_one("#outbox-status", Tabs).focus()

    def action_preview(self) -> None:
        email = self.selected
        if email is None:
            return
        self.call(self.services.outbox.preview, self.actor, email.id, done=self.show_preview)

    def show_preview(self, preview: Any) -> None:
        self.app.push_screen(EmailPreview(preview.email, preview.text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "outbox-retry":
            event.stop()
            self.action_retry()

    def action_retry(self) -> None:
        email = self.selected
        if email is None or email.status != "failed":
            return
        self.query_one("#outbox-retry", Button).disabled = True
        self.call(self.services.outbox.retry, self.actor, email.id, done=self.retried, failed=self.retry_failed)

    def retry_failed(self, error: TuiconsoleError) -> None:
        console(self.app).show_error(error)
        self.selection_changed()

    def retried(self, result: ActionResult) -> None:
        self.app.notify(result.summary, title="Retry", markup=False)
        dispatcher = getattr(self.app, "dispatcher", None)
        if dispatcher is not None:
            dispatcher.poke()  # deliver it now rather than at the next pass
        self.action_reload()
