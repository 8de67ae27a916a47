"""The main screen: navigation, customer filter and list, details panel (SPEC §2)."""

from __future__ import annotations

import gc

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import UPDATE_PERIOD, Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Select, Static

from tuiconsole.services.views import ActionResult, ScopeNode
from tuiconsole.ui.format import inert
from tuiconsole.ui.keys import bindings
from tuiconsole.ui.screens.frame_pacer import FramePacer
from tuiconsole.ui.widgets.app_header import AppHeader
from tuiconsole.ui.widgets.banners import Banners
from tuiconsole.ui.widgets.customer_actions import may_supervise
from tuiconsole.ui.widgets.customer_list import CustomerList
from tuiconsole.ui.widgets.details_panel import DetailsPanel
from tuiconsole.ui.widgets.field import Field
from tuiconsole.ui.widgets.nav_panel import NavPanel

STATUS_CHOICES = (
    ("Any status", "any"),
    ("Active", "active"),
    ("Locked", "locked"),
    ("Disabled", "disabled"),
    ("Must change", "must_change"),
)
FILTER_HINT = "Filter: name, username, email, phone"
NARROW = 120  # columns: below this the list and the details share the room
# "Searching…" shows only when the answer takes longer than this: a fast answer
# then costs one screen update instead of two (the indicator, then the count).
SEARCHING_DELAY = 0.12
EDIT_ACTIONS = {"reset_password", "unlock", "ok", "grant_offer", "resend_credentials", "membership_password"}
SUPERVISOR_ACTIONS = {"lock", "disable", "enable"}


def freeze_long_lived_objects() -> None:
    """Move everything alive once the console is up (modules, styles, widgets, the
    services) out of the collector's reach: a full collection then scans only what
    was made since, instead of stalling a keystroke's repaint for ~100 ms. No
    collection first: that would be the same stall, right as the first page shows."""
    if not gc.get_freeze_count():
        gc.freeze()


def count_text(total: int, exact: bool) -> str:
    noun = "customer" if total == 1 else "customers"
    return f"{total:,} {noun}" if exact else f"about {total:,} {noun}"


class FilterField(Field):
    """The customer filter: a change starts the search at once, not after the screen
    has repainted the typed character (the Changed message comes after that)."""

    def watch_value(self, value: str) -> None:
        screen = self.screen if self.is_mounted else None
        if isinstance(screen, MainScreen) and screen.is_mounted:
            screen.run_search()


class MainScreen(Screen[None]):
    # The list takes the focus as the screen composes: no first focus elsewhere, and
    # no second focus change (and footer rebuild) in on_mount.
    AUTO_FOCUS = "#customers"
    BINDINGS = bindings(
        "main.scope",
        "main.scope_f2",
        "main.filter",
        "main.new",
        "main.edit",
        "main.tab1",
        "main.tab2",
        "main.tab3",
        "main.tab4",
        "main.tab5",
        "main.reset",
        "main.reset_ctrl",
        "main.unlock",
        "main.lock",
        "main.disable",
        "main.enable",
        "main.grant",
        "main.resend",
        "main.membership_password",
        "main.retry",
        "main.ok",
        "main.escape",
    )

    def __init__(self, scope: ScopeNode | None) -> None:
        super().__init__(id="main")
        self.scope = scope
        self._searched: tuple[int, str, str] | None = None
        self._searching_timer: Timer | None = None
        self._frozen = False
        self._pacer: FramePacer | None = None
        # Held, not queried: check_action runs for every key on every footer rebuild,
        # and a query walks the whole screen each time.
        self._customer_list = CustomerList(id="customers")
        self._details = DetailsPanel()

    @property
    def _update_timer(self) -> Timer:
        # Textual's screen reads its update timer through this property (see frame_pacer.py).
        if self._pacer is None:
            self._pacer = FramePacer(
                self, UPDATE_PERIOD, name="screen_update", callback=self._on_timer_update, pause=True
            )
            self._pacer._start()
            self._timers.add(self._pacer)
        return self._pacer

    def compose(self) -> ComposeResult:
        app = self.app
        yield AppHeader(app.title, app.actor, self.scope)  # type: ignore[attr-defined]
        yield Banners(
            demo=app.demo,  # type: ignore[attr-defined]
            email_configured=app.services.ctx.email_configured,  # type: ignore[attr-defined]
        )
        with Horizontal(id="body"):
            yield NavPanel(app.actor)  # type: ignore[attr-defined]
            with Vertical(id="list-pane"):
                with Horizontal(id="filter-row"):
                    yield FilterField(placeholder=FILTER_HINT, id="filter", compact=True)
                    yield Select(STATUS_CHOICES, value="any", allow_blank=False, id="status", compact=True)
                yield Static(id="count", markup=False)
                yield self._customer_list
                yield Static(id="empty-state")
            yield self._details
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.query_one("#empty-state").display = False
        self.call_after_refresh(self.run_search)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # --- parts ------------------------------------------------------------------

    @property
    def customer_list(self) -> CustomerList:
        return self._customer_list

    @property
    def details(self) -> DetailsPanel:
        return self._details

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Field).value

    @property
    def status_filter(self) -> str:
        value = self.query_one("#status", Select).value
        return value if isinstance(value, str) else "any"

    def has_unsaved_edits(self) -> bool:
        return self.details.is_dirty()

    # --- searching --------------------------------------------------------------

    def run_search(self, *, again: bool = False) -> None:
        if self.scope is None:
            self.query_one("#count", Static).update("No scope is granted to you.")
            return
        query = (self.scope.id, self.filter_text, self.status_filter)
        if query == self._searched and not again:
            return  # e.g. the status Select announcing its first value
        self._searched = query
        self._stop_searching_timer()
        self._searching_timer = self.set_timer(SEARCHING_DELAY, self._show_searching)
        self.customer_list.search(
            self.scope.id, self.filter_text, self.status_filter, show_site=self.scope.kind != "site"
        )

    def _show_searching(self) -> None:
        self._searching_timer = None
        if self.customer_list.searching:
            self._set_count("Searching…")

    def _stop_searching_timer(self) -> None:
        if self._searching_timer is not None:
            self._searching_timer.stop()
            self._searching_timer = None

    def _set_count(self, text: str) -> None:
        # The count line has a fixed size (one row, the pane's width): its new text
        # needs a repaint of that row only, not a layout of the whole screen.
        self.query_one("#count", Static).update(text, layout=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.run_search()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "status":
            self.run_search()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            event.stop()
            self.customer_list.focus()
            self.customer_list.action_open()

    def on_customer_list_counted(self, event: CustomerList.Counted) -> None:
        if not self._frozen:
            self._frozen = True
            self.call_after_refresh(freeze_long_lived_objects)  # after the first page is on screen
        self._stop_searching_timer()
        self._set_count(count_text(event.total, event.exact))
        empty = self.query_one("#empty-state", Static)
        if empty.display != (event.total == 0):
            empty.display = event.total == 0
        if event.total == 0:
            hint = Text("No customers match")
            if self.filter_text:
                hint.append(" “")
                hint.append(inert(self.filter_text))
                hint.append("”")
            hint.append(" in ")
            hint.append(inert(self.scope.name if self.scope else ""))
            hint.append(".\nTry fewer or shorter words, status “Any status”, or another scope (s).")
            empty.update(hint)

    def on_customer_list_failed(self, event: CustomerList.Failed) -> None:
        self._stop_searching_timer()
        self._set_count(event.error.message)

    # --- opening ----------------------------------------------------------------

    def _open(self, customer_id: int) -> None:
        if self.details.is_dirty():
            from tuiconsole.ui.screens.confirm import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    self.details.leave_edit()
                    self.details.open(customer_id)

            self.app.push_screen(
                ConfirmScreen("Discard your changes?", "Open another customer and drop the edits?"),
                answer,
            )
            return
        if self.details.editing:
            self.details.leave_edit()
        self.details.open(customer_id)

    def open_customer(self, customer_id: int) -> None:
        """Open a customer in the details panel (asks first when edits would be lost)."""
        self._open(customer_id)

    def customer_changed(self, result: object) -> None:
        """A dialog changed the open customer: the Last action box and its new state."""
        panel = self.details
        if isinstance(result, ActionResult) and panel.details is not None and result.customer_id == panel.details.id:
            panel.show_result(result)
        else:
            panel.reload()
        self.customer_list.refetch()

    def outbox_changed(self) -> None:
        """The dispatcher delivered: the Last action box looks at its email again."""
        # A pass can land while the app closes and the screen's widgets are gone.
        if self._details.is_attached:
            self._details.poll_last_action()

    def on_customer_list_opened(self, event: CustomerList.Opened) -> None:
        self._open(event.row.id)

    def on_details_panel_open_customer(self, event: DetailsPanel.OpenCustomer) -> None:
        self._open(event.customer_id)

    def on_details_panel_changed(self, event: DetailsPanel.Changed) -> None:
        self.customer_list.refetch()

    def on_nav_panel_chosen(self, event: NavPanel.Chosen) -> None:
        if event.entry.open is None:
            # Customers: the listing, as the vendor's manual goes on ("/" filters it).
            self.customer_list.focus()
        else:
            event.entry.open(self.app)  # type: ignore[arg-type]

    # --- scope --------------------------------------------------------------------

    def set_scope(self, scope: ScopeNode | None) -> None:
        if scope is None or (self.scope is not None and scope.id == self.scope.id):
            return
        self.scope = scope
        self.query_one(AppHeader).set_scope(scope)
        self.run_search()

    def action_scope_selector(self) -> None:
        from tuiconsole.ui.screens.scope_picker import ScopePickerScreen

        self.app.push_screen(ScopePickerScreen(self.scope.id if self.scope else None), self.set_scope)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Field).focus()

    def action_new_customer(self) -> None:
        self.app.open_new_customer(self.scope)  # type: ignore[attr-defined]

    # --- details ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        panel = self._details
        # False hides a key from the footer and the palette: only what works here shows.
        if action == "edit":
            return panel.details is not None and not panel.editing
        if action == "show_tab":
            return panel.details is not None
        if action in EDIT_ACTIONS:
            return panel.editing
        if action in SUPERVISOR_ACTIONS:
            return panel.editing and may_supervise(self.app.actor)  # type: ignore[attr-defined]
        if action == "retry_email":
            return panel.details is not None
        return True

    def action_edit(self) -> None:
        self.details.start_edit()
        self.refresh_bindings()

    def action_show_tab(self, tab: str) -> None:
        self.details.show_tab(tab)

    def action_reset_password(self) -> None:
        panel = self.details
        if panel.editing and panel.details is not None:
            self.app.open_set_password(panel.details)  # type: ignore[attr-defined]

    def action_unlock(self) -> None:
        self.details.unlock()

    def action_lock(self) -> None:
        self.details.ask_reason("lock")

    def action_disable(self) -> None:
        self.details.ask_reason("disable")

    def action_enable(self) -> None:
        self.details.ask_reason("enable")

    def action_grant_offer(self) -> None:
        self.details.grant_offer()

    def action_resend_credentials(self) -> None:
        self.details.resend_credentials()

    def action_membership_password(self) -> None:
        self.details.membership_password()

    def action_retry_email(self) -> None:
        self.details.retry_email()

    def action_ok(self) -> None:
        panel = self.details
        if panel.save():
            self.refresh_bindings()
            return
        from tuiconsole.ui.screens.verified_by import VerifiedByScreen

        def chosen(how: str | None) -> None:
            if how:
                panel.save(how)
                self.refresh_bindings()

        self.app.push_screen(VerifiedByScreen(), chosen)

    def action_cancel_edit(self) -> None:
        panel = self.details
        if not panel.editing:
            return
        if not panel.is_dirty():
            panel.leave_edit()
            self.refresh_bindings()
            return
        from tuiconsole.ui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                panel.leave_edit()
                self.refresh_bindings()

        self.app.push_screen(ConfirmScreen("Discard your changes?", "Cancel the edit?"), answer)

    def action_escape(self) -> None:
        focused = self.focused
        panel = self.details
        if panel.editing:
            if isinstance(focused, Field) and focused in panel.query(Field):
                panel.focus_tabs()  # escape in a field: back to the tab strip
            else:
                self.action_cancel_edit()
            return
        if isinstance(focused, Field) and focused.id == "filter":
            self.customer_list.focus()
