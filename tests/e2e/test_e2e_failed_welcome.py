"""Training case 5 (docs/training.md): a failed welcome email, acme-us/new.member."""

from __future__ import annotations

from e2ekit import TwoApps, reset_email


async def test_failed_welcome_email_retry_then_first_password(world):
    async with TwoApps(world, "acme-us") as (console, portal):
        await console.scope("acme-us")
        await console.find("new.member")
        assert console.details.username == "new.member"
        await console.keys("5")
        activity = console.tab_text("activity")
        assert "failed" in activity.lower()

        # Retry the failed welcome email (the Activity tab's / Outbox's Retry).
        failed = [e for e in world.console.customers.emails(world.trainer(), console.details.id) if e.status == "failed"]
        assert [e.template for e in failed] == ["membership_welcome"]
        world.console.outbox.retry(world.trainer(), failed[0].id)
        assert world.deliver() == 1
        welcome = world.latest_mail_to("kwame.mensah@example.net")
        assert welcome.message.subject == "Welcome to Acme Plus Membership"
        assert welcome.secrets == ()  # a welcome email carries no password

        # No password yet: he can't log in until he sets one through a reset email.
        await portal.login("new.member", "anything-at-all")
        assert "username or password incorrect" in portal.answer()
        await portal.keys("escape")
        world.clock.advance(minutes=2)
        await console.keys("2")
        await reset_email(console, world)
        assert world.deliver() == 1
        link = world.latest_mail_to("kwame.mensah@example.net").secrets[0].value
        await portal.redeem(link, "First-Light-2027!")
        await portal.keys("escape")
        await portal.login("new.member", "First-Light-2027!")
        assert "Logged in as new.member" in portal.who()
