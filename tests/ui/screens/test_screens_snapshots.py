"""How the four screens look, at 80×24 and 160×48: fixed clock, seeded data, no animation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from screens_kit import opened, scope, screen_app, settle
from textual.screen import Screen

from testkit import actor, customer_id
from tuiconsole.domain.options import OPTION_NAMES
from tuiconsole.store.models import OutboundEmail
from tuiconsole.ui.screens.activity import ActivityScreen
from tuiconsole.ui.screens.admin_options import ResetOptionsScreen
from tuiconsole.ui.screens.console_users import ConsoleUsersScreen
from tuiconsole.ui.screens.outbox import OutboxScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def some_activity(svc) -> None:  # type: ignore[no-untyped-def]
    csr = actor(svc, "casey.csr")
    svc.resets.send_reset_email(csr, customer_id(svc, "acme-us", "jdoe"))
    svc.customers.unlock(csr, customer_id(svc, "acme-uk", "maria.lopez"))
    with svc.ctx.uow() as s:  # Message-IDs are random: fixed ones for the picture
        s.execute(
            sa.update(OutboundEmail).values(
                message_id="<" + sa.cast(OutboundEmail.id, sa.String) + "@snapshot.example>"
            )
        )


def snapshot(
    snap_compare, svc, clock, size, first: Callable[[], Screen[None]], username: str = "ada.admin", keys=()
) -> bool:  # type: ignore[no-untyped-def]
    app = screen_app(svc, clock, first, username=username)
    app.animation_level = "none"

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await opened(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_outbox_looks(snap_compare, seeded_sqlite, clock, size) -> None:  # type: ignore[no-untyped-def]
    some_activity(seeded_sqlite)
    assert snapshot(snap_compare, seeded_sqlite, clock, size, lambda: OutboxScreen(scope(seeded_sqlite, "acme-us")))


@pytest.mark.parametrize("size", SIZES)
def test_activity_looks(snap_compare, seeded_sqlite, clock, size) -> None:  # type: ignore[no-untyped-def]
    some_activity(seeded_sqlite)
    assert snapshot(
        snap_compare,
        seeded_sqlite,
        clock,
        size,
        lambda: ActivityScreen(scope(seeded_sqlite, "acme")),
        username="sam.supervisor",
    )


@pytest.mark.parametrize("size", SIZES)
def test_reset_options_look(snap_compare, seeded_sqlite, clock, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(
        snap_compare,
        seeded_sqlite,
        clock,
        size,
        lambda: ResetOptionsScreen(scope(seeded_sqlite, "acme-uk")),
        username="sam.supervisor",
    )


@pytest.mark.parametrize("size", SIZES)
def test_console_users_look(snap_compare, seeded_sqlite, clock, size) -> None:  # type: ignore[no-untyped-def]
    assert snapshot(
        snap_compare, seeded_sqlite, clock, size, lambda: ConsoleUsersScreen(scope(seeded_sqlite, "global"))
    )


def test_option_editor_looks(snap_compare, seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    down = ["down"] * OPTION_NAMES.index("min_length")
    assert snapshot(
        snap_compare,
        seeded_sqlite,
        clock,
        (80, 24),
        lambda: ResetOptionsScreen(scope(seeded_sqlite, "acme-uk")),
        username="sam.supervisor",
        keys=[*down, "enter"],
    )


def test_email_preview_looks(snap_compare, seeded_sqlite, clock) -> None:  # type: ignore[no-untyped-def]
    some_activity(seeded_sqlite)
    assert snapshot(
        snap_compare,
        seeded_sqlite,
        clock,
        (80, 24),
        lambda: OutboxScreen(scope(seeded_sqlite, "acme-us")),
        keys=["enter"],
    )
