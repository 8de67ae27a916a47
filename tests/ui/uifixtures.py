"""The console_app fixture: the console on the seeded SQLite database, fixed clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tuiconsole.domain.clock import FixedClock
from tuiconsole.services.container import Services
from tuiconsole.ui.app import ConsoleApp, make_app


@pytest.fixture
def console_app(seeded_sqlite: Services, clock: FixedClock) -> Callable[..., ConsoleApp]:
    """build(username) → the console signed in as that seeded user (None: login screen)."""

    def build(username: str | None = "tara.trainer") -> ConsoleApp:
        who = seeded_sqlite.auth.demo_login(username).actor if username else None
        return make_app(seeded_sqlite, actor=who, clock=clock, animations=False)

    return build
