"""Import customers from a CSV file into one site (`tuiconsole customers import`).

Columns: username,email,first_name,last_name,phone[,account] (header required, any
order). Every row is checked like the New customer form checks it; a bad row is
reported as ``line N: what`` (the line of the file where the row starts) and the
rest are imported — or nothing, with all_or_nothing. Everything that is imported
goes in one transaction together with one activity event that sums it up.
Imported customers have no password: a reset email gives them one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.domain.errors import NotFound, ValidationError
from tuiconsole.domain.roles import Permission
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.customer_import_rows import (
    COLUMNS,
    LIMITS,
    OPTIONAL,
    REQUIRED,
    ImportProblem,
    Record,
    Row,
    RowChecker,
    check_email,
)
from tuiconsole.services.views import Actor
from tuiconsole.store.models import Account, Customer
from tuiconsole.store.repositories.customers import bulk_insert_customers, sqlite_datetime

__all__ = ["COLUMNS", "LIMITS", "ImportProblem", "ImportReport", "check_email", "import_customers"]

CHUNK = 2_000  # rows checked against the database per query

ProgressFn = Callable[[int], None]


@dataclass
class ImportReport:
    site_code: str
    rows: int = 0  # data rows read
    imported: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    all_or_nothing: bool = False

    @property
    def rejected(self) -> int:
        return len({p.line for p in self.problems})

    def describe(self) -> str:
        text = f"Imported {self.imported:,} of {self.rows:,} customers into {self.site_code}"
        if self.problems and self.all_or_nothing:
            text += f"; nothing imported because {self.rejected:,} lines are bad (--all-or-nothing)"
        elif self.problems:
            text += f"; {self.rejected:,} bad lines skipped"
        return text + "."


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise ValidationError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{path}: line {line}: not UTF-8 text; save the file as CSV UTF-8"
        ) from None


def _records(path: Path) -> tuple[list[str], Iterator[Record], int]:
    """(header, (line, fields) of each data row, number of data lines)."""
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(f"{path}: the file is empty; expected a header line") from None
    except csv.Error as exc:
        raise ValidationError(f"{path}: line 1: not valid CSV ({exc})") from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h for h in names if h not in REQUIRED + OPTIONAL]
    if missing or unknown or len(set(names)) != len(names):
        raise ValidationError(
            f"{path}: line 1: the header must name the columns "
            f"{','.join(REQUIRED)}[,account]"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )

    def rows() -> Iterator[Record]:
        end = reader.line_num
        while True:
            start = end + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ValidationError(f"{path}: line {start}: not valid CSV ({exc})") from None
            end = reader.line_num
            if fields:  # a blank line is no row
                yield start, fields

    return names, rows(), max(0, text.count("\n") - 1)


def _site(ctx: ServiceContext, actor: Actor, site_code: str) -> int:
    with ctx.read() as s:
        by_code = {sc.code: sc for sc in ctx.scopes(s).values()}
    scope = by_code.get(site_code)
    if scope is None or not actor.sees(scope.id):
        raise NotFound(f"No site with code '{site_code}'.")
    if scope.kind != "site":
        raise ValidationError(f"'{site_code}' is a {scope.kind}: customers are imported into a site.")
    return scope.id


def import_customers(
    ctx: ServiceContext,
    actor: Actor,
    site_code: str,
    path: Path,
    *,
    all_or_nothing: bool = False,
    progress: ProgressFn | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row, then import the good ones (or none) in one transaction."""
    ctx.require(actor, Permission.EDIT_CUSTOMER)
    site_id = _site(ctx, actor, site_code)
    names, records, total = _records(path)
    if on_total is not None:
        on_total(total)
    report = ImportReport(site_code=site_code, all_or_nothing=all_or_nothing)
    with ctx.uow() as s:
        accounts: dict[str, int] = {}
        for acc_id, code, name in s.execute(
            sa.select(Account.id, Account.code, Account.name).where(Account.site_id == site_id)
        ):
            accounts.setdefault(name.casefold(), acc_id)
            accounts[code.casefold()] = acc_id
        sqlite = s.get_bind().dialect.name == "sqlite"
        # The insert takes created_at as SQLite stores it: no conversion per row.
        now = ctx.now()
        created_at = sqlite_datetime(now) if sqlite else now
        checker = RowChecker(names, site_id, accounts, created_at)
        good: list[Row] = []
        lines: list[int] = []
        for chunk in _chunks(records, CHUNK):
            start = len(good)
            report.rows += len(chunk)
            checker.check(chunk, good, lines, report.problems)
            _drop_existing(s, site_id, good, lines, start, report)
            if progress is not None:
                progress(len(chunk))
        report.problems.sort(key=lambda p: p.line)
        if report.problems and all_or_nothing:
            good = []
        if good:
            report.imported = bulk_insert_customers(s.connection(), COLUMNS, good, prepared=sqlite)
        ctx.record(
            s,
            actor,
            "customers_imported",
            scope_id=site_id,
            outcome="ok" if not report.problems else ("rejected" if all_or_nothing else "partial"),
            file=path.name,
            rows=report.rows,
            imported=report.imported,
            bad_lines=report.rejected,
            all_or_nothing=all_or_nothing,
        )
    return report


def _drop_existing(
    s: Session,
    site_id: int,
    good: list[Row],
    lines: list[int],
    start: int,
    report: ImportReport,
) -> None:
    """Rows of this chunk whose username the site has already become problems."""
    keys = [str(r[7]) for r in good[start:]]
    if not keys:
        return
    taken = set(
        s.scalars(
            sa.select(Customer.username_ci).where(
                Customer.site_id == site_id, Customer.username_ci.in_(keys)
            )
        )
    )
    if not taken:
        return
    keep_rows, keep_lines = [], []
    for row, line in zip(good[start:], lines[start:], strict=True):
        if row[7] in taken:
            report.problems.append(ImportProblem(line, f"username '{row[2]}' already exists on this site"))
        else:
            keep_rows.append(row)
            keep_lines.append(line)
    del good[start:], lines[start:]
    good.extend(keep_rows)
    lines.extend(keep_lines)


def _chunks(
    items: Iterator[Record], size: int
) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
