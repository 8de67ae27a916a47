"""`tuiconsole outbox list|deliver`: read and deliver the outbox."""

from __future__ import annotations

import click

from tuiconsole.cli import SafeGroup, echo_json, fail
from tuiconsole.config import Settings, demo_settings, load_settings
from tuiconsole.domain.errors import ConfigError

STATUSES = ("queued", "sending", "sent", "failed")


def _settings(ctx: click.Context, demo: bool) -> Settings:
    base: Settings = ctx.find_root().obj["settings_factory"]()
    return demo_settings(base) if demo else base


@click.group(cls=SafeGroup)
def outbox() -> None:
    """Read and deliver the outbox."""


@outbox.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--status", type=click.Choice(STATUSES), help="Only emails with this status.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--demo", is_flag=True, help="The demo database instead of the configured one.")
@click.pass_context
def outbox_list(ctx: click.Context, as_json: bool, status: str | None, limit: int, demo: bool) -> None:
    """List emails, newest first (secrets are never shown)."""
    from tuiconsole.services.container import build_services, cli_actor

    services = build_services(_settings(ctx, demo))
    try:
        emails = services.outbox.list(cli_actor(), status=status, limit=limit)
    finally:
        services.close()
    if as_json:
        echo_json(
            [
                {
                    "id": e.id,
                    "status": e.status,
                    "template": e.template,
                    "to": e.to_address,
                    "subject": e.subject,
                    "attempts": e.attempts,
                    "last_error": e.last_error,
                    "created_at": e.created_at.isoformat(),
                    "sent_at": e.sent_at.isoformat() if e.sent_at else None,
                    "message_id": e.message_id,
                }
                for e in emails
            ]
        )
        return
    if not emails:
        click.echo("The outbox is empty.")
        return
    for e in emails:
        when = e.created_at.strftime("%Y-%m-%d %H:%M")
        line = f"{e.id:>6}  {e.status:<8} {when}  {e.template:<20} {e.to_address}"
        if e.last_error and e.status != "sent":
            line += f"  ({e.last_error})"
        click.echo(line)


@outbox.command("deliver")
@click.option("--demo", is_flag=True, help="The demo database and its mail folder.")
@click.pass_context
def outbox_deliver(ctx: click.Context, demo: bool) -> None:
    """Deliver every email that is due now."""
    from tuiconsole.services.container import build_services, cli_actor

    settings = _settings(ctx, demo)
    if not settings.email_transport:
        raise ConfigError(
            "No email transport is configured: set TUICONSOLE_EMAIL_TRANSPORT (smtp, file) "
            "and its settings; mail stays queued until then."
        )
    services = build_services(settings)
    try:
        report = services.outbox.deliver_all()
        counts = services.outbox.counts(cli_actor())
    finally:
        services.close()
    click.echo(
        f"Sent {report.sent}, will retry {report.deferred}, failed {report.failed}, "
        f"expired {report.expired}. Queued now: {counts['queued']}."
    )
    if report.failed or report.deferred:
        fail("some emails were not delivered: see `tuiconsole outbox list --status failed`")


__all__ = ["outbox", "load_settings"]
