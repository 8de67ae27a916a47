"""How the Set Customer Password dialog looks: email option, manual option with half
the rules met, manual entry disallowed, and the confirmation (80×24 and 160×48)."""

from __future__ import annotations

import pytest
from test_set_password_dialog import Host, settle
from textual.widgets import Input, RadioButton

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def host(svc, username: str, site: str, customer: str) -> Host:  # type: ignore[no-untyped-def]
    app = Host(svc, username, site, customer)
    app.animation_level = "none"
    return app


@pytest.mark.parametrize("size", SIZES)
def test_email_option(snap_compare, seeded_sqlite, size) -> None:  # type: ignore[no-untyped-def]
    app = host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_manual_option_half_the_rules_met(snap_compare, seeded_sqlite, size) -> None:  # type: ignore[no-untyped-def]
    app = host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, app)
        app.screen.query_one("#sp-mode-manual", RadioButton).value = True
        await pilot.pause()
        # Long enough and has a capital letter; no digit, no special character.
        app.screen.query_one("#sp-password", Input).value = "Lanternharbour"
        await settle(pilot, app)
        app.screen.query_one("#sp-password", Input).focus()
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_manual_entry_disallowed(snap_compare, seeded_sqlite, size) -> None:  # type: ignore[no-untyped-def]
    app = host(seeded_sqlite, "sam.supervisor", "globex-us", "olga.petrova")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_confirmation(snap_compare, seeded_sqlite, size) -> None:  # type: ignore[no-untyped-def]
    app = host(seeded_sqlite, "casey.csr", "acme-us", "jdoe")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
