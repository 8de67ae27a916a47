"""Training case 6 (docs/training.md): the offer with a Password field, acme-academy (jdoe, priya)."""

from __future__ import annotations

from e2ekit import MEMBER_PASSWORD, TwoApps

from tuiconsole.ui.portal.membership import ACCEPTED, REFUSED

NEW_MEMBER_PASSWORD = "Academy-Owl-2027!"


async def test_membership_password_checked_and_set(world):
    async with TwoApps(world, "acme-us") as (console, portal):
        assert await portal.check_membership("jdoe", "acme-academy", MEMBER_PASSWORD) == ACCEPTED
        assert await portal.check_membership("jdoe", "acme-academy", "Not-It-123!") == REFUSED
        assert await portal.check_membership("jdoe", "acme-plus", MEMBER_PASSWORD) == REFUSED  # no Password field
        await portal.keys("escape")

        await console.scope("acme-us")
        await console.find("jdoe")
        await console.keys("3")
        offers = console.tab_text("offers")
        if "not available in this build" not in offers:  # the Offers tab arrives in another issue
            assert "Acme Academy" in offers and "Acme Plus" in offers

        # Membership password on Acme Academy (the Offers tab's action, through its service).
        memberships = world.console.offers.memberships(world.trainer(), console.details.id)
        academy = next(m for m in memberships if m.offer_code == "acme-academy")
        assert academy.has_password_field and academy.has_membership_password
        world.console.offers.set_membership_password(
            world.trainer(), console.details.id, academy.id, NEW_MEMBER_PASSWORD, NEW_MEMBER_PASSWORD,
            verified_by="email on file",
        )  # fmt: skip

        assert await portal.check_membership("jdoe", "acme-academy", NEW_MEMBER_PASSWORD) == ACCEPTED
        assert await portal.check_membership("jdoe", "acme-academy", MEMBER_PASSWORD) == REFUSED
        # Priya's membership password is her own: unchanged.
        assert await portal.check_membership("priya.patel", "acme-academy", MEMBER_PASSWORD) == ACCEPTED
