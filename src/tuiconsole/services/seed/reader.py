"""Read a seed-data folder into plain records, each remembering file and line.

Everything is checked here, before anything is written, so a bad file is
reported as `file:line: what is wrong` and nothing is loaded.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email

from tuiconsole.domain.errors import SeedError, ValidationError
from tuiconsole.domain.options import OPTION_NAMES, parse_option_value

_REL = re.compile(r"^now(?:([+-])(\d+)([smhd]))?$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Rec:
    """One record of a seed file: its fields and where it came from."""

    path: str
    line: int
    data: dict[str, Any]

    def fail(self, what: str) -> SeedError:
        return SeedError(self.path, self.line, what)


@dataclass
class SeedSet:
    hashes: dict[str, str] = field(default_factory=dict)
    scopes: list[Rec] = field(default_factory=list)
    offers: list[Rec] = field(default_factory=list)
    users: list[Rec] = field(default_factory=list)
    accounts: list[Rec] = field(default_factory=list)
    customers: list[Rec] = field(default_factory=list)
    memberships: list[Rec] = field(default_factory=list)
    emails: list[Rec] = field(default_factory=list)


def parse_when(text: str, now: datetime, where: Rec, column: str) -> datetime | None:
    """ISO 8601 (UTC if no zone) or relative to load time: now, now-3d, now+40h."""
    text = text.strip()
    if not text:
        return None
    m = _REL.match(text)
    if m:
        if not m.group(1):
            return now
        delta = timedelta(**{_UNITS[m.group(3)]: int(m.group(2))})
        return now + delta if m.group(1) == "+" else now - delta
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise where.fail(
            f"{column}: '{text}' is not a date (use ISO 8601 or now-3d / now+2h)"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_bool(text: str, where: Rec, column: str, default: bool = False) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise where.fail(f"{column}: '{text}' is not true or false")


def parse_int(text: str, where: Rec, column: str, default: int = 0) -> int:
    value = text.strip()
    if not value:
        return default
    if not value.isdigit():
        raise where.fail(f"{column}: '{text}' is not a whole number >= 0")
    return int(value)


def check_code(value: Any, where: Rec, what: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise where.fail(f"{what}: {value!r} is not a code (lowercase letters, digits, . _ -)")
    return value


def check_text(value: Any, where: Rec, column: str, *, max_len: int, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise where.fail(f"{column}: must be text")
    if required and not value.strip():
        raise where.fail(f"{column}: must not be empty")
    if len(value) > max_len:
        raise where.fail(f"{column}: longer than {max_len} characters")
    if _CONTROL.search(value):
        raise where.fail(f"{column}: contains a control character")
    return value


def check_email(value: str, where: Rec, column: str = "email") -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise where.fail(f"{column}: '{value}' is not a valid email address ({exc})") from None


def _toml(path: Path, name: str) -> tuple[dict[str, Any], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SeedError(name, 1, "not UTF-8 text") from None
    try:
        return tomllib.loads(text), text.splitlines()
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise SeedError(name, int(m.group(1)) if m else 1, f"not valid TOML: {exc}") from None


def _toml_records(path: Path, name: str, table: str) -> list[Rec]:
    data, lines = _toml(path, name)
    items = data.get(table, [])
    if not isinstance(items, list):
        raise SeedError(name, 1, f"[[{table}]] must be an array of tables")
    # Line of each [[table]] header, so errors point at the record.
    starts = [i + 1 for i, ln in enumerate(lines) if ln.strip() == f"[[{table}]]"]
    records = []
    for idx, item in enumerate(items):
        line = starts[idx] if idx < len(starts) else 1
        if not isinstance(item, dict):
            raise SeedError(name, line, f"[[{table}]] entry must be a table")
        records.append(Rec(name, line, item))
    return records


def _csv_records(path: Path, name: str, columns: tuple[str, ...]) -> Iterator[Rec]:
    try:
        fh = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        return
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                return
            missing = [c for c in columns if c not in header]
            if missing:
                raise SeedError(name, 1, f"missing column(s): {', '.join(missing)}")
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise SeedError(
                        name, line, f"expected {len(header)} fields, found {len(row)}"
                    )
                yield Rec(name, line, dict(zip(header, row, strict=True)))
        except UnicodeDecodeError:
            raise SeedError(name, reader.line_num + 1, "not UTF-8 text") from None
        except csv.Error as exc:
            raise SeedError(name, reader.line_num, f"malformed CSV: {exc}") from None


def _options(rec: Rec) -> dict[str, Any]:
    raw = rec.data.get("options", {})
    if not isinstance(raw, dict):
        raise rec.fail("options must be a table")
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in OPTION_NAMES:
            raise rec.fail(f"unknown option '{key}'")
        try:
            parsed[key] = parse_option_value(key, value)
        except ValidationError as exc:
            raise rec.fail(f"option {key}: {exc.message}") from None
    return parsed


def read_seed(folder: Path) -> SeedSet:
    """Parse every file of a seed folder; SeedError on the first problem."""
    if not folder.is_dir():
        raise SeedError(str(folder), 0, "not a folder")

    def p(name: str) -> Path:
        return folder / name

    seed = SeedSet()
    if p("hashes.toml").exists():
        data, _ = _toml(p("hashes.toml"), "hashes.toml")
        hashes = data.get("hashes", {})
        for key, value in hashes.items():
            if not isinstance(value, str) or not value.startswith("$argon2id$"):
                raise SeedError("hashes.toml", 1, f"hash '{key}' is not an argon2id hash")
        seed.hashes = dict(hashes)
    if not p("scopes.toml").exists():
        raise SeedError("scopes.toml", 0, "missing: a seed folder needs at least scopes.toml")
    seed.scopes = _toml_records(p("scopes.toml"), "scopes.toml", "scope")
    for rec in seed.scopes:
        rec.data["options"] = _options(rec)
    if p("offers.toml").exists():
        seed.offers = _toml_records(p("offers.toml"), "offers.toml", "offer")
    if p("console_users.toml").exists():
        seed.users = _toml_records(p("console_users.toml"), "console_users.toml", "user")
    seed.accounts = list(_csv_records(p("accounts.csv"), "accounts.csv", ("site", "code", "name")))
    seed.customers = list(
        _csv_records(
            p("customers.csv"),
            "customers.csv",
            ("site", "username", "email", "first_name", "last_name"),
        )
    )
    seed.memberships = list(
        _csv_records(p("memberships.csv"), "memberships.csv", ("site", "username", "offer"))
    )
    seed.emails = list(
        _csv_records(p("emails.csv"), "emails.csv", ("site", "username", "template", "status"))
    )
    return seed
