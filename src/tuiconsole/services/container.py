"""Builds every service from Settings: the one place where collaborators are wired."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from tuiconsole.config import Settings
from tuiconsole.domain.clock import Clock, SystemClock
from tuiconsole.domain.errors import ConfigError
from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.views import Actor
from tuiconsole.store import migrate
from tuiconsole.store.db import check_connection, make_engine, make_sessionmaker
from tuiconsole.store.repositories.meta import MetaRepository

# Each service's module loads when the service is first used: a console start needs
# only auth, scopes and customers; the email and password machinery comes later.
if TYPE_CHECKING:
    from tuiconsole.services.auth import AuthService
    from tuiconsole.services.customers import CustomerService
    from tuiconsole.services.offers import OfferService
    from tuiconsole.services.resets import ResetService
    from tuiconsole.services.scopes import ScopeService


def cli_actor() -> Actor:
    """Whoever can open the database administers it: audited as cli:<os user>."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        user = "unknown"
    return Actor(label=f"cli:{user}", display_name=f"cli:{user}", role="admin", kind="cli")


@dataclass
class Services:
    settings: Settings
    engine: Engine
    ctx: ServiceContext
    transport: object | None = None  # services.email transport, when configured

    @cached_property
    def customers(self) -> CustomerService:
        from tuiconsole.services.customers import CustomerService

        return CustomerService(self.ctx)

    @cached_property
    def resets(self) -> ResetService:
        from tuiconsole.services.resets import ResetService

        return ResetService(self.ctx)

    @cached_property
    def scopes(self) -> ScopeService:
        from tuiconsole.services.scopes import ScopeService

        return ScopeService(self.ctx)

    @cached_property
    def auth(self) -> AuthService:
        from tuiconsole.services.auth import AuthService

        return AuthService(self.ctx, lockout_threshold=self.settings.console_lockout_threshold)

    @cached_property
    def offers(self) -> OfferService:
        from tuiconsole.services.offers import OfferService

        return OfferService(self.ctx)

    @cached_property
    def portal(self):  # type: ignore[no-untyped-def]
        from tuiconsole.services.portal import PortalService

        return PortalService(self.ctx)

    @cached_property
    def outbox(self):  # type: ignore[no-untyped-def]
        from tuiconsole.services.outbox import OutboxService

        return OutboxService(self.ctx, self.transport)

    @cached_property
    def activity(self):  # type: ignore[no-untyped-def]
        from tuiconsole.services.activity import ActivityService

        return ActivityService(self.ctx)

    @cached_property
    def admin(self):  # type: ignore[no-untyped-def]
        from tuiconsole.services.admin import AdminService

        return AdminService(self.ctx)

    def is_demo_database(self) -> bool:
        with self.ctx.read() as s:
            return MetaRepository(s).is_demo()

    def close(self) -> None:
        self.engine.dispose()


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    hasher: PasswordHasher | None = None,
    transport: object | None = None,
    require_schema: bool = True,
) -> Services:
    """Open the database named by settings and wire every service.

    ConfigError (one clear line) when the database can't be opened or is not
    migrated; nothing is created here: `tuiconsole db upgrade` does that.
    """
    engine = make_engine(settings.database_url)
    check_connection(engine)
    if require_schema and not migrate.is_up_to_date(engine):
        engine.dispose()
        raise ConfigError(
            "The database has no tuiconsole schema or an old one: run `tuiconsole db upgrade`."
        )
    if transport is None and settings.email_transport:
        from tuiconsole.services.email.transports import make_transport

        transport = make_transport(
            settings.email_transport,
            smtp_url=settings.smtp_url,
            ca_file=settings.smtp_ca_file,
            mail_dir=settings.mail_dir,
        )
    ctx = ServiceContext(
        sessions=make_sessionmaker(engine),
        clock=clock or SystemClock(),
        hasher=hasher or PasswordHasher(),
        default_reset_url=settings.public_reset_url,
        email_configured=transport is not None,
        demo=settings.demo,
    )
    return Services(settings=settings, engine=engine, ctx=ctx, transport=transport)
