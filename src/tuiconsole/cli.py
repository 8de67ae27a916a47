"""The `tuiconsole` command (SPEC §8). Errors: one line on stderr, non-zero exit, no traceback."""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from tuiconsole.config import Settings, load_settings
from tuiconsole.domain.errors import ConfigError, SeedError, TuiconsoleError

EXIT_ERROR = 1
EXIT_CONFIG = 2
log = logging.getLogger("tuiconsole.cli")


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    click.echo(f"tuiconsole: {message}", err=True)
    sys.exit(code)


# Commands beyond `db` live in their own modules, imported only when used:
# start-up stays fast and the modules can import this one without a cycle.
LAZY_COMMANDS: dict[str, str] = {
    "demo": "tuiconsole.cli_demo:demo",
    "users": "tuiconsole.cli_users:users",
    "customers": "tuiconsole.cli_customers:customers",
    "outbox": "tuiconsole.cli_outbox:outbox",
    "activity": "tuiconsole.cli_activity:activity",
    "portal": "tuiconsole.cli_portal:portal",
    "serve": "tuiconsole.cli_portal:serve",
}


class SafeGroup(click.Group):
    """Turns every error into one line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except ConfigError as exc:
            fail(exc.message, EXIT_CONFIG)
        except TuiconsoleError as exc:
            fail(exc.message, EXIT_ERROR)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except OSError as exc:
            # A file or folder named on the command line: say which and why, not how.
            where = f" {exc.filename}" if exc.filename else ""
            fail(f"cannot use{where}: {exc.strerror or type(exc).__name__}")
        except Exception as exc:  # noqa: BLE001 - last line of defence
            # The traceback only on request (TUICONSOLE_DEBUG=1): a user sees one line.
            log.debug("unexpected error", exc_info=True)
            if os.environ.get("TUICONSOLE_DEBUG") == "1":
                traceback.print_exc()
            fail(f"unexpected error ({type(exc).__name__}); nothing was changed by the failed step")


def _settings(ctx: click.Context) -> Settings:
    return ctx.ensure_object(dict)["settings_factory"]()


def pass_settings(f: Callable[..., Any]) -> Callable[..., Any]:
    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return ctx.invoke(f, _settings(ctx), *args, **kwargs)

    wrapper.__name__ = f.__name__
    wrapper.__doc__ = f.__doc__
    return wrapper


class MainGroup(SafeGroup):
    """The top-level group: adds the lazily imported command families."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            import importlib

            module, attr = LAZY_COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=MainGroup, invoke_without_command=True)
@click.option("--database-url", envvar=None, help="Database URL (overrides TUICONSOLE_DATABASE_URL).")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="TOML configuration file."
)
@click.version_option(package_name="tuiconsole")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, config_file: Path | None) -> None:
    """Customer access console: find a customer, fix their access.

    Without a command, opens the console's login screen on the configured database.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)["settings_factory"] = lambda: load_settings(
        {"database_url": database_url}, config_file=config_file
    )
    if ctx.invoked_subcommand is None:
        from tuiconsole.ui.run import run_console

        run_console(_settings(ctx))


# --- db ---------------------------------------------------------------------


@main.group(cls=SafeGroup)
def db() -> None:
    """Create, migrate and fill the database."""


@db.command("upgrade")
@pass_settings
def db_upgrade(settings: Settings) -> None:
    """Create or migrate the database to the newest schema (Alembic)."""
    from tuiconsole.store.db import check_connection, make_engine, redact_url
    from tuiconsole.store.migrate import upgrade

    ensure_sqlite_folder(settings.database_url)
    engine = make_engine(settings.database_url)
    check_connection(engine)
    upgrade(engine)
    engine.dispose()
    click.echo(f"Database {redact_url(settings.database_url)} is up to date.")


@db.command("load-seed")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_settings
def db_load_seed(settings: Settings, folder: Path) -> None:
    """Load a seed-data folder (all or nothing)."""
    from tuiconsole.services.container import build_services, cli_actor
    from tuiconsole.services.seed.loader import load_seed

    if not folder.is_dir():
        raise SeedError(str(folder), 0, "no such folder")
    services = build_services(settings)
    try:
        summary = load_seed(services.ctx.sessions, folder, now=services.ctx.now(), actor=cli_actor().label)
    finally:
        services.close()
    click.echo(f"Loaded {summary.describe()}.")


def ensure_sqlite_folder(url: str) -> None:
    """A SQLite file's folder is created on first use (the user data dir)."""
    from tuiconsole.store.db import parse_database_url

    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        try:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"Cannot create the folder for {parsed.database}: {exc.strerror}") from None


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
