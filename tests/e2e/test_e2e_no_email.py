"""Training case 2 (docs/training.md): a customer with no email, acme-us/tom.noemail."""

from __future__ import annotations

from e2ekit import TwoApps

TEMPORARY = "Harbour-Light-42!"
WITH_NAME = "Baker-Street-221b!"  # contains his last name
HIS_OWN = "Quiet-River-2027!"


async def test_no_email_manual_temporary_password_then_forced_change(world):
    async with TwoApps(world, "acme-us") as (console, portal):
        await console.scope("acme-us")
        await console.find("tom")
        assert console.details.username == "tom.noemail"
        await console.keys("2", "e")
        dialog = await console.open_reset_dialog()
        if dialog is not None:
            hint = dialog.query_one("#sp-email-hint")
            assert "no email address on file" in str(hint.render())
            assert dialog.query_one("#sp-mode-email").disabled
            assert dialog.query_one("#sp-temporary").value  # temporary by default on Acme
            await console.dialog_manual(dialog, TEMPORARY, verified="call-back")
            await console.dialog_ok(dialog)
        else:
            world.console.resets.set_password(
                world.trainer(), console.details.id, TEMPORARY, TEMPORARY,
                temporary=True, notify=False, verified_by="call-back",
            )  # fmt: skip
        await console.reload()
        assert console.details.must_change_password
        assert "temporary" in console.account_text().lower()

        # The customer logs in with what the CSR read out: a new password before anything else.
        await portal.login("tom.noemail", TEMPORARY)
        assert portal.screen_name() == "ForcedChangeForm"
        await portal.new_password(WITH_NAME)
        assert "name, username or email" in portal.answer()
        # The live checklist knows only the username (no hint about who the account is);
        # the name and email on file are checked at OK.
        assert "✓ No name, username or email in it" in portal.checklist()
        await portal.new_password(HIS_OWN)
        assert portal.screen_name() == "HomeScreen"
        assert "Logged in as tom.noemail" in portal.who()

        await console.reload()
        assert not console.details.must_change_password
        assert world.deliver() == 0  # nothing to send: he has no email
