"""The customer details panel: view mode, edit mode, tabs (SPEC §2 steps 4, 5, 7 and 8).

The tabs' actions live in customer_actions.py; the Last action box in last_action.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, OptionList, Static, TabbedContent, Tabs
from textual.widgets.option_list import Option

from tuiconsole.domain.errors import Conflict, TuiconsoleError, ValidationError
from tuiconsole.services.container import Services
from tuiconsole.services.views import (
    ActionResult,
    ActivityView,
    Actor,
    CustomerDetails,
    CustomerRow,
    EmailView,
    MembershipView,
    ProfileChanges,
)
from tuiconsole.ui.format import inert, plain, when
from tuiconsole.ui.widgets.account_view import account_facts, lock_banner
from tuiconsole.ui.widgets.activity_view import activity_options, email_id_of
from tuiconsole.ui.widgets.customer_actions import CustomerActions, may_supervise
from tuiconsole.ui.widgets.details_body import PROFILE_FIELDS, DetailsBody
from tuiconsole.ui.widgets.field import Field
from tuiconsole.ui.widgets.last_action import LastAction, LastActionBox
from tuiconsole.ui.widgets.offers_view import membership_note, membership_option

TABS = ("profile", "account", "offers", "contacts", "activity")


@dataclass(frozen=True)
class CustomerBundle:
    """Everything the panel shows, read in one worker."""

    details: CustomerDetails
    contacts: list[CustomerRow]
    activity: list[ActivityView]
    emails: list[EmailView]
    memberships: list[MembershipView] | None = field(default=None)


POLL_SECONDS = 3.0  # how often the Last action box looks at an email on its way
BUTTON_ACTIONS = {
    "edit": "edit",
    "ok": "ok",
    "cancel": "cancel_edit",
    "reset-password": "reset_password",
    "unlock": "unlock",
    "lock": "lock",
    "disable": "disable",
    "enable": "enable",
    "grant-offer": "grant_offer",
    "resend-credentials": "resend_credentials",
    "membership-password": "membership_password",
    "activity-retry": "retry_email",
}
EDIT_BUTTONS = ("reset-password", "unlock", "grant-offer", "resend-credentials", "membership-password")


def load_bundle(services: Services, actor: Actor, customer_id: int) -> CustomerBundle:
    customers = services.customers
    details = customers.get(actor, customer_id)
    return CustomerBundle(
        details=details,
        contacts=customers.contacts(actor, customer_id),
        activity=customers.activity(actor, customer_id, limit=100),
        emails=customers.emails(actor, customer_id, limit=50),
        memberships=services.offers.memberships(actor, customer_id),
    )


class DetailsPanel(CustomerActions, Vertical):
    """Shows one customer; `e` edits, `ctrl+s` saves, `escape` backs out."""

    class OpenCustomer(Message):
        def __init__(self, customer_id: int) -> None:
            super().__init__()
            self.customer_id = customer_id

    class Changed(Message):
        """A save or an unlock changed the customer: the list may show it differently."""

    def __init__(self) -> None:
        super().__init__(id="details")
        self.bundle: CustomerBundle | None = None
        self.editing = False
        self.saving = False
        self._originals: dict[str, str] = {}
        self.last_action: LastAction | None = None
        # What the screen's check_action last saw (a customer open, edit mode): the
        # footer is rebuilt only when that changes, not on every open.
        self._keys_state: tuple[bool, bool] | None = None
        self._body_building = False
        self._body_ready = False
        self._waiting: CustomerBundle | None = None  # loaded before the body was mounted

    @property
    def details(self) -> CustomerDetails | None:
        return self.bundle.details if self.bundle else None

    def compose(self) -> ComposeResult:
        yield Static(
            "Open a customer: Enter or double-click in the list.", id="details-empty", markup=False
        )

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.poll_last_action)

    # --- the body ---------------------------------------------------------------

    @property
    def body_ready(self) -> bool:
        """The tabs, fields and buttons are mounted (see build_body)."""
        return self._body_ready

    def build_body(self) -> None:
        """Mount the body (hidden) unless it is there or on its way: on the first open,
        while that customer loads, so the console's start does not build ~70 widgets
        nobody sees yet."""
        if self._body_building:
            return
        self._body_building = True
        self.call_later(self._mount_body)

    async def _mount_body(self) -> None:
        await self.mount(DetailsBody(supervisor=may_supervise(getattr(self.app, "actor", None))))
        self._body_ready = True
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.show(waiting)

    # --- loading ------------------------------------------------------------

    def open(self, customer_id: int) -> None:
        self.build_body()  # a no-op once built; the customer loads meanwhile
        app = self.app
        app.call_service(  # type: ignore[attr-defined]
            load_bundle,
            app.services,  # type: ignore[attr-defined]
            app.actor,  # type: ignore[attr-defined]
            customer_id,
            done=self._loaded,
            owner=self,
            group="details",
            exclusive=True,
        )

    def reload(self) -> None:
        if self.details is not None:
            self.open(self.details.id)

    def _loaded(self, bundle: CustomerBundle) -> None:
        if self._body_ready:
            self.show(bundle)
        else:
            self._waiting = bundle  # shown once the body is mounted (the newest wins)

    def show(self, bundle: CustomerBundle) -> None:
        self.bundle = bundle
        d = bundle.details
        self.query_one("#details-empty").display = False
        self.query_one("#details-body").display = True
        title = Text()
        title.append_text(plain(d.name or d.username, style="bold"))
        title.append(" (")
        title.append(inert(d.username))
        title.append(") · ")
        title.append(inert(d.scope_path))
        self.query_one("#details-title", Static).update(title)
        self._originals = {}
        for name, _ in PROFILE_FIELDS:
            value = inert(getattr(d, name), empty="")
            self._originals[name] = value
            self.query_one(f"#field-{name}", Field).value = value
        extra = Text()
        extra.append("Retailer account: ")
        extra.append(inert(d.account_name, "none"))
        extra.append(f"\nRegistered: {when(d.created_at)}")
        if d.updated_at is not None:
            extra.append(f"\nLast changed: {when(d.updated_at)} by ")
            extra.append(inert(d.updated_by))
        self.query_one("#profile-extra", Static).update(extra)
        banner = lock_banner(d)
        banner_widget = self.query_one("#lock-banner", Static)
        banner_widget.display = banner is not None
        banner_widget.update(banner or "")
        self.query_one("#account-facts", Static).update(account_facts(d))
        self._show_offers(bundle)
        self._show_contacts(bundle)
        self._show_activity(bundle)
        self._follow_last_action(bundle)
        self._set_editing(self.editing and not self.saving)

    def _show_offers(self, bundle: CustomerBundle) -> None:
        info = self.query_one("#offers-info", Static)
        options = self.query_one("#offers-list", OptionList)
        keep = options.highlighted
        options.clear_options()
        memberships = bundle.memberships or []
        if not memberships:
            info.update(Text("No memberships.", style="dim"))
        else:
            info.update(Text("Memberships (↑/↓ chooses one):", style="bold"))
            options.add_options([membership_option(m) for m in memberships])
            options.highlighted = keep if keep is not None and keep < len(memberships) else 0
        options.display = bool(memberships)
        self._show_membership_note()

    def _show_membership_note(self) -> None:
        m = self.selected_membership()
        self.query_one("#offers-note", Static).update(membership_note(m))
        self.query_one("#membership-password", Button).disabled = not (
            self.editing and m is not None and m.has_password_field
        )

    def _show_activity(self, bundle: CustomerBundle) -> None:
        options = self.query_one("#activity-list", OptionList)
        keep = options.highlighted
        options.clear_options()
        entries = activity_options(bundle.activity, bundle.emails)
        options.add_options(entries)
        if entries:
            options.highlighted = keep if keep is not None and keep < len(entries) else 0
        failed = sum(1 for e in bundle.emails if e.status == "failed")
        head = Text("Newest first; emails show their delivery.", style="dim") if entries else Text(
            "No activity yet.", style="dim"
        )
        if failed:
            head = Text(f"{failed} failed email{'s' if failed != 1 else ''}: choose one, then Retry (t).")
        self.query_one("#activity-info", Static).update(head)
        self._sync_activity_retry()

    def _sync_activity_retry(self) -> None:
        options = self.query_one("#activity-list", OptionList)
        chosen = None
        if options.highlighted is not None and options.option_count:
            chosen = email_id_of(options.get_option_at_index(options.highlighted).id)
        failed = {e.id for e in self.bundle.emails if e.status == "failed"} if self.bundle else set()
        self.query_one("#activity-retry", Button).disabled = chosen not in failed

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "offers-list":
            self._show_membership_note()
        elif event.option_list.id == "activity-list":
            self._sync_activity_retry()

    def _show_contacts(self, bundle: CustomerBundle) -> None:
        info = self.query_one("#contacts-info", Static)
        options = self.query_one("#contacts-list", OptionList)
        options.clear_options()
        d = bundle.details
        if d.account_id is None:
            info.update(Text("Not a contact of a retailer account.", style="dim"))
            return
        head = Text("Other contacts of ")
        head.append(inert(d.account_name), style="bold")
        head.append(" (Enter opens one):" if bundle.contacts else ": none")
        info.update(head)
        for row in bundle.contacts:
            label = Text()
            label.append(inert(row.name), style="bold")
            label.append(f" ({inert(row.username)}) ")
            label.append(inert(row.email), style="dim")
            options.add_option(Option(label, id=str(row.id)))
        if bundle.contacts:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "contacts-list" and event.option.id:
            event.stop()
            self.post_message(self.OpenCustomer(int(event.option.id)))
        elif event.option_list.id == "activity-list" and not self.query_one("#activity-retry", Button).disabled:
            event.stop()
            self.retry_email()  # Enter on a failed email retries it

    # --- the Last action box -----------------------------------------------------

    def action_done(self, result: ActionResult) -> None:
        """An action on the open customer: the Last action box, a toast, the new state."""
        self.last_action = LastAction(result)
        self._show_last_action()
        self.app.notify(inert(result.summary), markup=False)
        poke = getattr(self.app, "poke_dispatcher", None)
        if result.email_id is not None and poke is not None:
            poke()  # the email goes out now rather than at the next pass
        self.reload()
        self.post_message(self.Changed())

    def show_result(self, result: ActionResult) -> None:
        """A dialog's result (the toast is the app's): the box, then the new state."""
        self.last_action = LastAction(result)
        self._show_last_action()
        self.reload()

    def refused(self, title: str, error: TuiconsoleError) -> None:
        self.app.notify(error.message, title=title, severity="error", markup=False)
        self.reload()  # the refusal may come from a state this panel had not seen yet

    def _show_last_action(self) -> None:
        for box in self.query(LastActionBox):
            box.show(self.last_action)

    def _follow_last_action(self, bundle: CustomerBundle) -> None:
        last = self.last_action
        if last is None:
            return
        if last.customer_id != bundle.details.id:
            self.last_action = None  # another customer: the box belongs to the last one
        else:
            email = next((e for e in bundle.emails if e.id == last.email_id), None)
            self.last_action = last.with_email(email)
        self._show_last_action()

    def poll_last_action(self) -> None:
        """While the last action's email is on its way, look at it again (a worker)."""
        last = self.last_action
        if last is None or not last.waiting or last.customer_id is None:
            return
        app = self.app
        app.call_service(  # type: ignore[attr-defined]
            app.services.outbox.list,  # type: ignore[attr-defined]
            app.actor,  # type: ignore[attr-defined]
            customer_id=last.customer_id,
            limit=20,
            done=self._polled,
            failed=lambda _error: None,  # the next tick tries again
            owner=self,
            group="last-action",
            exclusive=True,
        )

    def _polled(self, emails: list[EmailView]) -> None:
        last = self.last_action
        if last is None:
            return
        email = next((e for e in emails if e.id == last.email_id), None)
        if email is not None and email != last.email:
            self.last_action = last.with_email(email)
            self._show_last_action()
            if email.status not in ("queued", "sending"):
                self.reload()  # the Activity tab shows the delivery too

    # --- modes ----------------------------------------------------------------

    def focus_tabs(self) -> None:
        self.query_one("#details-tabs", TabbedContent).query_one(Tabs).focus()

    def show_tab(self, tab: str) -> None:
        if self.details is not None and tab in TABS:
            self.query_one("#details-tabs", TabbedContent).active = tab

    def start_edit(self) -> None:
        if self.details is None:
            return
        self._set_editing(True)
        self.focus_tabs()  # not a field: `e 2 r` must type nothing

    def _set_editing(self, editing: bool) -> None:
        self.editing = editing
        for name, _ in PROFILE_FIELDS:
            self.query_one(f"#field-{name}", Field).disabled = not editing
        for name in EDIT_BUTTONS:
            self.query_one(f"#{name}", Button).disabled = not editing
        d = self.details
        supervisor = may_supervise(getattr(self.app, "actor", None))
        staff_locked = d is not None and d.lock_kind == "staff"
        disabled = d is not None and d.status == "disabled"
        self.query_one("#lock", Button).disabled = not (editing and supervisor and not staff_locked and not disabled)
        self.query_one("#disable", Button).disabled = not (editing and supervisor and not disabled)
        self.query_one("#enable", Button).disabled = not (editing and supervisor and (disabled or staff_locked))
        if self.bundle is not None:
            self._show_membership_note()
        self.query_one("#edit", Button).disabled = editing or self.details is None
        self.query_one("#ok", Button).disabled = not editing
        self.query_one("#cancel", Button).disabled = not editing
        mode = self.query_one("#details-mode", Static)
        if editing:
            mode.update(Text("Edit mode — ctrl+s OK, escape Cancel", style="bold"))
        else:
            mode.update(Text("View mode — e Edit", style="dim"))
        self.set_class(editing, "-editing")
        keys_state = (self.details is not None, editing)
        if keys_state != self._keys_state:
            self._keys_state = keys_state
            self.screen.refresh_bindings()  # the footer shows only the keys that work now

    def field_values(self) -> dict[str, str]:
        return {name: self.query_one(f"#field-{name}", Field).value for name, _ in PROFILE_FIELDS}

    def changed_fields(self) -> dict[str, str]:
        return {k: v for k, v in self.field_values().items() if v != self._originals.get(k, "")}

    def is_dirty(self) -> bool:
        return self.editing and bool(self.changed_fields())

    def leave_edit(self) -> None:
        """Drop the changes and go back to view mode."""
        for name, value in self._originals.items():
            self.query_one(f"#field-{name}", Field).value = value
        self._set_editing(False)
        self.focus_tabs()

    # --- saving ---------------------------------------------------------------

    def save(self, verified_by: str | None = None) -> bool:
        """OK: save the changed fields. False when it must first ask Caller verified by."""
        d = self.details
        if d is None or not self.editing or self.saving:
            return True
        changed = self.changed_fields()
        if not changed:
            self._set_editing(False)
            self.focus_tabs()
            return True
        if "email" in changed and verified_by is None:
            return False
        self.saving = True
        app = self.app
        app.call_service(  # type: ignore[attr-defined]
            app.services.customers.update_profile,  # type: ignore[attr-defined]
            app.actor,  # type: ignore[attr-defined]
            d.id,
            d.version,
            ProfileChanges(**changed),
            verified_by=verified_by if "email" in changed else None,
            done=self._saved,
            failed=self._save_failed,
            owner=self,
            group="save",
        )
        return True

    def _saved(self, details: CustomerDetails) -> None:
        self.saving = False
        self._set_editing(False)
        self.app.notify(f"Saved {inert(details.username)}.", markup=False)
        self.focus_tabs()
        self.reload()
        self.post_message(self.Changed())

    def _save_failed(self, error: TuiconsoleError) -> None:
        self.saving = False
        if isinstance(error, Conflict):
            # SPEC §10.10: say who changed it, then show the current state.
            self.app.notify(error.message, title="Not saved", severity="error", markup=False)
            self._set_editing(False)
            self.reload()
            self.focus_tabs()
            return
        self.app.notify(error.message, title="Not saved", severity="error", markup=False)
        if isinstance(error, ValidationError) and error.field:
            fields = self.query(f"#field-{error.field}")
            if fields:
                fields.first().focus()

    # --- buttons --------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        screen = self.screen
        if "last-action-retry" in event.button.classes:
            action: str | None = "retry_email"
        else:
            action = BUTTON_ACTIONS.get(event.button.id or "")
        if action:
            self.app.call_later(screen.run_action, action)
