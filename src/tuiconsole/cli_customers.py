"""`tuiconsole customers import|find`: bulk import and the console's search."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tuiconsole.cli import SafeGroup, echo_json, fail
from tuiconsole.config import Settings, demo_settings

if TYPE_CHECKING:
    from tuiconsole.services.views import CustomerRow

STATUS_FILTERS = ("any", "active", "locked", "disabled", "must_change")
MAX_LISTED_PROBLEMS = 1_000


def _settings(ctx: click.Context, demo: bool = False) -> Settings:
    base: Settings = ctx.find_root().obj["settings_factory"]()
    return demo_settings(base) if demo else base


@click.group(cls=SafeGroup)
def customers() -> None:
    """Import and find customers."""


@customers.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--site", "site_code", required=True, help="Code of the site the customers belong to.")
@click.option(
    "--all-or-nothing", is_flag=True, help="Import nothing when any line is bad (default: skip bad lines)."
)
@click.pass_context
def customers_import(ctx: click.Context, file: Path, site_code: str, all_or_nothing: bool) -> None:
    """Import customers from FILE (CSV: username,email,first_name,last_name,phone[,account]).

    Bad lines are listed with their line numbers; the exit code is 1 when any line was bad.
    """
    from tuiconsole.services.container import build_services, cli_actor
    from tuiconsole.services.customer_import import import_customers

    services = build_services(_settings(ctx))
    bar = None
    try:

        def on_total(total: int) -> None:
            nonlocal bar
            bar = click.progressbar(length=max(total, 1), label="Importing", file=sys.stderr)
            bar.__enter__()

        def progress(n: int) -> None:
            if bar is not None:
                bar.update(n)

        try:
            report = import_customers(
                services.ctx,
                cli_actor(),
                site_code,
                file,
                all_or_nothing=all_or_nothing,
                progress=progress,
                on_total=on_total,
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    finally:
        services.close()
    for problem in report.problems[:MAX_LISTED_PROBLEMS]:
        click.echo(f"{file}: {problem}", err=True)
    if len(report.problems) > MAX_LISTED_PROBLEMS:
        click.echo(f"… and {len(report.problems) - MAX_LISTED_PROBLEMS:,} more problems", err=True)
    if report.problems:
        fail(report.describe())
    click.echo(report.describe())


@customers.command("find")
@click.argument("text")
@click.option("--scope", "scope_code", required=True, help="Code of a site or brand (a brand: all its sites).")
@click.option("--status", type=click.Choice(STATUS_FILTERS), default="any", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--demo", is_flag=True, help="The demo database instead of the configured one.")
@click.pass_context
def customers_find(
    ctx: click.Context, text: str, scope_code: str, status: str, limit: int, as_json: bool, demo: bool
) -> None:
    """Search as the console's customer filter does (every word must match)."""
    from tuiconsole.services.container import build_services, cli_actor

    services = build_services(_settings(ctx, demo))
    try:
        actor = cli_actor()
        scope = services.scopes.by_code(actor, scope_code)
        page = services.customers.search(actor, scope.id, text, status=status, limit=limit)
    finally:
        services.close()
    total = f"{page.total:,}" if page.exact else f"about {page.total:,}"
    if as_json:
        echo_json(
            {
                "scope": scope.code,
                "query": text,
                "status": status,
                "total": page.total,
                "exact": page.exact,
                "customers": [
                    {
                        "id": r.id,
                        "site": r.site_code,
                        "username": r.username,
                        "first_name": r.first_name,
                        "last_name": r.last_name,
                        "email": r.email,
                        "phone": r.phone,
                        "status": r.status,
                        "must_change_password": r.must_change_password,
                        "last_login_at": r.last_login_at.isoformat() if r.last_login_at else None,
                    }
                    for r in page.rows
                ],
            }
        )
        return
    if not page.rows:
        click.echo(f"No customers in {scope.code} match '{text}'.")
        return
    _table(page.rows)
    shown = len(page.rows)
    click.echo(f"{shown:,} shown of {total} in {scope.code}.")


def _table(rows: Sequence[CustomerRow]) -> None:
    header = ("SITE", "USERNAME", "NAME", "EMAIL", "PHONE", "STATUS")
    data = [
        (
            r.site_code,
            r.username,
            f"{r.last_name}, {r.first_name}".strip(", "),
            r.email or "",
            r.phone or "",
            r.status + (" (must change)" if r.must_change_password else ""),
        )
        for r in rows
    ]
    widths = [min(40, max(len(h), *(len(d[i]) for d in data))) for i, h in enumerate(header)]
    for line in (header, *data):
        click.echo("  ".join(_fit(v, w) for v, w in zip(line, widths, strict=True)).rstrip())


def _fit(value: str, width: int) -> str:
    # Database text is printed as plain text; control characters never reach the terminal.
    clean = "".join(c if c.isprintable() else "?" for c in value)
    return clean[: width - 1] + "…" if len(clean) > width else clean.ljust(width)
