"""The four screens in the navigation panel: by role, opened on the selected scope, escape back."""

from __future__ import annotations

from screens_kit import settle

from testkit import actor
from tuiconsole.ui.app import make_app
from tuiconsole.ui.nav import entries_for
from tuiconsole.ui.nav_screens import register_screens
from tuiconsole.ui.screens.activity import ActivityScreen
from tuiconsole.ui.screens.admin_options import ResetOptionsScreen
from tuiconsole.ui.screens.console_users import ConsoleUsersScreen
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.screens.outbox import OutboxScreen
from tuiconsole.ui.widgets.nav_panel import NavPanel


def test_entries_follow_the_role(seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    register_screens()
    register_screens()  # idempotent: the app may call it more than once
    ids = lambda who: [e.id for e in entries_for(actor(seeded_sqlite, who))]  # noqa: E731
    assert ids("ada.admin") == ["customers", "outbox", "activity", "administration", "console_users"]
    assert ids("sam.supervisor") == ["customers", "outbox", "activity", "administration"]
    assert ids("tara.trainer")[:4] == ["customers", "outbox", "activity", "administration"]
    assert "console_users" not in ids("tara.trainer")
    assert ids("casey.csr")[:3] == ["customers", "outbox", "activity"]
    assert "administration" not in ids("casey.csr")


def test_order_does_not_depend_on_which_module_registered_first(seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    from tuiconsole.ui.screens.demo_inbox import register_demo_inbox

    register_demo_inbox()  # e.g. a trainer's flow registered before the app started
    register_screens()
    ids = [e.id for e in entries_for(actor(seeded_sqlite, "tara.trainer"))]
    assert ids == ["customers", "outbox", "activity", "administration", "demo_inbox"]


async def test_each_screen_opens_from_the_panel_and_escape_goes_back(seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    register_screens()
    app = make_app(seeded_sqlite, actor=actor(seeded_sqlite, "ada.admin"), clock=clock, animations=False)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        for entry_id, kind in (
            ("outbox", OutboxScreen),
            ("activity", ActivityScreen),
            ("administration", ResetOptionsScreen),
            ("console_users", ConsoleUsersScreen),
        ):
            panel = main.query_one(NavPanel)
            panel.focus()
            panel.highlighted = [e.id for e in panel.entries].index(entry_id)
            await pilot.press("enter")
            await settle(pilot, lambda kind=kind: isinstance(app.screen, kind))
            assert app.screen.scope == main.scope  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot, lambda: app.screen is main)
