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
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from tuiconsole.domain.errors import NotFound, ValidationError
from tuiconsole.domain.roles import Permission
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.views import Actor
from tuiconsole.store.models import Account, Customer
from tuiconsole.store.repositories.customers import bulk_insert_customers, search_columns

REQUIRED = ("username", "email", "first_name", "last_name", "phone")
OPTIONAL = ("account",)
CHUNK = 2_000  # rows checked against the database per query
LIMITS = {"username": 150, "email": 320, "first_name": 200, "last_name": 200, "phone": 64, "account": 200}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# A plain ASCII address this strict is valid for email_validator too; anything else
# goes through email_validator itself (~0.3 ms a call: too slow for every row).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
_SPACE = re.compile(r"\s")
_SPECIAL_USE = ("arpa", "invalid", "local", "localhost", "onion", "test")
COLUMNS = (
    "site_id", "account_id", "username", "email", "first_name", "last_name", "phone",
    "username_ci", "email_ci", "first_name_ci", "last_name_ci", "phone_digits",
    "status", "must_change_password", "failed_login_count", "created_at", "version",
)

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class ImportProblem:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


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


def check_email(value: str) -> str | None:
    """The normalised address, or None when empty; ValueError with the reason."""
    if not value:
        return None
    if len(value) > LIMITS["email"]:
        raise ValueError(f"email: at most {LIMITS['email']} characters")
    m = _PLAIN_EMAIL.fullmatch(value)
    if m and len(value.split("@")[0]) <= 64 and len(value) <= 254:
        domain = m.group(1).lower()
        if domain.rsplit(".", 1)[-1] not in _SPECIAL_USE and "xn--" not in domain:
            return f"{value.rsplit('@', 1)[0]}@{domain}"
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"email: not a valid address ({exc})") from None


def _text(row: dict[str, str], name: str, *, required: bool) -> str:
    value = row.get(name, "").strip()
    if _CONTROL.search(value):
        raise ValueError(f"{name}: control characters are not allowed")
    if required and not value:
        raise ValueError(f"{name}: required")
    if len(value) > LIMITS[name]:
        raise ValueError(f"{name}: at most {LIMITS[name]} characters")
    return value


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


def _records(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]], int]:
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

    def rows() -> Iterator[tuple[int, list[str]]]:
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


class _Checker:
    """Checks rows of one site; collects the good ones as insert tuples."""

    def __init__(self, ctx: ServiceContext, site_id: int, accounts: dict[str, int]) -> None:
        self.ctx = ctx
        self.site_id = site_id
        self.accounts = accounts
        self.seen: dict[str, int] = {}  # username (casefolded) -> line
        self.now = ctx.now()

    def row(self, line: int, names: list[str], fields: list[str]) -> tuple[object, ...]:
        if len(fields) != len(names):
            raise ValueError(f"expected {len(names)} fields, found {len(fields)}")
        rec = dict(zip(names, fields, strict=True))
        username = _text(rec, "username", required=True)
        if _SPACE.search(username):
            raise ValueError("username: no spaces allowed")
        key = username.casefold()
        if key in self.seen:
            raise ValueError(f"username '{username}' already appears on line {self.seen[key]}")
        email = check_email(_text(rec, "email", required=False))
        first = _text(rec, "first_name", required=True)
        last = _text(rec, "last_name", required=True)
        phone = _text(rec, "phone", required=False) or None
        account_id = None
        if rec.get("account", "").strip():
            account = _text(rec, "account", required=False)
            account_id = self.accounts.get(account.casefold())
            if account_id is None:
                raise ValueError(f"account: no retailer account '{account}' on this site")
        self.seen[key] = line
        cols = search_columns(username=username, email=email, first_name=first, last_name=last, phone=phone)
        return (
            self.site_id, account_id, username, email, first, last, phone,
            cols["username_ci"], cols["email_ci"], cols["first_name_ci"], cols["last_name_ci"],
            cols["phone_digits"], "active", False, 0, self.now, 1,
        )


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
        checker = _Checker(ctx, site_id, accounts)
        good: list[tuple[object, ...]] = []
        lines: list[int] = []
        for chunk in _chunks(records, CHUNK):
            start = len(good)
            for line, fields in chunk:
                report.rows += 1
                try:
                    good.append(checker.row(line, names, fields))
                    lines.append(line)
                except ValueError as exc:
                    report.problems.append(ImportProblem(line, str(exc)))
            _drop_existing(s, site_id, good, lines, start, report)
            if progress is not None:
                progress(len(chunk))
        report.problems.sort(key=lambda p: p.line)
        if report.problems and all_or_nothing:
            good = []
        if good:
            report.imported = bulk_insert_customers(s.connection(), COLUMNS, good)
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
    good: list[tuple[object, ...]],
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
    items: Iterator[tuple[int, list[str]]], size: int
) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
