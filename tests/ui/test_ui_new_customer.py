"""New customer (`n` in the customer list): validation next to the field, then the
customer is created, the Reset Password email queued and the customer opened."""

from __future__ import annotations

from test_ui_flow import pick_scope_and_open
from textual.widgets import Input, Label
from uikit import settle

from testkit import actor
from tuiconsole.ui.dialogs.new_customer import NewCustomer

pytest_plugins = ("uifixtures",)


async def test_new_customer_from_the_list(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await pick_scope_and_open(pilot, "acme-us", "jdoe")
        screen.customer_list.focus()
        await pilot.press("n")
        await settle(pilot, lambda: isinstance(app.screen, NewCustomer))
        dialog = app.screen
        # One site under acme-us: chosen already.
        values = {
            "username": "jdoe",  # taken on this site
            "email": "zoe.fresh@example.org",
            "first_name": "Zoë",
            "last_name": "Fresh",
            "phone": "+1 202 555 0177",
        }
        for name, value in values.items():
            dialog.query_one(f"#nc-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "taken" in str(dialog.query_one("#nc-username-error", Label).render()))
        assert isinstance(app.screen, NewCustomer)
        dialog.query_one("#nc-username", Input).value = "zoe.fresh"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, NewCustomer))
        await settle(pilot, lambda: screen.details.details is not None and screen.details.details.username == "zoe.fresh")
        details = screen.details.details
        assert details is not None and not details.password_set and details.pending_ticket is not None
    emails = seeded_sqlite.outbox.list(actor(seeded_sqlite, "casey.csr"), customer_id=details.id)
    assert [e.template for e in emails] == ["reset_link"]
