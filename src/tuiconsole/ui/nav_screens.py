"""The navigation entries of Outbox, Activity, Administration, Console users and Demo inbox.

`register_screens()` plugs them into the navigation panel (ui/nav.py); the app
calls it once at start. Each screen opens on the main screen's selected scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuiconsole.domain.roles import Permission
from tuiconsole.services.views import ScopeNode
from tuiconsole.ui.nav import NavEntry, register_nav_entry

if TYPE_CHECKING:
    from tuiconsole.ui.app import ConsoleApp


def selected_scope(app: ConsoleApp) -> ScopeNode | None:
    """The app's selected scope: `app.scope` if it has one, else the top screen's that has one."""
    scope = getattr(app, "scope", None)
    if isinstance(scope, ScopeNode):
        return scope
    for screen in reversed(app.screen_stack):
        scope = getattr(screen, "scope", None)
        if isinstance(scope, ScopeNode):
            return scope
    return None


def open_outbox(app: ConsoleApp) -> None:
    from tuiconsole.ui.screens.outbox import OutboxScreen

    app.push_screen(OutboxScreen(selected_scope(app)))


def open_activity(app: ConsoleApp) -> None:
    from tuiconsole.ui.screens.activity import ActivityScreen

    app.push_screen(ActivityScreen(selected_scope(app)))


def open_reset_options(app: ConsoleApp) -> None:
    from tuiconsole.ui.screens.admin_options import ResetOptionsScreen

    app.push_screen(ResetOptionsScreen(selected_scope(app)))


def open_console_users(app: ConsoleApp) -> None:
    from tuiconsole.ui.screens.console_users import ConsoleUsersScreen

    app.push_screen(ConsoleUsersScreen(selected_scope(app)))


def open_demo_inbox(app: ConsoleApp) -> None:
    # The inbox's module (DataTable, TextArea) loads on first use, not at every start.
    from tuiconsole.ui.screens.demo_inbox import open_demo_inbox as open_inbox

    open_inbox(app)


def register_demo_inbox() -> None:
    """Adds "Demo inbox" to the navigation panel for roles with DEMO_INBOX (trainers)."""
    register_nav_entry(NavEntry("demo_inbox", "Demo inbox", Permission.DEMO_INBOX, open_demo_inbox, order=50))


def register_screens() -> None:
    """Add the four entries, in the SPEC's order after Customers (idempotent)."""
    register_nav_entry(NavEntry("outbox", "Outbox", Permission.VIEW, open_outbox, order=10))
    register_nav_entry(NavEntry("activity", "Activity", Permission.VIEW, open_activity, order=20))
    register_nav_entry(NavEntry("administration", "Administration", Permission.SUPERVISE, open_reset_options, order=30))
    register_nav_entry(
        NavEntry("console_users", "Console users", Permission.MANAGE_USERS, open_console_users, order=40)
    )
