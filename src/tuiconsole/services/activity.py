"""The Activity screen and its export: read the audit trail, never change it.

Activity is append-only: events are written by the use cases through
``ServiceContext.record``; this service only reads them.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Collection, Iterable
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from tuiconsole.domain.errors import NotFound, ValidationError
from tuiconsole.domain.roles import Permission
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.mappers import activity_view
from tuiconsole.services.views import ActivityView, Actor
from tuiconsole.store.repositories.activity import ActivityFilter, ActivityRepository, ActivityRow

RESET_ACTIONS = (
    "reset_email_sent",
    "password_set",
    "temporary_password_set",
    "forgot_password",
    "ticket_redeemed",
)
UNLOCK_ACTIONS = ("unlocked",)
SPARKLINE_ACTIONS = RESET_ACTIONS + UNLOCK_ACTIONS
CSV_COLUMNS = ("at", "actor", "scope", "customer", "action", "outcome", "details")
MAX_PAGE = 5000
# A spreadsheet reads a cell starting with one of these as a formula (SPEC §10.12).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int, int], None]
Since = date | datetime | None


def neutralise_cell(value: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def details_text(details: dict[str, object]) -> str:
    """Details as one readable cell: ``key: value; key: value``."""
    return "; ".join(f"{key}: {_detail_value(value)}" for key, value in details.items())


def _detail_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_detail_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_detail_value(v)}" for k, v in value.items())
    if value is None:
        return "-"
    return str(value)


def _utc(moment: date | datetime, *, end_of_day: bool = False) -> datetime:
    """A bound of a date filter: a date means its whole UTC day."""
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    start = datetime.combine(moment, time(), tzinfo=UTC)
    return start + timedelta(days=1) if end_of_day else start


class ActivityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- filters --------------------------------------------------------------

    def _filter(
        self,
        s: Session,
        actor: Actor,
        *,
        scope_id: int | None,
        customer_id: int | None,
        actor_label: str | None,
        action: str | Collection[str] | None,
        since: Since,
        until: Since,
        before_id: int | None = None,
    ) -> ActivityFilter:
        ctx = self.ctx
        visible: frozenset[int] | None = actor.scope_ids
        if scope_id is not None:
            if scope_id not in ctx.scopes(s) or not actor.sees(scope_id):
                raise NotFound("That scope is not one of yours.")
            # A brand or group means every site below it.
            subtree = frozenset(ctx.subtree(s, scope_id))
            visible = subtree if visible is None else subtree & visible
        if customer_id is not None:
            ctx.customer_for(s, actor, customer_id)
        actions: tuple[str, ...] = ()
        if isinstance(action, str):
            actions = (action,) if action.strip() else ()
        elif action is not None:
            actions = tuple(action)
        lower = _utc(since) if since is not None else None
        upper = _utc(until, end_of_day=True) if until is not None else None
        if lower is not None and upper is not None and upper <= lower:
            raise ValidationError("The end date is before the start date.", field="until")
        return ActivityFilter(
            scope_ids=visible,
            customer_id=customer_id,
            actor_contains=(actor_label or "").strip() or None,
            actions=actions,
            since=lower,
            until=upper,
            before_id=before_id,
        )

    # --- reading ------------------------------------------------------------

    def query(
        self,
        actor: Actor,
        *,
        scope_id: int | None = None,
        customer_id: int | None = None,
        actor_label: str | None = None,
        action: str | Collection[str] | None = None,
        since: Since = None,
        until: Since = None,
        limit: int = 500,
        before_id: int | None = None,
    ) -> list[ActivityView]:
        """Events newest first; page on with ``before_id`` = the last id shown."""
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        limit = max(1, min(limit, MAX_PAGE))
        with ctx.read() as s:
            f = self._filter(
                s,
                actor,
                scope_id=scope_id,
                customer_id=customer_id,
                actor_label=actor_label,
                action=action,
                since=since,
                until=until,
                before_id=before_id,
            )
            return [_view(row) for row in ActivityRepository(s).page(f, limit)]

    def actions(self, actor: Actor) -> list[str]:
        """Action names present in the actor's part of the log (the filter's choices)."""
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            return ActivityRepository(s).actions(actor.scope_ids)

    def per_day(
        self,
        actor: Actor,
        actions: Iterable[str] = SPARKLINE_ACTIONS,
        days: int = 30,
        scope_id: int | None = None,
    ) -> list[tuple[date, int, int]]:
        """(day, resets, unlocks) for the last ``days`` UTC days, oldest first, gaps as 0."""
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        days = max(1, days)
        today = ctx.now().astimezone(UTC).date()
        first = today - timedelta(days=days - 1)
        wanted = tuple(actions)
        with ctx.read() as s:
            f = self._filter(
                s,
                actor,
                scope_id=scope_id,
                customer_id=None,
                actor_label=None,
                action=wanted or ("",),
                since=first,
                until=today,
            )
            counts = ActivityRepository(s).counts_per_day(f)
        out: list[tuple[date, int, int]] = []
        for i in range(days):
            day = first + timedelta(days=i)
            resets = sum(n for (d, a), n in counts.items() if d == day and a not in UNLOCK_ACTIONS)
            unlocks = sum(n for (d, a), n in counts.items() if d == day and a in UNLOCK_ACTIONS)
            out.append((day, resets, unlocks))
        return out

    # --- export -------------------------------------------------------------

    def export_csv(
        self,
        actor: Actor,
        path_or_stream: str | os.PathLike[str] | IO[str],
        *,
        scope_id: int | None = None,
        customer_id: int | None = None,
        actor_label: str | None = None,
        action: str | Collection[str] | None = None,
        since: Since = None,
        until: Since = None,
        progress: Progress | None = None,
    ) -> int:
        """Write the matching events as CSV, streaming; returns the number of rows.

        To a path: written to a temporary file beside it, renamed at the end, so
        a failure leaves no half-written file. Every cell is formula-neutralised.
        """
        ctx = self.ctx
        ctx.require(actor, Permission.SUPERVISE)
        filters: dict[str, Any] = dict(
            scope_id=scope_id,
            customer_id=customer_id,
            actor_label=actor_label,
            action=action,
            since=since,
            until=until,
        )
        if isinstance(path_or_stream, str | os.PathLike):
            rows = self._export_to_path(actor, Path(path_or_stream), filters, progress)
            target = Path(path_or_stream).name
        else:
            rows = self._write(actor, path_or_stream, filters, progress)
            target = "stream"
        with ctx.uow() as s:
            # Reading the whole trail is a sensitive read: it is audited too.
            ctx.record(s, actor, "activity_exported", scope_id=scope_id, rows=rows, file=target)
        return rows

    def _export_to_path(
        self, actor: Actor, path: Path, filters: dict[str, Any], progress: Progress | None
    ) -> int:
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise ValidationError(f"{path} is a folder: give a file name, e.g. activity.csv", field="out")
        if not folder.is_dir():
            raise ValidationError(f"Cannot write {path}: the folder {folder} does not exist.", field="out")
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        except OSError as exc:
            raise ValidationError(f"Cannot write {path}: {exc.strerror}.", field="out") from None
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                rows = self._write(actor, fh, filters, progress)
            os.replace(tmp, path)
        except OSError as exc:
            with suppress(OSError):
                tmp.unlink()
            raise ValidationError(f"Cannot write {path}: {exc.strerror}.", field="out") from None
        except BaseException:
            with suppress(OSError):
                tmp.unlink()
            raise
        return rows

    def _write(
        self, actor: Actor, fh: IO[str], filters: dict[str, Any], progress: Progress | None
    ) -> int:
        ctx = self.ctx
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        done = 0
        with ctx.read() as s:
            f = self._filter(s, actor, **filters)
            repo = ActivityRepository(s)
            total = repo.count(f)
            if progress:
                progress(0, total)
            for row in repo.stream(f):
                writer.writerow([neutralise_cell(cell) for cell in _cells(row)])
                done += 1
                if progress and done % 500 == 0:
                    progress(done, max(total, done))
        if progress:
            progress(done, max(total, done))
        return done


def _cells(row: ActivityRow) -> list[str]:
    view = activity_view(row.event)
    return [
        view.at.astimezone(UTC).isoformat(sep=" ", timespec="seconds"),
        view.actor,
        row.scope_code or "",
        row.customer_username or "",
        view.action,
        view.outcome,
        details_text(view.details),
    ]


def _view(row: ActivityRow) -> ActivityView:
    return replace(
        activity_view(row.event), scope_code=row.scope_code, customer_username=row.customer_username
    )
