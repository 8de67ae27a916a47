"""Console users (SPEC §2, admin only): add, role, scopes, password, disable, unlock.

A console user's new password is a one-time temporary password shown to the
admin once, in its own dialog; console users get no email.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from tuiconsole.services.views import ConsoleUserView, ScopeNode
from tuiconsole.ui.format import inert, plain, when
from tuiconsole.ui.screens.confirm import ConfirmScreen
from tuiconsole.ui.screens.screen_dialogs import (
    ADMIN_CSS,
    ROLE_CHOICES,
    AddConsoleUser,
    ChoicePrompt,
    OneTimePassword,
    OtherScreen,
    TextPrompt,
    reason_prompt,
    refill_table,
    split_codes,
)

COLUMNS = ("Username", "Name", "Role", "Status", "Locked", "Scopes", "Last login")
USER_ACTIONS = {"reset_password", "toggle_disabled", "unlock", "change_role", "change_scopes"}


def user_cells(u: ConsoleUserView) -> list[Text]:
    status = u.status + (", must change password" if u.must_change_password else "")
    return [
        plain(u.username),
        plain(u.display_name),
        plain(u.role),
        plain(status, style="bold red" if u.status == "disabled" else ""),
        plain("locked" if u.locked else "no", style="bold red" if u.locked else "dim"),
        plain(", ".join(u.scope_codes) if u.scope_codes else "all scopes" if u.role == "admin" else None),
        plain(when(u.last_login_at, empty="never")),
    ]


class ConsoleUsersScreen(OtherScreen):
    CSS_PATH = ADMIN_CSS
    BINDINGS = [
        Binding("a", "add_user", "Add user", id="users.add"),
        Binding("p", "reset_password", "Reset password", id="users.password"),
        Binding("d", "toggle_disabled", "Disable/enable", id="users.disable"),
        Binding("u", "unlock", "Unlock", id="users.unlock"),
        Binding("o", "change_role", "Role", id="users.role"),
        Binding("g", "change_scopes", "Scopes", id="users.scopes"),
        Binding("f5", "reload", "Refresh", id="users.refresh"),
    ]

    def __init__(self, scope: ScopeNode | None = None) -> None:
        super().__init__(scope, id="console-users")
        self.users: dict[str, ConsoleUserView] = {}

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("Console users", classes="screen-title")
        yield Static(
            "a add · p reset password · d disable/enable · u unlock · o role · g scopes",
            classes="screen-hint",
            markup=False,
        )
        table: DataTable[Text] = DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call(self.services.admin.list_users, self.actor, done=self.show_users)

    def show_users(self, users: list[ConsoleUserView]) -> None:
        self.users = {str(u.id): u for u in users}
        refill_table(self.query_one(DataTable), ((str(u.id), user_cells(u)) for u in users))
        self.refresh_bindings()

    @property
    def selected(self) -> ConsoleUserView | None:
        tables = self.query(DataTable)
        if not tables or not tables.first().row_count:
            return None
        table = tables.first()
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.users.get(key or "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in USER_ACTIONS:
            user = self.selected if self.is_mounted else None
            if user is None:
                return None
            if action == "unlock":
                return True if user.locked else None
        return True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    # --- after a change ---------------------------------------------------------------

    def changed(self, message: str) -> Any:
        def done(result: object) -> None:
            if result is None:
                return  # cancelled
            self.app.notify(message, markup=False)
            self.action_reload()

        return done

    # --- actions ------------------------------------------------------------------------

    def action_add_user(self) -> None:
        self.app.push_screen(AddConsoleUser(classes="sd-screen"), self.added)

    def added(self, result: tuple[ConsoleUserView, str] | None) -> None:
        if result is None:
            return
        user, password = result
        self.action_reload()
        self.app.push_screen(OneTimePassword(user.username, password, f"Console user {user.username} added"))

    def action_reset_password(self) -> None:
        user = self.selected
        if user is None:
            return
        admin, actor = self.services.admin, self.actor

        def answer(yes: bool | None) -> None:
            if yes:
                self.call(admin.reset_password, actor, user.id, done=lambda pw: self.password_reset(user, pw))

        self.app.push_screen(
            ConfirmScreen(
                "Reset console password",
                f"Give {inert(user.username)} a new temporary password? Their current password stops working at once.",
            ),
            answer,
        )

    def password_reset(self, user: ConsoleUserView, password: str) -> None:
        self.action_reload()
        self.app.push_screen(OneTimePassword(user.username, password, f"Password of {user.username} reset"))

    def action_toggle_disabled(self) -> None:
        user = self.selected
        if user is None:
            return
        admin, actor = self.services.admin, self.actor
        if user.status == "disabled":
            self.call(admin.enable, actor, user.id, done=self.changed(f"{user.username} enabled."))
            return
        self.app.push_screen(
            reason_prompt(
                f"Disable {user.username}",
                f"Why is {user.username} disabled? They can't log in to the console until enabled.",
                lambda reason: admin.disable(actor, user.id, reason),
            ),
            self.changed(f"{user.username} disabled."),
        )

    def action_unlock(self) -> None:
        user = self.selected
        if user is None or not user.locked:
            return
        self.call(self.services.admin.unlock, self.actor, user.id, done=self.changed(f"{user.username} unlocked."))

    def action_change_role(self) -> None:
        user = self.selected
        if user is None:
            return
        admin, actor = self.services.admin, self.actor
        self.app.push_screen(
            ChoicePrompt(
                f"Role of {user.username}",
                "CSR: customers. Supervisor, trainer: also options, locks, activity export. "
                "Administrator: also console users, every scope.",
                ROLE_CHOICES,
                user.role,
                lambda role: admin.set_role(actor, user.id, role),
            ),
            self.changed(f"Role of {user.username} saved."),
        )

    def action_change_scopes(self) -> None:
        user = self.selected
        if user is None:
            return
        admin, actor = self.services.admin, self.actor
        self.app.push_screen(
            TextPrompt(
                f"Scopes of {user.username}",
                "Scope codes, comma-separated; a scope grants its whole subtree.",
                value=", ".join(user.scope_codes),
                placeholder="e.g. acme, globex-de",
                service=lambda text: admin.set_scopes(actor, user.id, split_codes(text)),
            ),
            self.changed(f"Scopes of {user.username} saved."),
        )
