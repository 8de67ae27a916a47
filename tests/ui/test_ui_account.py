"""The Account tab, CSR scopes, and data shown inertly (SPEC §2 step 5, §10.7, §10.9)."""

from __future__ import annotations

from dbkit import rename_customer
from test_ui_flow import open_main, pick_scope_and_open
from textual.widgets import Static
from uikit import settle

from testkit import customer_id
from tuiconsole.ui.screens.scope_picker import ScopePickerScreen

pytest_plugins = ("uifixtures",)  # the console_app fixture


def static_text(widget: Static) -> str:
    return widget.render().plain  # type: ignore[attr-defined]


async def test_lock_banner_shows_the_staff_lock_reason(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "victor.stone")
        await pilot.press("2")
        await settle(pilot)
        banner = static_text(screen.query_one("#lock-banner", Static))
        assert "Suspected fraud: chargeback investigation #4471" in banner
        assert "sam.supervisor" in banner
        facts = screen.query_one("#account-facts", Static).render()
        assert facts is not None


async def test_account_tab_lists_the_pending_ticket_and_the_unlock_note(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    trainer = seeded_sqlite.auth.demo_login("tara.trainer").actor
    cid = customer_id(seeded_sqlite, "acme-uk", "maria.lopez")
    seeded_sqlite.resets.send_reset_email(trainer, cid, verified_by="call-back")
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-uk", "maria.lopez")
        await pilot.press("2")
        await settle(pilot)
        console = Console(width=100, record=True)
        console.print(screen.query_one("#account-facts", Static).content)
        text = console.export_text()
        assert "reset link, issued 2026-11-23 09:00 by tara.trainer" in text
        assert "Unlocks when the customer uses the reset email." in text
        assert "Failed logins" in text and "Last login" in text


async def test_csr_sees_only_granted_scopes(console_app) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_main(pilot)
        assert screen.scope is not None and screen.scope.code == "acme"
        clist = screen.customer_list
        sites = {clist.row_at(i).site_code for i in range(min(clist.total, clist.page_size))}  # type: ignore[union-attr]
        assert sites <= {"acme-us", "acme-uk"} and sites
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, ScopePickerScreen) and bool(app.screen.nodes))
        codes = {n.code for n in app.screen.nodes}  # type: ignore[attr-defined]
        assert codes == {"acme", "acme-us", "acme-uk"}
        await pilot.press(*"globex")
        await settle(pilot)
        assert app.screen.target is None  # type: ignore[attr-defined]


async def test_customer_data_is_shown_inertly(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    cid = customer_id(seeded_sqlite, "acme-us", "jdoe")
    rename_customer(seeded_sqlite, cid, "[bold red]x[/]", "\x1b[31mRed")
    app = console_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        clist = screen.customer_list
        line = "".join(seg.text for seg in clist.render_line(1))  # the first row
        # Literal markup, then the escape shown as text; the column may cut it short.
        assert line.startswith("[bold red]x[/] \\")
        assert "\x1b" not in line
        title = static_text(screen.query_one("#details-title", Static))
        assert title.startswith("[bold red]x[/] \\x1b[31mRed (jdoe)")
        assert screen.details.query_one("#field-first_name").value == "[bold red]x[/]"  # type: ignore[attr-defined]
        # The whole screen, as the terminal gets it, carries no escape from the data.
        rendered = app.export_screenshot()
        assert "[bold red]x[/]" in rendered.replace("&#160;", " ")
        # Saving without touching the fields leaves the odd names alone.
        await pilot.press("e", "ctrl+s")
        await settle(pilot)
        assert seeded_sqlite.customers.get(app.actor, cid).last_name == "\x1b[31mRed"
