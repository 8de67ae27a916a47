"""Training case 8 (docs/training.md): a site in temporary-password mode, globex-us (olga.petrova)."""

from __future__ import annotations

from e2ekit import CUSTOMER_PASSWORD, LOGIN_FAILED, TwoApps, reset_email


async def test_emailed_temporary_password(world):
    async with TwoApps(world, "globex-us") as (console, portal):
        await console.scope("globex-us")
        await console.find("olga")
        await console.keys("2")
        await reset_email(console, world)
        assert "temporary password" in console.account_text().lower()

        assert world.deliver() == 1
        mail = world.latest_mail_to("olga.petrova@example.com")
        assert [s.label for s in mail.secrets] == ["Temporary password"]
        assert "olga.petrova" not in mail.text  # no username unless the site says so
        temporary = mail.secrets[0].value

        # Until she uses it, her own password keeps working.
        await portal.login("olga.petrova", CUSTOMER_PASSWORD)
        assert "Logged in as olga.petrova" in portal.who()
        await portal.keys("o")
        await portal.login("olga.petrova", temporary)
        assert portal.screen_name() == "ForcedChangeForm"
        await portal.new_password("Trail-Mix-Summit-9!")
        assert "Logged in as olga.petrova" in portal.who()
        await portal.keys("o")
        await portal.login("olga.petrova", temporary)  # used once, gone
        assert portal.answer() == LOGIN_FAILED
        await portal.keys("escape")
        await portal.forgot("nobody.here")
        assert portal.answer().startswith("If that username exists")
