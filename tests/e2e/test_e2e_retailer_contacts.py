"""Training case 4 (docs/training.md): a retailer with several contacts, initech-b2b 'northwind'."""

from __future__ import annotations

from e2ekit import TwoApps


async def test_retailer_contacts_pick_the_right_person(world):
    async with TwoApps(world, "initech-b2b") as (console, portal):
        await console.scope("initech-b2b")
        await console.find("northwind")
        # Sorted by last name: Andersson is first, but the caller is Hiroshi Tanaka.
        assert console.details.username == "s.andersson"
        await console.keys("4")
        contacts = console.main.query_one("#contacts-list")
        labels = [str(contacts.get_option_at_index(i).prompt) for i in range(contacts.option_count)]
        assert any("Tanaka" in label for label in labels), labels
        console.direct(contacts.focus)
        contacts.highlighted = next(i for i, label in enumerate(labels) if "Tanaka" in label)
        await console.keys("enter")
        assert console.details.username == "h.tanaka"

        await console.keys("2")
        await reset_and_redeem(console, portal, world)


async def reset_and_redeem(console, portal, world) -> None:
    from e2ekit import reset_email

    await reset_email(console, world)
    assert world.deliver() == 1
    mail = world.latest_mail_to("h_tanaka@northwind-traders.example")
    link = mail.secrets[0].value
    await portal.redeem(link, "Maple-Harbour-2027!")
    assert portal.answer() == "Your password is changed: you can log in with it now."
    await portal.keys("escape")
    await portal.login("h.tanaka", "Maple-Harbour-2027!")
    assert "Logged in as h.tanaka" in portal.who()
    # The other contacts were not touched.
    await portal.keys("o")
    await portal.login("s.andersson", "Maple-Harbour-2027!")
    assert "username or password incorrect" in portal.answer()
