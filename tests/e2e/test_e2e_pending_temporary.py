"""Training case 3 (docs/training.md): a pending temporary password, acme-us/priya.patel."""

from __future__ import annotations

from e2ekit import CUSTOMER_PASSWORD, TwoApps


async def test_pending_temporary_password_forces_a_change_at_login(world):
    async with TwoApps(world, "acme-us") as (console, portal):
        await console.scope("acme-us")
        await console.find("priya")
        await console.keys("2")
        account = console.account_text().lower()
        assert "temporary" in account and console.details.must_change_password

        await portal.login("priya.patel", CUSTOMER_PASSWORD)
        assert portal.screen_name() == "ForcedChangeForm"
        await portal.new_password("abc")
        checklist = portal.checklist()
        assert "✗ At least 8 characters" in checklist and "✗ At least one capital letter" in checklist
        await portal.new_password(CUSTOMER_PASSWORD)
        assert portal.answer() == "Choose a password different from the temporary one."
        await portal.new_password("Lantern-Bridge-88#", retype="Lantern-Bridge-88")
        assert "don't match" in portal.answer()
        await portal.new_password("Lantern-Bridge-88#")
        assert "Logged in as priya.patel" in portal.who()

        await console.reload()
        assert not console.details.must_change_password
        assert world.deliver() == 1  # "Customer Password Changed"
        assert world.latest_mail_to("priya.patel@example.org").message.subject.endswith("password was changed")
