"""Entry points of `tuiconsole` and `tuiconsole demo`: build services, run the app."""

from __future__ import annotations

import sys
from typing import NoReturn

from tuiconsole.config import Settings
from tuiconsole.domain.errors import ConfigError, TuiconsoleError

EXIT_CONFIG = 2


def _fail(message: str, code: int) -> NoReturn:
    print(f"tuiconsole: {message}", file=sys.stderr)
    sys.exit(code)


def _services(settings: Settings):  # type: ignore[no-untyped-def]
    from tuiconsole.services.container import build_services

    try:
        return build_services(settings)
    except ConfigError as exc:
        _fail(exc.message, EXIT_CONFIG)


def run_console(settings: Settings) -> None:
    """`tuiconsole`: the login screen on the configured database."""
    from tuiconsole.ui.app import make_app

    services = _services(settings)
    try:
        make_app(services).run()
    finally:
        services.close()


def run_demo(settings: Settings, username: str) -> None:
    """`tuiconsole demo`: the demo database, signed in as the trainer without a password."""
    from tuiconsole.ui.app import make_app

    services = _services(settings)
    try:
        try:
            actor = services.auth.demo_login(username).actor
        except TuiconsoleError as exc:
            _fail(exc.message, 1)
        make_app(services, actor=actor).run()
    finally:
        services.close()
