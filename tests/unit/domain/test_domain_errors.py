from datetime import UTC, datetime, timedelta, timezone

from tuiconsole.domain import errors as e
from tuiconsole.domain.policy import RuleResult


def test_every_error_is_a_tuiconsole_error_with_a_message() -> None:
    for err in (
        e.NotFound(), e.Forbidden(), e.ValidationError(), e.Expired(), e.InvalidCredentials(),
        e.AccountUnavailable("disabled"), e.PasswordChangeRequired(), e.ConfigError(),
        e.EmailDeliveryError(), e.NotAllowed(), e.ConsoleLocked(),
    ):  # fmt: skip
        assert isinstance(err, e.TuiconsoleError)
        assert str(err) == err.message and err.message


def test_conflict_message_names_who_and_when_in_utc() -> None:
    at = datetime(2026, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=1)))
    err = e.Conflict("alice", at)
    assert str(err) == "this customer was changed by alice at 2026-03-01 10:30 UTC"
    assert err.changed_by == "alice" and err.changed_at == at


def test_invalid_credentials_is_the_single_portal_answer() -> None:
    assert str(e.InvalidCredentials()) == (
        "username or password incorrect, or the account is locked: "
        "use Forgot password or contact support"
    )


def test_policy_violation_lists_failed_rule_sentences() -> None:
    failed = [
        RuleResult("upper", "At least one capital letter", False, "Needs a capital."),
        RuleResult("digit", "At least one number", False, "Needs a number."),
    ]
    err = e.PolicyViolation(failed)
    assert str(err) == "Needs a capital. Needs a number."
    assert err.failed == failed and isinstance(err, e.ValidationError)


def test_located_errors() -> None:
    assert str(e.SeedError("seed/customers.csv", 12, "unknown scope x")) == (
        "seed/customers.csv:12: unknown scope x"
    )
    row = e.ImportRowError(7, "email is not valid")
    assert row.line == 7 and "7" in str(row) and "email is not valid" in str(row)
    assert e.ValidationError("bad", field="email").field == "email"
    assert e.AccountUnavailable("locked by staff").reason == "locked by staff"
    assert e.Conflict("bob", datetime(2026, 1, 1, 9, 5)).message.endswith("09:05 UTC")
    assert e.Conflict("bob", datetime(2026, 1, 1, 9, 5, tzinfo=UTC)).changed_by == "bob"
