"""SPEC §2 flow steps 1–5 and 8, by keyboard alone and by mouse."""

from __future__ import annotations

from textual.widgets import TabbedContent, Tabs
from uikit import settle

from testkit import customer_id
from tuiconsole.ui.screens.confirm import ConfirmScreen
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.screens.scope_picker import ScopePickerScreen
from tuiconsole.ui.widgets.customer_list import CustomerList

pytest_plugins = ("uifixtures",)  # the console_app fixture


def main(app) -> MainScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, MainScreen), app.screen
    return app.screen


async def open_main(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    await settle(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    screen = main(pilot.app)
    await settle(pilot, lambda: not screen.customer_list.searching)
    return screen


async def pick_scope_and_open(pilot, scope_code: str, query: str) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = await open_main(pilot)
    await pilot.press("s")
    await settle(pilot, lambda: isinstance(pilot.app.screen, ScopePickerScreen))
    await pilot.press(*scope_code)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot, lambda: screen.scope is not None and screen.scope.code == scope_code)
    await pilot.press("slash", *query)
    clist = screen.customer_list
    await settle(pilot, lambda: clist.query_.text == query and not clist.searching and clist.current is not None)  # type: ignore[union-attr]
    await pilot.press("enter")
    await settle(pilot, lambda: screen.details.details is not None)
    return screen


async def test_flow_by_keyboard(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    opened: list[str] = []
    app.open_set_password = lambda details: opened.append(details.username)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        assert screen.query_one("#count").render().plain == "1 customer"  # type: ignore[attr-defined]
        panel = screen.details
        assert panel.details is not None and panel.details.username == "jdoe"
        assert not panel.editing

        await pilot.press("e")
        await settle(pilot)
        assert panel.editing
        assert isinstance(app.focused, Tabs)  # focus on the tab strip, not in a field

        await pilot.press("2", "r")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "account"
        assert opened == ["jdoe"]  # Reset Password reached the extension point
        assert panel.field_values() == {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@example.com",
            "phone": "+1 202 555 0100",
        }  # `e 2 r` typed nothing into a profile field

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not panel.editing  # OK left edit mode (nothing changed, nothing saved)


async def test_edit_and_save_profile(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        panel = screen.details
        before = panel.details.version  # type: ignore[union-attr]
        await pilot.press("e", "tab")
        await settle(pilot)
        assert app.focused is panel.query_one("#field-first_name")
        await pilot.press("ctrl+a", *"Janet")  # ctrl+a: to the start, then type
        await pilot.press("escape")  # escape in a field: back to the tab strip
        await settle(pilot)
        assert isinstance(app.focused, Tabs) and panel.editing
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not panel.editing and panel.details.first_name != "Jane")  # type: ignore[union-attr]
        saved = seeded_sqlite.customers.get(app.actor, panel.details.id)  # type: ignore[union-attr]
        assert saved.first_name == "JanetJane"
        assert saved.version == before + 1


async def test_email_change_asks_caller_verified_by(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    from tuiconsole.ui.screens.verified_by import VerifiedByScreen

    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        panel = screen.details
        await pilot.press("e")
        panel.query_one("#field-email").value = "jane.new@example.com"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, VerifiedByScreen))
        await pilot.press("down", "enter")  # security question
        await settle(pilot, lambda: not panel.editing)
        activity = seeded_sqlite.customers.activity(app.actor, panel.details.id)  # type: ignore[union-attr]
        assert activity[0].action == "profile_updated"
        assert activity[0].details["verified_by"] == "security question"
        assert panel.details.email == "jane.new@example.com"  # type: ignore[union-attr]


async def test_conflict_shows_who_changed_it_and_reloads(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    from tuiconsole.services.views import ProfileChanges

    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        panel = screen.details
        cid = panel.details.id  # type: ignore[union-attr]
        await pilot.press("e")
        panel.query_one("#field-last_name").value = "Mine"  # type: ignore[attr-defined]
        sam = seeded_sqlite.auth.demo_login("sam.supervisor").actor
        seeded_sqlite.customers.update_profile(sam, cid, panel.details.version, ProfileChanges(last_name="Theirs"))  # type: ignore[union-attr]
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: panel.details.last_name == "Theirs")  # type: ignore[union-attr]
        assert not panel.editing
        messages = [n.message for n in app._notifications]
        assert any("this customer was changed by sam.supervisor at 2026-11-23 09:00" in m for m in messages)


async def test_flow_by_mouse(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        screen.set_scope(seeded_sqlite.scopes.by_code(app.actor, "acme-us"))
        await settle(pilot, lambda: not screen.customer_list.searching)
        clist = screen.query_one(CustomerList)
        await pilot.click(CustomerList, offset=(5, 3))  # border + header: third row
        await settle(pilot)
        assert clist.cursor == 1 and screen.details.details is None  # one click moves only
        await pilot.double_click(CustomerList, offset=(5, 3))
        await settle(pilot, lambda: screen.details.details is not None)
        assert screen.details.details.id == clist.current.id  # type: ignore[union-attr]
        await pilot.click("#edit")
        await settle(pilot)
        assert screen.details.editing
        await pilot.click("#details-tabs Tab#--content-tab-account")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "account"
        await pilot.click("#ok")
        await settle(pilot)
        assert not screen.details.editing


async def test_quit_asks_during_unsaved_edit(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        await pilot.press("e")
        screen.details.query_one("#field-phone").value = "+1 202 555 0199"  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and main(app).details.is_dirty()
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_without_edits_does_not_ask(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await open_main(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not isinstance(app.screen_stack[-1] if app.screen_stack else None, ConfirmScreen)
    assert app.return_code == 0


async def test_cancel_asks_when_changed(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        await pilot.press("e")
        screen.details.query_one("#field-phone").value = "+1 202 555 0199"  # type: ignore[attr-defined]
        await pilot.press("escape")  # focus is on the tab strip: escape = Cancel
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
        assert not screen.details.editing
        assert screen.details.field_values()["phone"] == "+1 202 555 0100"


async def test_contacts_tab_opens_a_contact(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "initech-b2b", "h.tanaka")
        await pilot.press("4")
        await settle(pilot)
        contacts = screen.details.query_one("#contacts-list")
        assert contacts.option_count == 3  # type: ignore[attr-defined]
        contacts.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: screen.details.details.username != "h.tanaka")  # type: ignore[union-attr]
        assert screen.details.details.account_name == "Northwind Traders"  # type: ignore[union-attr]


async def test_unlock_in_edit_mode(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-uk", "maria.lopez")
        panel = screen.details
        assert panel.details.is_locked  # type: ignore[union-attr]
        await pilot.press("u")  # view mode: Unlock does nothing
        await settle(pilot)
        assert panel.details.is_locked  # type: ignore[union-attr]
        await pilot.press("e", "2", "u")
        await settle(pilot, lambda: not panel.details.is_locked)  # type: ignore[union-attr]
        cid = customer_id(seeded_sqlite, "acme-uk", "maria.lopez")
        assert seeded_sqlite.customers.get(app.actor, cid).failed_login_count == 0


async def test_search_status_filter_and_empty_state(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        await pilot.press("slash", *"zzqqxx")
        await settle(
            pilot,
            lambda: screen.customer_list.query_.text == "zzqqxx" and not screen.customer_list.searching,  # type: ignore[union-attr]
        )
        assert screen.query_one("#count").render().plain == "0 customers"  # type: ignore[attr-defined]
        empty = screen.query_one("#empty-state")
        assert empty.display and "No customers match" in empty.render().plain  # type: ignore[attr-defined]
        screen.query_one("#filter").value = ""  # type: ignore[attr-defined]
        screen.query_one("#status").value = "locked"  # type: ignore[attr-defined]
        clist = screen.customer_list
        await settle(
            pilot,
            lambda: clist.query_ is not None and clist.query_.status == "locked" and not clist.searching,
        )
        await settle(pilot, lambda: all(clist.row_at(i) for i in range(clist.total)))
        rows = [clist.row_at(i) for i in range(clist.total)]
        assert rows and all(r is not None and r.status == "locked" for r in rows)
        assert {r.username for r in rows if r} >= {"victor.stone", "maria.lopez"}
