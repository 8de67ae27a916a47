"""`tuiconsole portal` (customer-side simulator) and `tuiconsole serve` (browser)."""

from __future__ import annotations

import os
import shlex
import sys

import click

from tuiconsole.config import Settings, demo_settings

PUBLIC_WARNING = (
    "WARNING: --public serves the console over plain HTTP: unencrypted, and anyone on "
    "the network who can reach this machine's port {port} can open it. Use it only on a "
    "classroom network you trust."
)


def _settings(ctx: click.Context, demo: bool) -> Settings:
    base: Settings = ctx.find_root().obj["settings_factory"]()
    return demo_settings(base) if demo else base


def _no_demo_database() -> None:
    from tuiconsole.config import demo_database_url
    from tuiconsole.domain.errors import ConfigError
    from tuiconsole.store.db import parse_database_url

    path = parse_database_url(demo_database_url()).database or ""
    if not os.path.exists(path):
        raise ConfigError("There is no demo database yet: run `tuiconsole demo --build-only` first.")


@click.command()
@click.option("--site", required=True, help="Site code, e.g. acme-us.")
@click.option("--demo", is_flag=True, help="Use the demo database and mail folder.")
@click.option("--check", is_flag=True, hidden=True, help="Set everything up, then exit without the app.")
@click.pass_context
def portal(ctx: click.Context, site: str, demo: bool, check: bool) -> None:
    """The customer's side of a reset (training and end-to-end tests)."""
    from tuiconsole.services.container import build_services

    if demo:
        _no_demo_database()
    services = build_services(_settings(ctx, demo))
    try:
        services.portal.policy_for(site)  # an unknown site: NotFound, one line, exit 1
        if check:
            click.echo(f"The portal of {site} is ready.", err=True)
            return
        from tuiconsole.ui.portal.app import make_portal_app

        make_portal_app(services, site).run()
    finally:
        services.close()


def served_command(demo: bool, config_file: str | None) -> str:
    """The shell command textual-serve starts for each browser session."""
    parts = [sys.executable, "-m", "tuiconsole"]
    if config_file:
        parts += ["--config", config_file]
    if demo:
        parts.append("demo")
    return " ".join(shlex.quote(p) for p in parts)


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--public", is_flag=True, help="Listen on every interface (plain HTTP!).")
@click.option("--demo", is_flag=True, help="Serve the demo instead of the login screen.")
@click.pass_context
def serve(ctx: click.Context, port: int, public: bool, demo: bool) -> None:
    """The console in a browser (textual-serve); each browser tab runs its own console."""
    from textual_serve.server import Server

    root = ctx.find_root().params
    if demo:
        from tuiconsole.cli_demo import build_demo_database

        # Built once here, not by each browser session racing to build it.
        _, summary = build_demo_database(False)
        if summary:
            click.echo(f"Built the demo database: {summary}.", err=True)
    else:
        from tuiconsole.services.container import build_services

        build_services(_settings(ctx, False)).close()  # a bad database fails here, not in the browser
        if root.get("database_url"):
            # The console processes inherit it; never on their command line (it may hold a password).
            os.environ["TUICONSOLE_DATABASE_URL"] = root["database_url"]
    host = "0.0.0.0" if public else "127.0.0.1"  # noqa: S104 - only with --public, and warned
    if public:
        click.echo(PUBLIC_WARNING.format(port=port), err=True)
    config_file = root.get("config_file")
    server = Server(served_command(demo, str(config_file) if config_file else None), host=host, port=port,
                    title="tuiconsole")
    click.echo(f"Serving the console on http://{host}:{port} — press Ctrl+C to stop.", err=True)
    server.serve()
