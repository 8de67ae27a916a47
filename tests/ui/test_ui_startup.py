"""What the console's start-up loads and does before the main screen shows.

The start (process spawn → main screen usable) has a budget of 1 s; these tests keep
the heavy modules that only later actions need off that path (checked in a fresh
process: sys.modules), and the background dispatcher's first pass after the first
screen. They guard the start-up figure without timing anything.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from testkit import actor
from tuiconsole.services.dispatcher import Dispatcher
from tuiconsole.ui.app import make_app
from tuiconsole.ui.screens.main import MainScreen

# Loaded on first use only: Alembic (migrations), argon2 / zxcvbn (passwords),
# email_validator and the email package (saving, sending), the dispatcher (a
# configured transport), the demo inbox screen, the PostgreSQL driver.
NOT_AT_START = (
    "alembic",
    "argon2",
    "zxcvbn",
    "email_validator",
    "psycopg",
    "psycopg2",
    "aiosmtpd",
    "tuiconsole.services.email",
    "tuiconsole.services.dispatcher",
    "tuiconsole.services.resets",
    "tuiconsole.services.offers",
    "tuiconsole.ui.screens.demo_inbox",
)

# The console as the demo opens it, in a fresh process: signed in, main screen up
# with its first page; then the names of the modules it loaded on the way.
START_UP = """
import asyncio, json, sys
from tuiconsole.config import Settings
from tuiconsole.services.container import build_services
from tuiconsole.ui.app import make_app
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.customer_list import CustomerList

async def main() -> None:
    services = build_services(Settings(database_url=sys.argv[1]))
    app = make_app(services, actor=services.auth.demo_login("tara.trainer").actor, animations=False)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            for _ in range(400):
                screen = app.screen
                lists = screen.query(CustomerList) if isinstance(screen, MainScreen) else None
                if lists and lists.first().shown_generation > 0:
                    break
                await pilot.pause()
            else:
                raise SystemExit("the main screen never showed its first page")
            print(json.dumps(sorted(sys.modules)))
    finally:
        services.close()

asyncio.run(main())
"""


def _loaded(code: str, *args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _offenders(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_AT_START))


def test_the_console_start_loads_nothing_it_does_not_need_yet(sqlite_seeded_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "seeded.db"
    shutil.copy(sqlite_seeded_template, path)
    loaded = _loaded(START_UP, f"sqlite:///{path}")
    assert "tuiconsole.ui.screens.main" in loaded  # it did get there
    assert _offenders(loaded) == []


def test_the_command_line_loads_no_migration_or_password_machinery() -> None:
    loaded = _loaded("import json, sys, tuiconsole.cli; print(json.dumps(sorted(sys.modules)))")
    assert "click" in loaded  # it did load the command line
    assert _offenders(loaded) == []


async def test_the_dispatcher_waits_for_the_first_screen(seeded_sqlite, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded_sqlite, actor=actor(seeded_sqlite, "tara.trainer"), clock=clock, animations=False, dispatcher=True)
    first_pass: dict[str, Any] = {}
    ran = threading.Event()
    original = Dispatcher.run_once

    def run_once(self: Dispatcher) -> Any:
        if not ran.is_set():
            first_pass["main_screen_up"] = isinstance(app.screen, MainScreen)
            ran.set()
        return original(self)

    monkeypatch.setattr(Dispatcher, "run_once", run_once)
    async with app.run_test(size=(160, 48)):
        assert app.dispatcher is not None  # made at mount: a reset may poke it at once
        assert await asyncio.to_thread(ran.wait, 10), "the dispatcher made no pass"
        assert first_pass["main_screen_up"]
