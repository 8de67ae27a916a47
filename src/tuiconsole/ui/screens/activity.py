"""Activity (SPEC §2 Other screens): the audit trail, filtered, a sparkline, CSV export.

Every query runs in a worker (the newest one wins); the export streams in a
worker too and reports its progress to a ProgressBar.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, DataTable, Footer, Input, Label, ProgressBar, Select, Sparkline, Static

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.domain.roles import Permission, role_allows
from tuiconsole.resources import styles_dir
from tuiconsole.services.views import ActivityView, ScopeNode
from tuiconsole.ui.format import inert, plain, when
from tuiconsole.ui.screens.screen_dialogs import OtherScreen, TextPrompt, console, refill_table
from tuiconsole.ui.widgets.field import Field

LIMIT = 500
DAYS = 30
COLUMNS = ("At", "Actor", "Action", "Outcome", "Summary")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
OUTCOME_STYLE = {"ok": "", "refused": "yellow", "failed": "bold red"}


class FilterError(ValueError):
    """A filter the CSR typed can't be used; the message says how to fix it."""


def parse_day(text: str, label: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    if not DATE_RE.fullmatch(text):
        raise FilterError(f"{label}: type a date as YYYY-MM-DD, e.g. 2026-11-23.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{label}: {text} is not a real date.") from None


def event_cells(e: ActivityView) -> list[Text]:
    return [
        plain(when(e.at)),
        plain(e.actor),
        plain(e.action),
        plain(e.outcome, style=OUTCOME_STYLE.get(e.outcome, "")),
        plain(e.summary, empty=""),
    ]


def default_export_path(today: date) -> str:
    return f"~/tuiconsole-activity-{today:%Y%m%d}.csv"


class ActivityScreen(OtherScreen):
    CSS_PATH = styles_dir() / "activity.tcss"
    BINDINGS = [
        Binding("f", "focus_filters", "Filters", id="activity.filters"),
        Binding("x", "export", "Export CSV", id="activity.export"),
        Binding("f5", "reload", "Refresh", id="activity.refresh"),
    ]

    def __init__(self, scope: ScopeNode | None = None) -> None:
        super().__init__(scope, id="activity")
        self.exporting = False

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("Activity", classes="screen-title")
        with Horizontal(id="act-filters", classes="filter-row"):
            yield Label("Actor", classes="filter-label")
            yield Field(placeholder="any", id="act-actor", compact=True)
            yield Label("Action", classes="filter-label")
            yield Select[str]([], prompt="any", id="act-action", compact=True)
            yield Label("Since", classes="filter-label")
            yield Field(placeholder="YYYY-MM-DD", id="act-since", max_length=10, compact=True)
            yield Label("Until", classes="filter-label")
            yield Field(placeholder="YYYY-MM-DD", id="act-until", max_length=10, compact=True)
        with Horizontal(classes="filter-row"):
            scope_name = inert(self.scope.name) if self.scope else "the selected scope"
            yield Checkbox(Text(f"Only {scope_name}"), id="act-scope-only", disabled=self.scope is None)
            yield Label("", id="act-filter-error")
        with Vertical(id="act-sparklines"):
            with Horizontal(classes="spark-row"):
                yield Label("Resets ", classes="spark-label")
                yield Sparkline([], id="spark-resets")
                yield Label("", id="spark-resets-total", classes="spark-total")
            with Horizontal(classes="spark-row"):
                yield Label("Unlocks", classes="spark-label")
                yield Sparkline([], id="spark-unlocks")
                yield Label("", id="spark-unlocks-total", classes="spark-total")
            yield Label("", id="spark-caption")
        table: DataTable[Text] = DataTable(id="act-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="act-count", markup=False)
        with Horizontal(id="act-export"):
            yield ProgressBar(id="act-progress", show_eta=False)
            yield Static("", id="act-export-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#act-progress").display = False
        self.query_one(DataTable).focus()
        self.call(self.services.activity.actions, self.actor, done=self.show_actions)
        self.action_reload()

    # --- filters ----------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The service's filter arguments; FilterError when a date is not usable."""
        since = parse_day(self.query_one("#act-since", Input).value, "Since")
        until = parse_day(self.query_one("#act-until", Input).value, "Until")
        if since and until and until < since:
            raise FilterError("Until is before Since: swap the dates.")
        action = self.query_one("#act-action", Select).value
        only_scope = self.query_one("#act-scope-only", Checkbox).value and self.scope is not None
        return {
            "scope_id": self.scope.id if only_scope and self.scope else None,
            "actor_label": self.query_one("#act-actor", Input).value.strip() or None,
            "action": action if isinstance(action, str) else None,
            "since": since,
            "until": until,
        }

    def show_actions(self, actions: list[str]) -> None:
        select = self.query_one("#act-action", Select)
        with select.prevent(Select.Changed):
            select.set_options((inert(a), a) for a in actions)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("act-"):
            self.action_reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("act-"):
            event.stop()
            self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "act-action":
            self.action_reload()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "act-scope-only":
            self.action_reload()

    def action_focus_filters(self) -> None:
        self.query_one("#act-actor", Input).focus()

    # --- loading ----------------------------------------------------------------

    def action_reload(self) -> None:
        error = self.query_one("#act-filter-error", Label)
        try:
            filters = self.filters()
        except FilterError as exc:
            error.update(Text(str(exc)))
            error.display = True
            return
        error.update("")
        error.display = False
        activity, actor = self.services.activity, self.actor

        def load() -> tuple[list[ActivityView], list[tuple[date, int, int]]]:
            events = activity.query(actor, limit=LIMIT, **filters)
            days = activity.per_day(actor, days=DAYS, scope_id=filters["scope_id"])
            return events, days

        self.call(load, done=self.loaded, failed=self.load_failed, group="activity-load", exclusive=True)

    def load_failed(self, error: TuiconsoleError) -> None:
        label = self.query_one("#act-filter-error", Label)
        label.update(Text(error.message))
        label.display = True

    def loaded(self, result: tuple[list[ActivityView], list[tuple[date, int, int]]]) -> None:
        events, days = result
        refill_table(self.query_one(DataTable), ((str(e.id), event_cells(e)) for e in events))
        count = f"{len(events)} event" + ("" if len(events) == 1 else "s")
        if len(events) >= LIMIT:
            count = f"the newest {LIMIT} events: narrow the filters to see older ones"
        elif not events:
            count = "No events match these filters."
        self.query_one("#act-count", Static).update(count)
        self.show_days(days)

    def show_days(self, days: list[tuple[date, int, int]]) -> None:
        resets = [float(r) for _, r, _ in days]
        unlocks = [float(u) for _, _, u in days]
        self.query_one("#spark-resets", Sparkline).data = resets
        self.query_one("#spark-unlocks", Sparkline).data = unlocks
        self.query_one("#spark-resets-total", Label).update(f" {int(sum(resets))} in {len(days)} days")
        self.query_one("#spark-unlocks-total", Label).update(f" {int(sum(unlocks))} in {len(days)} days")
        if days:
            first, last = days[0][0], days[-1][0]
            self.query_one("#spark-caption", Label).update(f"per day, {first:%Y-%m-%d} to {last:%Y-%m-%d} (UTC)")

    # --- export -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            if not role_allows(console(self.app).actor.role if console(self.app).actor else "", Permission.SUPERVISE):
                return False  # not the role's: hidden from footer and palette
            return None if self.exporting else True
        return True

    def action_export(self) -> None:
        if self.exporting:
            return
        try:
            self.filters()
        except FilterError as exc:
            self.app.notify(str(exc), severity="error", markup=False)
            return
        today = self.services.ctx.clock.now().date()
        self.app.push_screen(
            TextPrompt(
                "Export activity to CSV",
                "File to write: the events matching the filters above (no secrets are ever in them).",
                value=default_export_path(today),
                required=True,
                ok_label="Export",
            ),
            self.start_export,
        )

    def start_export(self, typed: str | None) -> None:
        if not typed:
            return
        path = Path(typed).expanduser()
        self.exporting = True
        self.refresh_bindings()
        bar = self.query_one("#act-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#act-export-status", Static).update(f"Exporting to {inert(str(path))}…")
        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self.show_progress, done, total)

        self.call(
            self.services.activity.export_csv,
            self.actor,
            str(path),
            progress=progress,
            done=lambda rows: self.exported(rows, path),
            failed=self.export_failed,
            **self.filters(),
        )

    def show_progress(self, done: int, total: int) -> None:
        self.query_one("#act-progress", ProgressBar).update(total=max(total, 1), progress=done if total else 1)

    def exported(self, rows: int, path: Path) -> None:
        self.exporting = False
        self.refresh_bindings()
        bar = self.query_one("#act-progress", ProgressBar)
        bar.update(total=max(rows, 1), progress=max(rows, 1))
        message = f"Exported {rows} event{'' if rows == 1 else 's'} to {inert(str(path))}."
        self.query_one("#act-export-status", Static).update(message)
        self.app.notify(message, title="Export", markup=False)

    def export_failed(self, error: TuiconsoleError) -> None:
        self.exporting = False
        self.refresh_bindings()
        self.query_one("#act-progress").display = False
        self.query_one("#act-export-status", Static).update(f"Export failed: {error.message}")
        self.app.notify(error.message, title="Export failed", severity="error", markup=False)
