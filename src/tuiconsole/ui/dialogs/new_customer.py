"""New customer (`n` in the customer list): a customer has no password until the
reset email is used, so saving also sends it unless the CSR unticks the box."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tuiconsole.domain.errors import TuiconsoleError, ValidationError
from tuiconsole.resources import styles_dir
from tuiconsole.services.views import ActionResult, Actor, CustomerDetails, ScopeNode

FIELDS = (
    ("username", "Username"),
    ("email", "Email"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("phone", "Phone"),
)
NewCustomerResult = tuple[CustomerDetails, ActionResult | None]


class NewCustomer(ModalScreen[NewCustomerResult | None]):
    CSS_PATH = styles_dir() / "set_password.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_customer.cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="new_customer.save"),
    ]

    def __init__(self, services: Any, actor: Actor, sites: list[ScopeNode]) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.sites = sites
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="set-password", classes="new-customer"):
            yield Static(Text("New customer", style="bold"), id="nc-title")
            with VerticalScroll(id="sp-body"):
                yield Label("Site")
                yield Select(
                    [(s.path, s.id) for s in self.sites],
                    value=self.sites[0].id if len(self.sites) == 1 else Select.BLANK,
                    prompt="Choose the site…",
                    id="nc-site",
                )
                yield Label("", id="nc-site-error", classes="field-error")
                for name, label in FIELDS:
                    yield Label(label)
                    yield Input(id=f"nc-{name}", max_length=320)
                    yield Label("", id=f"nc-{name}-error", classes="field-error")
                yield Label("Retailer account (optional)")
                yield Select([], prompt="None", id="nc-account", allow_blank=True)
                yield Checkbox(
                    "Send the Reset Password email (always reset the password of a new customer)",
                    value=True,
                    id="nc-send-reset",
                )
            yield Label("", id="nc-error", classes="error")
            with Horizontal(id="sp-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="nc-save")
                yield Button("Cancel", id="nc-cancel")

    def on_mount(self) -> None:
        self.query_one("#nc-username", Input).focus()
        self._load_accounts()

    @on(Select.Changed, "#nc-site")
    def _site_changed(self) -> None:
        self._load_accounts()

    def _site_id(self) -> int | None:
        value = self.query_one("#nc-site", Select).value
        return value if isinstance(value, int) else None

    def _load_accounts(self) -> None:
        site_id = self._site_id()
        select = self.query_one("#nc-account", Select)
        if site_id is None:
            select.set_options([])
            return
        self.app.call_service(  # type: ignore[attr-defined]
            self.services.customers.accounts,
            self.actor,
            site_id,
            done=lambda rows: select.set_options([(name, acc_id) for acc_id, name in rows]),
            owner=self,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#nc-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#nc-save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self._busy:
            return
        for label in self.query(".field-error, #nc-error").results(Label):
            label.update("")
        site_id = self._site_id()
        if site_id is None:
            self.query_one("#nc-site-error", Label).update("Choose the site the customer logs in to.")
            return
        values = {name: self.query_one(f"#nc-{name}", Input).value for name, _ in FIELDS}
        account = self.query_one("#nc-account", Select).value
        self._busy = True
        self.app.call_service(  # type: ignore[attr-defined]
            self.services.customers.create,
            self.actor,
            site_id,
            account_id=account if isinstance(account, int) else None,
            send_reset_email=self.query_one("#nc-send-reset", Checkbox).value,
            done=self.dismiss,
            failed=self._refused,
            owner=self,
            **values,
        )

    def _refused(self, error: TuiconsoleError) -> None:
        self._busy = False
        field = error.field if isinstance(error, ValidationError) else None
        target = f"#nc-{field}-error" if field and self.query(f"#nc-{field}-error") else "#nc-error"
        self.query_one(target, Label).update(Text(error.message))
