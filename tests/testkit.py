"""Helpers the tests import by name (`from testkit import actor`).

Kept out of conftest.py: several conftest modules exist and only one can be
imported under that name.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tuiconsole.config import Settings
from tuiconsole.domain.clock import FixedClock
from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.resources import seed_data_dir
from tuiconsole.services.container import Services, build_services
from tuiconsole.services.seed.loader import load_seed
from tuiconsole.services.views import Actor

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SEED_DIR = seed_data_dir()


def make_services(
    url: str, clock: FixedClock, hasher: PasswordHasher, transport: object | None = None, *, demo: bool = False
) -> Services:
    settings = Settings(database_url=url, email_transport="memory" if transport else None, demo=demo)
    return build_services(settings, clock=clock, hasher=hasher, transport=transport)


def seed(svc: Services, *, demo: bool = True) -> None:
    load_seed(svc.ctx.sessions, SEED_DIR, now=svc.ctx.now(), actor="cli:test", demo=demo)


def actor(svc: Services, username: str) -> Actor:
    """Sign a seeded console user in without a password (demo database)."""
    return svc.auth.demo_login(username).actor


def customer_id(svc: Services, site_code: str, username: str) -> int:
    from tuiconsole.store.models import Customer, Scope

    with svc.ctx.read() as s:
        cid = s.scalar(
            sa.select(Customer.id)
            .join(Scope, Scope.id == Customer.site_id)
            .where(Scope.code == site_code, Customer.username == username)
        )
    assert cid is not None, (site_code, username)
    return cid


async def workers_done(app, workers=None) -> None:  # type: ignore[no-untyped-def]
    """Wait for the app's workers; one cancelled on the way (an exclusive group's newer
    call replaced it) is done too, not an error."""
    from textual.worker import WorkerCancelled

    try:
        if workers is None:
            await app.workers.wait_for_complete()
        else:
            await app.workers.wait_for_complete(workers)
    except WorkerCancelled:
        pass
