"""Reset Password through the console: the dialog's rules and the Last action box (SPEC §2 steps 6–7).

Everything runs through the real ConsoleApp on the seeded SQLite database.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from test_ui_actions_kit import box_text, customer_row, new_password, open_in_edit, shown, static_plain, switch_to
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, Select, Static
from uikit import settle

from testkit import customer_id
from tuiconsole.store.models import ActivityEvent
from tuiconsole.ui.dialogs.confirm_reset import ConfirmReset
from tuiconsole.ui.dialogs.set_password import SetCustomerPassword
from tuiconsole.ui.nav_screens import open_activity, open_outbox
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.last_action import LastActionBox

pytest_plugins = ("uifixtures",)  # the console_app fixture


def label_text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Label).render())


async def type_into(pilot, screen, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    field = screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def test_manual_reset_unlocks_enforces_the_rules_and_leaves_no_secret(console_app, seeded_sqlite, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    cid = customer_id(seeded_sqlite, "acme-uk", "maria.lopez")
    app = console_app("sam.supervisor")
    password = new_password()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-uk", "maria.lopez")
        assert screen.details.details.status == "locked"  # type: ignore[union-attr]
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        dialog = app.screen
        notify = dialog.query_one("#sp-notify", Checkbox)
        assert notify.value and notify.disabled  # acme-uk: notify_on_change = always
        await pilot.press("down", "space")  # arrow keys / space choose the option
        await settle(pilot)
        assert dialog.query_one("#sp-mode-manual", RadioButton).value
        dialog.query_one("#sp-verified", Select).value = "call-back"

        # A policy failure keeps the dialog open and names the rule, next to the field.
        await type_into(pilot, dialog, "#sp-password", "Sh0rt!xy")
        await type_into(pilot, dialog, "#sp-retype", "Sh0rt!xy")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "at least 12 characters" in label_text(dialog, "#sp-password-error")

        # Mismatch: refused next to the retype field.
        await type_into(pilot, dialog, "#sp-password", password)
        await type_into(pilot, dialog, "#sp-retype", password[:-1] + "8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "don't match" in label_text(dialog, "#sp-retype-error")
        assert customer_row(seeded_sqlite, cid)["locked_at"] is not None  # nothing changed yet

        await type_into(pilot, dialog, "#sp-retype", password)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmReset))
        await pilot.press("y")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot)

        # The manual reset unlocked the automatic lock at once; the box says what happened.
        d = screen.details.details
        assert d is not None and d.status == "active" and d.failed_login_count == 0
        text = box_text(screen)
        assert "Temporary password set; notice queued to m***@example.com" in text
        assert "Email: queued" in text and "Read to the customer" in text
        assert "you'll be asked to choose a new one" in text

        # The typed password is on no screen: every tab of the panel, then each screen
        # pushed on the stack (a screenshot is of the top one).
        seen = []
        for tab in "12345":
            await pilot.press(tab)
            await settle(pilot)
            seen.append(shown(app))
        assert not any(isinstance(s, SetCustomerPassword) for s in app.screen_stack)
        open_outbox(app)
        await settle(pilot)
        seen.append(shown(app))
        open_activity(app)
        await settle(pilot)
        seen.append(shown(app))
        assert all(password not in page for page in seen)
        assert all(password not in str(w.render()) for w in screen.query(Input))

    assert password not in caplog.text
    assert all(password not in str(r.args) and password not in r.getMessage() for r in caplog.records)
    with seeded_sqlite.ctx.read() as s:
        rows = [dict(r) for r in s.execute(sa.select(ActivityEvent.__table__)).mappings()]
    assert rows and all(password not in repr(r) for r in rows)
    assert any(r["action"] == "temporary_password_set" and r["customer_id"] == cid for r in rows)


async def test_the_dialog_refuses_what_it_must(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = console_app("casey.csr")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-us", "dana.disabled")

        async def dialog_for(username: str) -> SetCustomerPassword:
            await switch_to(pilot, screen, seeded_sqlite, "acme-us", username)
            await pilot.press("e", "2", "r")
            await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
            return app.screen  # type: ignore[return-value]

        async def close() -> None:
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, MainScreen))

        # Disabled: refused with the reason; OK is off, both options too.
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        dialog = app.screen
        refusal = str(dialog.query_one("#sp-refusal", Static).render())
        assert "disabled: Account closed at the customer's request" in refusal
        assert dialog.query_one("#sp-ok", Button).disabled
        assert dialog.query_one("#sp-mode-email", RadioButton).disabled
        await close()

        # Locked by staff: refused with the reason.
        dialog = await dialog_for("victor.stone")
        refusal = str(dialog.query_one("#sp-refusal", Static).render())
        assert "locked by staff: Suspected fraud: chargeback investigation #4471" in refusal
        assert "Only a supervisor's Unlock lifts it" in refusal
        await close()

        # No email: the email option says so and is off; the manual one is available.
        dialog = await dialog_for("tom.noemail")
        assert dialog.query_one("#sp-mode-email", RadioButton).disabled
        manual = dialog.query_one("#sp-mode-manual", RadioButton)
        assert not manual.disabled and manual.value
        assert "no email address on file" in str(dialog.query_one("#sp-email-hint", Static).render())
        await close()

    # Manual entry disallowed (globex-us, outside casey's scopes): shown disabled, with the reason.
    app = console_app("sam.supervisor")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "globex-us", "olga.petrova")
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        dialog = app.screen
        assert dialog.query_one("#sp-mode-manual", RadioButton).disabled
        assert not dialog.query_one("#sp-mode-email", RadioButton).disabled
        assert "Manual entry is off for this site" in str(dialog.query_one("#sp-manual-reason", Static).render())
        await pilot.press("ctrl+g")  # Generate refuses too, with the reason
        await settle(pilot)
        assert dialog.query_one("#sp-password", Input).value == ""


async def test_escape_leaves_the_customer_row_byte_for_byte(console_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    cid = customer_id(seeded_sqlite, "acme-uk", "maria.lopez")
    before = customer_row(seeded_sqlite, cid)
    emails_before = seeded_sqlite.outbox.counts(seeded_sqlite.auth.demo_login("ada.admin").actor)
    app = console_app("sam.supervisor")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-uk", "maria.lopez")
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        await pilot.press("down", "space", "ctrl+g")  # manual, a generated password typed in
        await settle(pilot)
        assert app.screen.query_one("#sp-password", Input).value
        app.screen.query_one("#sp-verified", Select).value = "call-back"
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)
        assert box_text(screen) == ""  # no action, no Last action
    assert customer_row(seeded_sqlite, cid) == before
    assert seeded_sqlite.outbox.counts(seeded_sqlite.auth.demo_login("ada.admin").actor) == emails_before


async def test_reset_email_on_a_locked_customer_then_queued_sent_failed_retry(  # type: ignore[no-untyped-def]
    console_app, seeded_sqlite, memory_transport
) -> None:
    app = console_app("casey.csr")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_in_edit(pilot, "acme-uk", "maria.lopez")
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        await pilot.press("ctrl+s", "y")  # the email option is the default
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and box_text(screen) != "")
        await settle(pilot)
        facts = static_plain(screen.details, "#account-facts")
        assert "Unlocks when the customer uses the reset email." in facts
        assert screen.details.details.status == "locked"  # type: ignore[union-attr]  # until used
        text = box_text(screen)
        assert "Reset email queued to m***@example.com" in text and "Email: queued" in text
        assert "m***@example.com. It is valid for 60 minutes" in text and "spam folder" in text

        # Delivered: the box says sent (the dispatcher's pass, done here by hand).
        seeded_sqlite.outbox.deliver_due()
        screen.details.poll_last_action()
        await settle(pilot, lambda: "Email: sent" in box_text(screen))
        assert (
            not screen.details.query_one("#account-last-action", LastActionBox)
            .query_one(".last-action-buttons")
            .display
        )

        # A permanent failure: Failed, the reply, and Retry.
        await switch_to(pilot, screen, seeded_sqlite, "acme-us", "jdoe")
        assert box_text(screen) == ""  # another customer: the box went with the last one
        await pilot.press("e", "2", "r")
        await settle(pilot, lambda: isinstance(app.screen, SetCustomerPassword))
        await pilot.press("ctrl+s", "y")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and "Email: queued" in box_text(screen))
        memory_transport.fail_next("permanent", "550 5.1.1 mailbox unavailable")
        seeded_sqlite.outbox.deliver_due()
        screen.details.poll_last_action()
        await settle(pilot, lambda: "Email: failed" in box_text(screen))
        box = screen.details.query_one("#account-last-action", LastActionBox)
        assert "550 5.1.1 mailbox unavailable" in box_text(screen)
        retry = box.query_one(".last-action-retry", Button)
        assert box.query_one(".last-action-buttons").display
        failed_id = box.last.email_id  # type: ignore[union-attr]

        await pilot.click(retry)
        await settle(pilot, lambda: box.last is not None and box.last.email_id != failed_id)
        assert "Email: queued" in box_text(screen)
        seeded_sqlite.outbox.deliver_due()
        screen.details.poll_last_action()
        await settle(pilot, lambda: "Email: sent" in box_text(screen))
    assert memory_transport.to("jane.doe@example.com")  # the retried email went out
