"""`tuiconsole activity export`: the audit trail as CSV, acting as `cli:<os user>`."""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click

from tuiconsole.cli import SafeGroup, pass_settings
from tuiconsole.config import Settings

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class _Progress:
    """A progress bar on stderr, made when the number of rows is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            # On a pipe click draws no bar, only the label: it says how much there is.
            self.bar = click.progressbar(
                length=max(total, 1), label=f"{self.label} ({total} rows)", file=sys.stderr
            )
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.group(cls=SafeGroup)
def activity() -> None:
    """The audit trail."""


@activity.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CSV file to write (replaced only once it is complete).",
)
@click.option("--scope", "scope_code", metavar="CODE", help="Only this scope and those below it.")
@click.option("--since", type=click.DateTime(DATE_FORMATS), help="From this date (UTC), inclusive.")
@click.option("--until", type=click.DateTime(DATE_FORMATS), help="To this date (UTC), inclusive.")
@click.option("--action", "actions", multiple=True, metavar="ACTION", help="Only this action (repeatable).")
@click.option("--actor", "actor_label", help="Only actors whose name contains this text.")
@pass_settings
def activity_export(
    settings: Settings,
    out: Path,
    scope_code: str | None,
    since: datetime | None,
    until: datetime | None,
    actions: tuple[str, ...],
    actor_label: str | None,
) -> None:
    """Export the activity log to a CSV file (formula-safe cells)."""
    from tuiconsole.services.container import build_services, cli_actor

    me = cli_actor()
    services = build_services(settings)
    progress = _Progress("Exporting activity")
    try:
        scope_id = services.scopes.by_code(me, scope_code).id if scope_code else None
        # A bare date as --until means that whole day.
        end: date | datetime | None = until
        if until is not None and until.time() == time():
            end = until.date()
        rows = services.activity.export_csv(
            me,
            out,
            scope_id=scope_id,
            action=actions or None,
            actor_label=actor_label,
            since=since,
            until=end,
            progress=progress,
        )
    finally:
        progress.close()
        services.close()
    click.echo(f"Exported {rows} activity events to {out}.")
