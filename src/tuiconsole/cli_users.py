"""`tuiconsole users …`: console users, acting as `cli:<os user>` (an admin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import click

from tuiconsole.cli import SafeGroup, echo_json, pass_settings
from tuiconsole.config import Settings

if TYPE_CHECKING:
    from tuiconsole.services.container import Services
    from tuiconsole.services.views import Actor, ConsoleUserView

ROLES = ("csr", "supervisor", "trainer", "admin")
T = TypeVar("T")


@contextmanager
def _admin(settings: Settings) -> Iterator[tuple[Services, Actor]]:
    from tuiconsole.services.container import build_services, cli_actor

    services = build_services(settings)
    try:
        yield services, cli_actor()
    finally:
        services.close()


def _run(settings: Settings, use: Callable[[Services, Actor], T]) -> T:
    with _admin(settings) as (services, actor):
        return use(services, actor)


def _describe(user: ConsoleUserView) -> str:
    scopes = ", ".join(user.scope_codes) or ("all" if user.role == "admin" else "none")
    state = user.status + (", locked" if user.locked else "")
    state += ", must change password" if user.must_change_password else ""
    return f"{user.username} ({user.display_name}): {user.role}; scopes {scopes}; {state}"


def _show_password(username: str, password: str) -> None:
    click.echo(f"One-time temporary password for {username}: {password}")
    click.echo(
        "It must be changed at the first console login. It is shown only this once: "
        "give it to the user through a safe channel."
    )


@click.group(cls=SafeGroup)
def users() -> None:
    """Console users: add, list, reset a password, change role or scopes."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES, case_sensitive=False), required=True)
@click.option(
    "--scope", "scopes", multiple=True, metavar="CODE", help="A scope granted (repeat for several)."
)
@click.option("--display-name", help="The name shown in the console (default: NAME).")
@pass_settings
def users_add(
    settings: Settings, name: str, role: str, scopes: tuple[str, ...], display_name: str | None
) -> None:
    """Add a console user; prints a one-time temporary password."""
    user, password = _run(
        settings, lambda svc, me: svc.admin.add_user(me, name, display_name, role, scopes)
    )
    click.echo(f"Added console user {_describe(user)}.")
    _show_password(user.username, password)


@users.command("reset-password")
@click.argument("name")
@pass_settings
def users_reset_password(settings: Settings, name: str) -> None:
    """A new temporary password for a console user; also unlocks them."""
    password = _run(settings, lambda svc, me: svc.admin.reset_password(me, name))
    _show_password(name.strip().lower(), password)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_settings
def users_list(settings: Settings, as_json: bool) -> None:
    """List console users."""
    found = _run(settings, lambda svc, me: svc.admin.list_users(me))
    if as_json:
        echo_json(
            [
                {
                    "username": u.username,
                    "display_name": u.display_name,
                    "role": u.role,
                    "status": u.status,
                    "locked": u.locked,
                    "must_change_password": u.must_change_password,
                    "scopes": u.scope_codes,
                    "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
                }
                for u in found
            ]
        )
        return
    if not found:
        click.echo("No console users yet: add one with `tuiconsole users add NAME --role admin`.")
        return
    for user in found:
        click.echo(_describe(user))


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES, case_sensitive=False))
@pass_settings
def users_set_role(settings: Settings, name: str, role: str) -> None:
    """Change a console user's role."""
    user = _run(settings, lambda svc, me: svc.admin.set_role(me, name, role))
    click.echo(_describe(user))


@users.command("set-scopes")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, metavar="CODE", required=True)
@pass_settings
def users_set_scopes(settings: Settings, name: str, scopes: tuple[str, ...]) -> None:
    """Replace the scopes granted to a console user."""
    user = _run(settings, lambda svc, me: svc.admin.set_scopes(me, name, scopes))
    click.echo(_describe(user))


@users.command("disable")
@click.argument("name")
@click.option("--reason", default="", help="Why (kept in the activity log).")
@pass_settings
def users_disable(settings: Settings, name: str, reason: str) -> None:
    """Disable a console user (they can't log in)."""
    user = _run(settings, lambda svc, me: svc.admin.disable(me, name, reason))
    click.echo(_describe(user))


@users.command("enable")
@click.argument("name")
@pass_settings
def users_enable(settings: Settings, name: str) -> None:
    """Enable a disabled console user."""
    user = _run(settings, lambda svc, me: svc.admin.enable(me, name))
    click.echo(_describe(user))


@users.command("unlock")
@click.argument("name")
@pass_settings
def users_unlock(settings: Settings, name: str) -> None:
    """Unlock a console user locked after failed logins (the password stays)."""
    user = _run(settings, lambda svc, me: svc.admin.unlock(me, name))
    click.echo(_describe(user))
