"""Account tab actions through the console: Unlock, Lock / Disable / Enable (SPEC §2 "Other actions")."""

from __future__ import annotations

from test_ui_actions_kit import box_text, open_in_edit, static_plain, switch_to
from textual.widgets import Button, Label
from uikit import settle

from testkit import customer_id
from tuiconsole.ui.dialogs.reason import AskReason
from tuiconsole.ui.screens.main import MainScreen

pytest_plugins = ("uifixtures",)  # the console_app fixture


async def test_supervisor_locks_disables_and_enables_with_reasons(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("sam.supervisor")
    cid = customer_id(seeded_sqlite, "acme-us", "jdoe")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-us", "jdoe")
        panel = screen.details
        assert all(panel.query_one(f"#{b}", Button).display for b in ("lock", "disable", "enable"))
        assert panel.query_one("#enable", Button).disabled  # nothing to enable yet

        async def answer(key: str, reason: str) -> None:
            await pilot.press(key)
            await settle(pilot, lambda: isinstance(app.screen, AskReason))
            if not reason:  # a lock needs a reason: OK says so and stays
                await pilot.press("enter")
                await settle(pilot)
                assert "Give a reason" in str(app.screen.query_one("#reason-error", Label).render())
                await pilot.press("escape")
                await settle(pilot, lambda: app.screen is screen)
                return
            await pilot.press(*reason, "enter")
            await settle(pilot, lambda: app.screen is screen)
            await settle(pilot)

        await answer("l", "")
        assert panel.details.status == "active"  # type: ignore[union-attr]
        await answer("l", "Card reported stolen")
        d = panel.details
        assert d is not None and d.lock_kind == "staff" and d.lock_reason == "Card reported stolen"
        assert "Locked by staff: Card reported stolen" in static_plain(panel, "#lock-banner")
        assert "Locked jdoe: Card reported stolen" in box_text(screen)
        assert panel.query_one("#lock", Button).disabled and not panel.query_one("#enable", Button).disabled

        await answer("E", "Customer called back")
        assert panel.details.status == "active" and panel.details.lock_kind is None  # type: ignore[union-attr]
        assert "Enabled jdoe" in box_text(screen)

        await answer("d", "Duplicate account")
        assert panel.details.status == "disabled"  # type: ignore[union-attr]
        assert "Disabled: Duplicate account" in static_plain(panel, "#lock-banner")
        await answer("E", "Merged")
        assert panel.details.status == "active"  # type: ignore[union-attr]
        assert panel.editing  # still editing: OK ends it
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not panel.editing)

    events = seeded_sqlite.customers.activity(seeded_sqlite.auth.demo_login("sam.supervisor").actor, cid)
    reasons = [(e.action, e.details.get("reason")) for e in events if e.action in ("locked", "disabled", "enabled")]
    assert reasons[::-1] == [
        ("locked", "Card reported stolen"),
        ("enabled", "Customer called back"),
        ("disabled", "Duplicate account"),
        ("enabled", "Merged"),
    ]


async def test_csr_has_no_supervisor_actions_and_is_told_why_a_staff_lock_stays(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(f"{kw.get('title') or ''}|{message}")  # type: ignore[method-assign]
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-us", "victor.stone")
        panel = screen.details
        assert not any(panel.query_one(f"#{b}", Button).display for b in ("lock", "disable", "enable"))
        assert not screen.check_action("lock", ()) and not screen.check_action("enable", ())
        await pilot.press("l", "d", "E")  # not for a CSR: nothing opens
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        # Unlock of a staff lock: the service refuses; the console says why, with the reason.
        await pilot.press("u")
        await settle(pilot, lambda: any(n.startswith("Not unlocked|") for n in notes))
        refusal = next(n for n in notes if n.startswith("Not unlocked|"))
        assert "Locked by staff (Suspected fraud: chargeback investigation #4471)" in refusal
        assert "only a supervisor's Unlock lifts it" in refusal
        assert panel.details.status == "locked"  # type: ignore[union-attr]

        # An automatic lock: the CSR's Unlock lifts it, the Last action box says so.
        await switch_to(pilot, screen, seeded_sqlite, "acme-uk", "maria.lopez")
        await pilot.press("e", "2", "u")
        await settle(pilot, lambda: panel.details is not None and panel.details.status == "active")
        await settle(pilot)
        text = box_text(screen)
        assert "Unlocked maria.lopez" in text and "you can log in with your current password" in text
        assert panel.details.failed_login_count == 0  # type: ignore[union-attr]
