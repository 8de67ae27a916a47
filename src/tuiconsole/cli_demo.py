"""`tuiconsole demo`: its own demo-marked SQLite file, built from seed_data/ (SPEC §6)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy.engine import Engine

from tuiconsole.config import demo_settings, load_settings
from tuiconsole.domain.errors import ConfigError
from tuiconsole.resources import seed_data_dir

DEMO_USER = "tara.trainer"


def build_demo_database(fresh: bool, customers: int = 0) -> tuple[str, str | None]:
    """Make the demo database if it isn't there; (url, summary or None if it existed)."""
    from tuiconsole.store.db import make_engine, make_sessionmaker, parse_database_url
    from tuiconsole.store.migrate import is_up_to_date, table_names, upgrade
    from tuiconsole.store.repositories.meta import MetaRepository

    settings = demo_settings(load_settings())
    path = Path(parse_database_url(settings.database_url).database or "")
    path.parent.mkdir(parents=True, exist_ok=True)
    if settings.mail_dir:
        Path(settings.mail_dir).mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        exists = "scopes" in table_names(engine)
        if exists:
            with make_sessionmaker(engine)() as s:
                is_demo = MetaRepository(s).is_demo()
            if not is_demo:
                raise ConfigError(f"{path} is not a demo database: refusing to touch it.")
            if not fresh:
                if not is_up_to_date(engine):  # Alembic loads only when there is work for it
                    upgrade(engine)
                added = add_synthetic(engine, customers)
                if added:
                    click.echo(f"Added {added:,} synthetic customers to the demo database.", err=True)
                return settings.database_url, None
    finally:
        engine.dispose()
    if path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        from datetime import UTC, datetime

        # Only a new demo database needs the seed loader (and its email validation).
        from tuiconsole.services.container import cli_actor
        from tuiconsole.services.seed.loader import load_seed

        summary = load_seed(
            make_sessionmaker(engine), seed_data_dir(), now=datetime.now(UTC), actor=cli_actor().label, demo=True
        )
        added = add_synthetic(engine, customers)
    finally:
        engine.dispose()
    described = summary.describe()
    if added:  # the seed's own count alone would hide the synthetic ones
        described += f", plus {added:,} synthetic customers"
    return settings.database_url, described


SYNTHETIC_KEY = "synthetic_customers"


def add_synthetic(engine: Engine, wanted: int) -> int:
    """Top the demo up to `wanted` synthetic customers (they are never added twice)."""
    from tuiconsole.store.db import make_sessionmaker
    from tuiconsole.store.repositories.meta import MetaRepository

    with make_sessionmaker(engine)() as s:
        have = int(MetaRepository(s).get(SYNTHETIC_KEY) or 0)
    missing = wanted - have
    if missing <= 0:
        return 0
    from tuiconsole.services.synthetic import demo_site_ids, generate_customers

    with click.progressbar(length=missing, label="Adding synthetic customers", file=sys.stderr) as bar:
        added = generate_customers(engine, demo_site_ids(engine), missing, seed=have + 1, progress=bar.update)
    with make_sessionmaker(engine)() as s, s.begin():
        MetaRepository(s).set(SYNTHETIC_KEY, str(have + added))
    return added


@click.command()
@click.option("--fresh", is_flag=True, help="Rebuild the demo database from seed data (demo databases only).")
@click.option("--customers", type=click.IntRange(0, 5_000_000), default=0, help="Add N synthetic customers.")
@click.option("--build-only", is_flag=True, help="Build the demo database and exit without opening the console.")
def demo(fresh: bool, customers: int, build_only: bool) -> None:
    """Open the console in demo mode on its own demo database."""
    url, summary = build_demo_database(fresh, customers)
    if summary:
        click.echo(f"Built the demo database: {summary}.", err=True)
    if build_only:
        if not summary:
            click.echo("The demo database is ready (use --fresh to rebuild it).", err=True)
        return
    from tuiconsole.ui.run import run_demo

    run_demo(demo_settings(load_settings()), DEMO_USER)
