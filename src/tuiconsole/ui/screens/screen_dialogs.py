"""Small dialogs of the Outbox, Activity, Administration and Console users screens,
and the few bits those four screens share (`OtherScreen`, `refill_table`).

Text prompt, reason prompt, choice prompt, one-time password, option editor,
add console user, email preview. A dialog that changes something runs its
service call itself (through `ConsoleApp.call_service`) so a refusal shows next
to the field and the dialog stays open; it closes with the service's result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static, Switch

from tuiconsole.domain.errors import TuiconsoleError, ValidationError
from tuiconsole.domain.options import OptionSpec
from tuiconsole.resources import styles_dir
from tuiconsole.services.views import Actor, ConsoleUserView, EmailView, OptionsView, ScopeNode
from tuiconsole.ui.format import inert, plain, when
from tuiconsole.ui.screens.dialog import Dialog
from tuiconsole.ui.widgets.app_header import AppHeader
from tuiconsole.ui.widgets.field import Field

if TYPE_CHECKING:
    from tuiconsole.ui.app import ConsoleApp

R = TypeVar("R")
ROLE_CHOICES: tuple[tuple[str, str], ...] = (
    ("CSR", "csr"),
    ("Supervisor", "supervisor"),
    ("Trainer", "trainer"),
    ("Administrator", "admin"),
)
OTP_NOTICE = "Shown once: give it to the user; they must change it at next login."
OK_BINDING = Binding("ctrl+s", "ok", "OK", id="dialogs.ok")
ADMIN_CSS = styles_dir() / "admin.tcss"
OUTBOX_CSS = styles_dir() / "outbox.tcss"


def console(app: App[object]) -> ConsoleApp:
    """The running ConsoleApp (services, actor, call_service), typed."""
    return cast("ConsoleApp", app)


class OtherScreen(Screen[None]):
    """A screen opened from the navigation panel: the header, `escape` goes back."""

    BINDINGS = [Binding("escape", "back", "Back", id="screens.back")]

    def __init__(self, scope: ScopeNode | None, *, id: str) -> None:
        super().__init__(id=id)
        self.scope = scope

    @property
    def services(self) -> Any:
        return console(self.app).services

    @property
    def actor(self) -> Actor:
        actor = console(self.app).actor
        assert actor is not None, "these screens open only after sign-in"
        return actor

    def header(self) -> AppHeader:
        return AppHeader(self.app.title, console(self.app).actor, self.scope)

    def call(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], object], **kwargs: Any) -> None:
        """A service call in a thread worker owned by this screen (cancelled with it)."""
        console(self.app).call_service(fn, *args, done=done, owner=self, **kwargs)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def measure_now(table: DataTable[Any]) -> None:
    """Size the columns for the rows just added, now rather than at the table's next idle.

    Otherwise a frame can show the columns at their headers' width, cutting every cell
    short, until the table goes idle. Uses the pinned Textual's DataTable internals.
    """
    if table._require_update_dimensions:
        new_rows = set(table._new_rows)
        table._new_rows.clear()
        table._require_update_dimensions = False
        table._update_dimensions(new_rows)


def refill_table(table: DataTable[Any], rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
    """Replace a table's rows, keeping the cursor on the same row when it is still there."""
    keep: str | None = None
    if table.row_count and table.cursor_row >= 0:
        try:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - a stale cursor just starts at the top
            keep = None
    old_index = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    measure_now(table)
    if not table.row_count:
        return
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep), animate=False)
    else:
        table.move_cursor(row=min(max(old_index, 0), table.row_count - 1), animate=False)


def inert_lines(text: str) -> str:
    """Multi-line text shown literally: each line inert, the line breaks kept."""
    return "\n".join(inert(line, empty="") for line in text.splitlines())


def option_value_text(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return inert(value)


class ServiceDialog(Dialog[R], Generic[R]):
    """A dialog whose OK runs one service call: errors stay in the dialog."""

    error_id = "sd-error"

    def run_service(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.set_busy(True)
        console(self.app).call_service(
            fn, *args, done=self.service_done, failed=self.service_failed, owner=self, **kwargs
        )

    def set_busy(self, busy: bool) -> None:
        for button in self.query(Button):
            if button.id != "cancel":
                button.disabled = busy

    def service_done(self, result: Any) -> None:
        self.dismiss(result)

    def service_failed(self, error: TuiconsoleError) -> None:
        self.set_busy(False)
        self.show_error(error.message, getattr(error, "field", None))

    def show_error(self, message: str, field: str | None = None) -> None:
        # A field-specific label when the dialog has one, else the dialog's own.
        found = self.query(f"#{field}-error") if field else None
        label = found.first(Label) if found else self.query_one(f"#{self.error_id}", Label)
        for other in self.query(".sd-field-error"):
            if other is not label:
                cast(Label, other).update("")
        label.update(Text(message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "ok":
            self.action_ok()

    def action_ok(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError


class TextPrompt(ServiceDialog[Any]):
    """One line of text. With `service`, OK runs service(text) and closes with its result;
    without, it closes with the text. `check` may refuse the text first (a message)."""

    CSS_PATH = ADMIN_CSS
    BINDINGS = [OK_BINDING]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        placeholder: str = "",
        required: bool = False,
        check: Callable[[str], str | None] | None = None,
        service: Callable[[str], object] | None = None,
        ok_label: str = "OK",
    ) -> None:
        super().__init__(classes="sd-screen")
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder
        self.required = required
        self.check = check
        self.service = service
        self.ok_label = ok_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="sd-dialog", id="text-prompt"):
            yield Static(self.title_text, classes="sd-title", markup=False)
            yield Static(self.prompt, classes="sd-text", markup=False)
            yield Field(self.value, placeholder=self.placeholder, id="prompt-value")
            yield Label("", id=self.error_id, classes="sd-field-error")
            with Horizontal(classes="sd-buttons"):
                yield Button(f"{self.ok_label} (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt-value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_ok()

    def action_ok(self) -> None:
        text = self.query_one("#prompt-value", Input).value.strip()
        if self.required and not text:
            self.show_error("Please type something: it is required.")
            return
        problem = self.check(text) if self.check else None
        if problem:
            self.show_error(problem)
            return
        if self.service is None:
            self.dismiss(text)
        else:
            self.run_service(self.service, text)


def reason_prompt(title: str, question: str, service: Callable[[str], object]) -> TextPrompt:
    """A required reason (audited with the change), e.g. before disabling a user."""
    return TextPrompt(title, question, placeholder="Reason (kept in the activity log)", required=True, service=service)


class ChoicePrompt(ServiceDialog[Any]):
    """One choice from a list; OK runs service(value) and closes with its result."""

    CSS_PATH = ADMIN_CSS
    BINDINGS = [OK_BINDING]

    def __init__(
        self,
        title: str,
        prompt: str,
        choices: Sequence[tuple[str, str]],
        value: str,
        service: Callable[[str], object],
    ) -> None:
        super().__init__(classes="sd-screen")
        self.title_text = title
        self.prompt = prompt
        self.choices = list(choices)
        self.value = value
        self.service = service

    def compose(self) -> ComposeResult:
        with Vertical(classes="sd-dialog", id="choice-prompt"):
            yield Static(self.title_text, classes="sd-title", markup=False)
            yield Static(self.prompt, classes="sd-text", markup=False)
            yield Select(self.choices, value=self.value, allow_blank=False, id="choice-value")
            yield Label("", id=self.error_id, classes="sd-field-error")
            with Horizontal(classes="sd-buttons"):
                yield Button("OK (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#choice-value", Select).focus()

    def action_ok(self) -> None:
        value = self.query_one("#choice-value", Select).value
        if isinstance(value, str):
            self.run_service(self.service, value)


class OneTimePassword(Dialog[None]):
    """A console user's new temporary password: on screen here, and nowhere else, once."""

    CSS_PATH = ADMIN_CSS
    BINDINGS = [Binding("enter", "close", "Done", id="dialogs.done")]

    def __init__(self, username: str, password: str, what: str) -> None:
        super().__init__(classes="sd-screen")
        self.username = username
        self._password = password
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="sd-dialog", id="one-time-password"):
            yield Static(self.what, classes="sd-title", markup=False)
            line = Text("Temporary password for ")
            line.append(inert(self.username), style="bold")
            yield Static(line)
            yield Static(Text(self._password, style="bold"), id="otp-value", markup=False)
            yield Static(OTP_NOTICE, id="otp-notice", markup=False)
            yield Static(
                "Console users get no email. Read it out or hand it over in person.",
                classes="sd-text",
                markup=False,
            )
            with Horizontal(classes="sd-buttons"):
                yield Button("Done (enter)", id="done", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        self._password = ""  # gone with the dialog
        self.dismiss(None)


class OptionEditor(ServiceDialog[OptionsView]):
    """One Password Reset Option of one scope: set it here, or reset to inherited."""

    CSS_PATH = ADMIN_CSS
    BINDINGS = [OK_BINDING, Binding("ctrl+r", "inherit", "Reset to inherited", id="dialogs.inherit")]

    def __init__(self, view: OptionsView, spec: OptionSpec) -> None:
        super().__init__(classes="sd-screen")
        self.view = view
        self.spec = spec

    @property
    def current(self) -> object:
        return getattr(self.view.effective.values, self.spec.name)

    @property
    def set_here(self) -> bool:
        return self.spec.name in self.view.set_here

    def compose(self) -> ComposeResult:
        spec = self.spec
        origin = self.view.effective.origins[spec.name].describe()
        with Vertical(classes="sd-dialog", id="option-editor"):
            yield Static(spec.label, classes="sd-title", markup=False)
            scope = Text("Scope: ")
            scope.append(inert(self.view.scope_name), style="bold")
            yield Static(scope)
            yield Static(spec.help, classes="sd-text", markup=False)
            now = Text("Now: ")
            now.append(option_value_text(self.current), style="bold")
            now.append(f" ({inert(origin)})", style="dim")
            yield Static(now, id="opt-now")
            yield self._editor()
            yield Label("", id="opt-value-error", classes="sd-field-error")
            yield Label("", id=self.error_id, classes="sd-field-error")
            with Horizontal(classes="sd-buttons"):
                yield Button("OK (ctrl+s)", id="ok", variant="primary")
                yield Button("Reset to inherited (ctrl+r)", id="inherit", disabled=not self.set_here)
                yield Button("Cancel (esc)", id="cancel")

    def _editor(self) -> Switch | Select[str] | Input:
        spec, current = self.spec, self.current
        if spec.kind == "bool":
            return Switch(bool(current), id="opt-value")
        if spec.kind == "choice":
            choices = [(c.replace("_", " "), c) for c in spec.choices or ()]
            return Select(choices, value=str(current), allow_blank=False, id="opt-value")
        if spec.kind == "int":
            hint = f"a whole number from {spec.min} to {spec.max}"
            return Field(str(current), placeholder=hint, type="integer", id="opt-value")
        return Field(str(current), placeholder="text", id="opt-value")

    def on_mount(self) -> None:
        self.query_one("#opt-value").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_ok()

    def typed_value(self) -> object:
        widget = self.query_one("#opt-value")
        if isinstance(widget, Switch):
            return widget.value
        if isinstance(widget, Select):
            return widget.value if isinstance(widget.value, str) else None
        return cast(Input, widget).value.strip()

    def action_ok(self) -> None:
        value = self.typed_value()
        if value in (None, ""):
            # An empty field would mean "inherit": say so instead of doing it silently.
            self.show_error("Type a value, or use Reset to inherited.", "opt-value")
            return
        self._save(value)

    def action_inherit(self) -> None:
        if self.set_here:
            self._save(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "inherit":
            event.stop()
            self.action_inherit()
            return
        super().on_button_pressed(event)

    def _save(self, value: object) -> None:
        app = console(self.app)
        self.run_service(app.services.scopes.update_options, app.actor, self.view.scope_id, {self.spec.name: value})

    def service_failed(self, error: TuiconsoleError) -> None:
        # Every refusal of this option shows next to its field, even when the
        # combination rule names its partner (min_length vs max_length).
        self.set_busy(False)
        self.query_one("#inherit", Button).disabled = not self.set_here
        field = "opt-value" if isinstance(error, ValidationError) else None
        self.show_error(error.message, field)


class AddConsoleUser(ServiceDialog[tuple[ConsoleUserView, str]]):
    """Username, display name, role and scopes; closes with (user, one-time password)."""

    CSS_PATH = ADMIN_CSS
    BINDINGS = [OK_BINDING]

    def compose(self) -> ComposeResult:
        with Vertical(classes="sd-dialog", id="add-user"):
            yield Static("Add console user", classes="sd-title")
            with Grid(id="add-user-grid"):
                yield Label("Username")
                yield Field(placeholder="e.g. jo.smith", id="username")
                yield Label("")
                yield Label("", id="username-error", classes="sd-field-error")
                yield Label("Display name")
                yield Field(placeholder="e.g. Jo Smith", id="display_name")
                yield Label("")
                yield Label("", id="display_name-error", classes="sd-field-error")
                yield Label("Role")
                yield Select(ROLE_CHOICES, value="csr", allow_blank=False, id="role")
                yield Label("")
                yield Label("", id="role-error", classes="sd-field-error")
                yield Label("Scopes")
                yield Field(placeholder="scope codes, comma-separated: acme, globex-de", id="scopes")
                yield Label("")
                yield Label("", id="scopes-error", classes="sd-field-error")
            yield Label("", id=self.error_id, classes="sd-field-error")
            with Horizontal(classes="sd-buttons"):
                yield Button("Add (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_ok(self) -> None:
        app = console(self.app)
        username = self.query_one("#username", Input).value.strip()
        if not username:
            self.show_error("A username is required.", "username")
            return
        role = self.query_one("#role", Select).value
        self.run_service(
            app.services.admin.add_user,
            app.actor,
            username,
            self.query_one("#display_name", Input).value.strip() or None,
            role if isinstance(role, str) else "csr",
            split_codes(self.query_one("#scopes", Input).value),
        )


def split_codes(text: str) -> list[str]:
    """ "acme, globex-de" -> ["acme", "globex-de"] (spaces also separate)."""
    return [code for code in text.replace(",", " ").split() if code]


class EmailPreview(Dialog[None]):
    """An outbox email: metadata and its body with every secret shown as [redacted]."""

    CSS_PATH = [ADMIN_CSS, OUTBOX_CSS]
    BINDINGS = [Binding("enter", "close", "Close", show=False, id="dialogs.close_enter")]
    # Below 40 lines the metadata and a 20-line body don't fit: see outbox.tcss.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    def __init__(self, email: EmailView, text: str) -> None:
        super().__init__(classes="sd-screen")
        self.email = email
        self.text = text

    def compose(self) -> ComposeResult:
        e = self.email
        meta = Grid(id="preview-meta")
        with Vertical(classes="sd-dialog", id="email-preview"):
            yield Static(plain(e.subject, style="bold"), classes="sd-title")
            with meta:
                for label, value in (
                    ("To", e.to_address),
                    ("Template", e.template),
                    ("Status", e.status),
                    ("Attempts", e.attempts),
                    ("Created", f"{when(e.created_at)} by {e.created_by}"),
                    ("Sent", when(e.sent_at)),
                    ("Last error", e.last_error),
                    ("Message-ID", e.message_id),
                ):
                    yield Label(label, classes="meta-label")
                    yield Static(plain(value), classes="meta-value")
            with VerticalScroll(id="preview-body"):
                yield Static(Text(inert_lines(self.text)), markup=False)
            if e.carries_secret:
                yield Static(
                    "The secret of this email is never shown: the customer receives it by email.",
                    classes="sd-text",
                    markup=False,
                )
            with Horizontal(classes="sd-buttons"):
                yield Button("Close (esc)", id="close")

    def on_mount(self) -> None:
        self.query_one("#preview-body").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
