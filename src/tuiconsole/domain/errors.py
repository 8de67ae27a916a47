"""One exception tree for the whole product.

``str(error)`` is the message shown to a user: it must never contain a secret
(password, token, SMTP password). Layers above catch ``TuiconsoleError`` and
show ``error.message``; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for typing: policy imports errors, not the other way round
    from tuiconsole.domain.policy import RuleResult


class TuiconsoleError(Exception):
    """Base class; ``message`` is safe to show to a console user or a customer."""

    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotFound(TuiconsoleError):
    default_message = "Not found."


class Forbidden(TuiconsoleError):
    default_message = "You are not allowed to do this."


class ValidationError(TuiconsoleError):
    """Bad input; ``field`` names the form field to highlight, if any."""

    default_message = "The value is not valid."

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PolicyViolation(ValidationError):
    """A password failed the scope's policy; the message lists what to fix."""

    def __init__(self, failed: Sequence[RuleResult]) -> None:
        self.failed: list[RuleResult] = list(failed)
        text = " ".join(r.message for r in self.failed) or "The password does not meet the policy."
        super().__init__(text, field="password")


def _utc_minutes(at: datetime) -> str:
    # Naive datetimes in this product are UTC by convention.
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.strftime("%Y-%m-%d %H:%M UTC")


class Conflict(TuiconsoleError):
    """Optimistic-lock failure: someone else saved the customer first (SPEC §10.10)."""

    def __init__(self, changed_by: str, changed_at: datetime) -> None:
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(f"this customer was changed by {changed_by} at {_utc_minutes(changed_at)}")


class Expired(TuiconsoleError):
    default_message = "This link or temporary password has expired: ask for a new one."


class InvalidCredentials(TuiconsoleError):
    """The portal's single login-failure answer: it never says which part was wrong."""

    default_message = (
        "username or password incorrect, or the account is locked: "
        "use Forgot password or contact support"
    )


class AccountUnavailable(TuiconsoleError):
    """The customer is disabled or locked by staff: only a supervisor can lift it."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        self.reason = reason
        super().__init__(
            message
            if message is not None
            else f"This customer's account is unavailable ({reason}): a supervisor must lift it."
        )


class PasswordChangeRequired(TuiconsoleError):
    default_message = "The password must be changed before continuing."


class ConfigError(TuiconsoleError):
    default_message = "The configuration is not valid."


class SeedError(TuiconsoleError):
    """A malformed seed file: file, line and what is wrong."""

    def __init__(self, path: str, line: int, what: str) -> None:
        self.path = path
        self.line = line
        self.what = what
        super().__init__(f"{path}:{line}: {what}")


class ImportRowError(TuiconsoleError):
    """One bad row of a CSV import."""

    def __init__(self, line: int, what: str) -> None:
        self.line = line
        self.what = what
        super().__init__(f"line {line}: {what}")


class EmailDeliveryError(TuiconsoleError):
    default_message = "The email could not be delivered."


class NotAllowed(TuiconsoleError):
    """The scope's options don't allow this (e.g. manual password entry is off)."""

    default_message = "This site's options don't allow this."


class ConsoleLocked(TuiconsoleError):
    default_message = "The console is locked: enter your password to continue."


class DatabaseUnavailable(TuiconsoleError):
    """The database can't be reached (server down, connection cut) or stays busy."""

    default_message = (
        "The database is not reachable right now (or too busy): nothing was changed. "
        "Try again in a moment."
    )
