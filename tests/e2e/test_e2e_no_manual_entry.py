"""Training case 7 (docs/training.md): a site without manual entry, globex-us (olga.petrova)."""

from __future__ import annotations

import pytest
from e2ekit import CUSTOMER_PASSWORD, TwoApps

from tuiconsole.domain.errors import NotAllowed


async def test_no_manual_entry_only_the_email_option(world):
    async with TwoApps(world, "globex-us") as (console, portal):
        await console.scope("globex-us")
        await console.find("olga")
        assert console.details.username == "olga.petrova"
        await console.keys("2", "e")
        dialog = await console.open_reset_dialog()
        if dialog is not None:
            assert dialog.query_one("#sp-mode-manual").disabled
            assert "Manual entry is off" in str(dialog.query_one("#sp-manual-reason").render())
            await console.keys("ctrl+g")  # Generate: refused with the same reason
            await console.keys("escape")
        with pytest.raises(NotAllowed):
            world.console.resets.set_password(
                world.trainer(), console.details.id, "Typed-By-Csr-2027!", "Typed-By-Csr-2027!",
                temporary=True, notify=True, verified_by="call-back",
            )  # fmt: skip
        # Nothing changed: her password still works.
        await portal.login("olga.petrova", CUSTOMER_PASSWORD)
        assert "Logged in as olga.petrova" in portal.who()
