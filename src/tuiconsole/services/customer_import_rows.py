"""The rules one CSV row of a customers import must pass (those of the New customer form).

`RowChecker.row` applies them field by field and says what is wrong. Most rows of
a real file are plain, so `RowChecker.check` first tries one regular expression
that accepts only rows `row` would accept unchanged (no spaces to strip, no control
characters, lengths within the limits, a plain email address): those are built
in a few steps; any other row goes through `row` itself, in file order, so the
outcome is the same row for row (tests/integration/services/test_import_rows.py
holds the two paths to the same answers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tuiconsole.services.email_address import PLAIN_EMAIL, EmailNotValidError, normalized_email, plain_match_normalized
from tuiconsole.store.repositories.customers import digits_of

REQUIRED = ("username", "email", "first_name", "last_name", "phone")
OPTIONAL = ("account",)
LIMITS = {"username": 150, "email": 320, "first_name": 200, "last_name": 200, "phone": 64, "account": 200}
CONTROL_CHARS = r"\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
_SPACE = re.compile(r"\s")
# Columns of the insert tuples `row` and `check` make (store bulk_insert_customers).
COLUMNS = (
    "site_id", "account_id", "username", "email", "first_name", "last_name", "phone",
    "username_ci", "email_ci", "first_name_ci", "last_name_ci", "phone_digits",
    "status", "must_change_password", "failed_login_count", "created_at", "version",
)
Row = tuple[object, ...]
Record = tuple[int, list[str]]  # (line where the row starts, its fields)


@dataclass(frozen=True)
class ImportProblem:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


def check_email(value: str) -> str | None:
    """The normalised address, or None when empty; ValueError with the reason."""
    if not value:
        return None
    if len(value) > LIMITS["email"]:
        raise ValueError(f"email: at most {LIMITS['email']} characters")
    try:
        return normalized_email(value)
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


_SEP = "\x00"  # joins a row's fields for the plain-row pattern; no field pattern admits it
_EDGE = rf"[^{CONTROL_CHARS}\s]"  # what str.strip() keeps and the rules allow
_INNER = f"[^{CONTROL_CHARS}]"


def _field_pattern(name: str) -> str:
    limit = LIMITS[name]
    if name == "username":  # no spaces anywhere
        body = f"{_EDGE}{{1,{limit}}}"
    elif name == "email":
        body = f"(?:{PLAIN_EMAIL})?"
    else:
        body = f"{_EDGE}(?:{_INNER}{{0,{limit - 2}}}{_EDGE})?"
        if name not in ("first_name", "last_name"):
            body = f"(?:{body})?"
    return f"(?P<{name}>{body})"


class RowChecker:
    """Checks the rows of one file for one site, in file order."""

    def __init__(self, names: Sequence[str], site_id: int, accounts: dict[str, int], created_at: object) -> None:
        self.names = list(names)  # the header, lowercased
        self.site_id = site_id
        self.accounts = accounts  # code or name, casefolded -> account id
        self.created_at = created_at  # as the insert wants it
        self.seen: dict[str, int] = {}  # username (casefolded) -> line
        self._plain = re.compile(_SEP.join(_field_pattern(n) for n in self.names))

    def row(self, line: int, fields: list[str]) -> Row:
        """The insert tuple of one row; ValueError saying what is wrong with it."""
        names = self.names
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
        return self._tuple(account_id, username, key, email, first, last, phone)

    def _tuple(
        self, account_id: int | None, username: str, key: str, email: str | None, first: str, last: str,
        phone: str | None,
    ) -> Row:
        return (
            self.site_id, account_id, username, email, first, last, phone,
            key, (email or "").casefold(), first.casefold(), last.casefold(), digits_of(phone),
            "active", False, 0, self.created_at, 1,
        )

    def check(
        self, records: Sequence[Record], good: list[Row], lines: list[int], problems: list[ImportProblem]
    ) -> None:
        """Append each row's insert tuple and line to good and lines, or its problem."""
        plain, n_fields, seen, accounts = self._plain.fullmatch, len(self.names), self.seen, self.accounts
        has_account = "account" in self.names
        for line, fields in records:
            m = plain(_SEP.join(fields)) if len(fields) == n_fields else None
            if m is not None:
                username, email, first, last, phone = m.group("username", "email", "first_name", "last_name", "phone")
                key = username.casefold()
                account = m.group("account") if has_account else ""
                account_id = accounts.get(account.casefold()) if account else None
                if email:
                    email = plain_match_normalized(email)
                if key not in seen and email is not None and (account_id is not None or not account):
                    seen[key] = line
                    good.append(self._tuple(account_id, username, key, email or None, first, last, phone or None))
                    lines.append(line)
                    continue
            try:  # not plain: the rules one by one
                good.append(self.row(line, fields))
                lines.append(line)
            except ValueError as exc:
                problems.append(ImportProblem(line, str(exc)))
