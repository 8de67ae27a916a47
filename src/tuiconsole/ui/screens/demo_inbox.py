"""The demo inbox (trainer, demo databases only): the customers' emails, as they got them.

It is the customers' mailbox, so the reset link or temporary password is shown and
copyable here (SPEC §10.6); the body is a read-only TextArea so any part of it can be
selected too. Nothing here is logged.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static, TextArea

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.resources import styles_dir
from tuiconsole.services.demo_inbox import InboxBody, InboxMessage, demo_inbox_for
from tuiconsole.ui.format import inert, when
from tuiconsole.ui.nav_screens import register_demo_inbox as _register_entry

EMPTY = "No emails yet: send a reset email from the console, then press r to refresh."
NOT_DEMO = "The demo inbox opens only on a demo database (tuiconsole demo)."


class DemoInboxScreen(Screen[None]):
    CSS_PATH = styles_dir() / "demo_inbox.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="demo_inbox.back"),
        Binding("r", "refresh_inbox", "Refresh", id="demo_inbox.refresh"),
        Binding("c", "copy_secret", "Copy link / password", id="demo_inbox.copy"),
        Binding("tab", "app.focus_next", "Next", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="demo-inbox")
        self.messages: list[InboxMessage] = []
        self.body: InboxBody | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Demo inbox — the customers' mailboxes (demo data)", style="bold"), id="inbox-title")
        with Horizontal(id="inbox-body"):
            with Vertical(id="inbox-list-pane"):
                yield DataTable(id="inbox-list", cursor_type="row", zebra_stripes=True)
                yield Static(id="inbox-count", markup=False)
            with Vertical(id="inbox-read-pane"):
                yield Static(id="inbox-headers")
                yield TextArea("", id="inbox-text", read_only=True, soft_wrap=True, show_line_numbers=False)
                yield Static(id="inbox-secrets")
                with Horizontal(id="inbox-buttons"):
                    yield Button("Copy link / password (c)", id="inbox-copy", disabled=True, compact=True)
                    yield Button("Refresh (r)", id="inbox-refresh", compact=True)
                    yield Button("Back (esc)", id="inbox-back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#inbox-list", DataTable)
        table.add_columns("Date (UTC)", "To", "Subject")
        table.focus()
        self.action_refresh_inbox()

    # --- the list ---------------------------------------------------------------

    def action_refresh_inbox(self) -> None:
        app = self.app
        inbox = demo_inbox_for(app.services)  # type: ignore[attr-defined]
        app.call_service(  # type: ignore[attr-defined]
            inbox.list, app.actor, done=self._listed, failed=self._refused, owner=self,  # type: ignore[attr-defined]
            group="demo_inbox", exclusive=True,
        )

    def _listed(self, messages: list[InboxMessage]) -> None:
        self.messages = messages
        table = self.query_one("#inbox-list", DataTable)
        table.clear()
        for m in messages:
            table.add_row(when(m.date), inert(m.to), inert(m.subject), key=m.key)
        n = len(messages)
        self.query_one("#inbox-count", Static).update(f"{n} email{'s' if n != 1 else ''}, newest first" if n else EMPTY)
        if messages:
            table.move_cursor(row=0)
            self._open(messages[0].key)
        else:
            self._show(None)

    @on(DataTable.RowHighlighted, "#inbox-list")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key and (self.body is None or self.body.message.key != key):
            self._open(key)

    def _open(self, key: str) -> None:
        app = self.app
        inbox = demo_inbox_for(app.services)  # type: ignore[attr-defined]
        app.call_service(  # type: ignore[attr-defined]
            inbox.read, app.actor, key, done=self._show, failed=self._refused, owner=self,  # type: ignore[attr-defined]
            group="demo_inbox_read", exclusive=True,
        )

    # --- one email -------------------------------------------------------------

    def _show(self, body: InboxBody | None) -> None:
        self.body = body
        headers = self.query_one("#inbox-headers", Static)
        text = self.query_one("#inbox-text", TextArea)
        secrets = self.query_one("#inbox-secrets", Static)
        copy = self.query_one("#inbox-copy", Button)
        if body is None:
            headers.update("")
            text.text = ""
            secrets.update("")
            copy.disabled = True
            return
        m = body.message
        headers.update(
            Text.assemble(
                ("From: ", "bold"), inert(m.sender), "\n",
                ("To: ", "bold"), inert(m.to), "\n",
                ("Date: ", "bold"), f"{when(m.date)} UTC", "\n",
                ("Subject: ", "bold"), inert(m.subject),
            )  # fmt: skip
        )
        # Line by line: line breaks stay, any other control character shows as its code.
        text.text = "\n".join(inert(line, empty="") for line in body.text.split("\n"))
        lines = Text()
        for s in body.secrets:
            lines.append(f"{s.label}: ", style="bold")
            lines.append(inert(s.value) + "\n")
        secrets.update(lines)
        copy.disabled = not body.secrets

    def inbox_text(self) -> str:
        return self.query_one("#inbox-text", TextArea).text

    def action_copy_secret(self) -> None:
        if self.body is None or not self.body.secrets:
            self.notify("This email has no link or temporary password to copy.", severity="warning")
            return
        secret = self.body.secrets[0]
        self.app.copy_to_clipboard(secret.value)
        self.notify(f"{secret.label} copied: paste it into the portal (tuiconsole portal).")

    @on(Button.Pressed, "#inbox-copy")
    def _copy_pressed(self) -> None:
        self.action_copy_secret()

    @on(Button.Pressed, "#inbox-refresh")
    def _refresh_pressed(self) -> None:
        self.action_refresh_inbox()

    @on(Button.Pressed, "#inbox-back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.dismiss(None)

    def _refused(self, error: TuiconsoleError) -> None:
        self.notify(error.message, severity="error", markup=False)


def open_demo_inbox(app: object) -> None:
    """The navigation entry's action: only on a demo database (the service checks again)."""
    if not getattr(app, "demo", False):
        app.notify(NOT_DEMO, severity="warning")  # type: ignore[attr-defined]
        return
    app.push_screen(DemoInboxScreen())  # type: ignore[attr-defined]


def register_demo_inbox() -> None:
    """Adds "Demo inbox" to the navigation panel for roles with DEMO_INBOX (trainers)."""
    _register_entry()  # the entry lives with the others, so the start needn't load this module
