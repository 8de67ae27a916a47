import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuiconsole.domain.options import default_options
from tuiconsole.domain.policy import (
    PasswordPolicy,
    PersonalData,
    PolicyReport,
    RuleResult,
    history_rule,
    normalize_password,
)

DEFAULTS = PasswordPolicy.from_options(default_options())
JANE = PersonalData(
    username="jdoe", email="jane.doe@example.com", first_name="Jane", last_name="Doe"
)
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)  # incl. lone surrogates


def verdicts(report: PolicyReport) -> dict[str, bool | None]:
    return {r.code: r.met for r in report.rules}


def failed(password: str, personal: PersonalData | None = JANE) -> set[str]:
    return {r.code for r in DEFAULTS.check(password, personal, with_strength=False).failed}


def test_default_rules_and_labels() -> None:
    report = DEFAULTS.check("Xk9#mQ2vLp7r", JANE)
    assert report.ok and report.failed == ()
    assert [r.code for r in report.rules] == [
        "min_length", "max_length", "upper", "digit", "special", "common", "personal", "control",
    ]  # fmt: skip
    labels = {r.code: r.label for r in report.rules}
    assert labels["min_length"] == "At least 8 characters"
    assert labels["upper"] == "At least one capital letter"
    assert report.strength is not None and report.strength.score == 4
    assert report.strength.label == "very strong" and report.strength.crack_time


@pytest.mark.parametrize(
    ("password", "expected_failures"),
    [
        ("Summer2026!", {"common"}),  # "summer" + year + "!" is a classic
        ("password", {"upper", "digit", "special", "common"}),
        ("P@ssw0rd!", {"common"}),  # l33t undone
        ("Password1!", {"common"}),  # trailing digits/specials stripped
        ("!!2026Dragon", {"common"}),  # leading ones too
        ("Jdoe-Secret9!", {"personal"}),  # username, 4 characters
        ("Blue-Jane-77x", {"personal"}),  # first name
        ("Jane.doe#2026x", {"personal"}),  # email local part
        ("Tq-doe-9!zzkw", set()),  # "doe" is under 4 characters: allowed
        ("Ab1!", {"min_length"}),
        ("Tab\tGr8!x9yz", {"control"}),
        ("Zero\u200bWidth9!", {"control"}),
        ("Nul\x00Byte9!x", {"control"}),
        ("Lone\ud800Sur9!", {"control"}),
        ("correct horse battery staple", {"upper", "digit", "special"}),  # spaces aren't special
    ],
)
def test_rule_verdicts(password: str, expected_failures: set[str]) -> None:
    assert failed(password) == expected_failures


def test_messages_are_sentences_a_csr_can_read_out() -> None:
    report = DEFAULTS.check("abc", JANE)
    by_code = {r.code: r for r in report.failed}
    assert by_code["upper"].message == "The password needs at least one capital letter."
    assert by_code["min_length"].message == "The password needs at least 8 characters."
    assert all(r.message.endswith(".") and "abc" not in r.message for r in report.rules)


def test_nfkc_before_measuring() -> None:
    decomposed = "Passwo\u0308rd"  # 9 code points, 8 after NFKC
    assert len(decomposed) == 9 and normalize_password(decomposed) == "Passwörd"
    policy = PasswordPolicy.from_options(default_options(min_length=9))
    assert "min_length" in {r.code for r in policy.check(decomposed).failed}
    fullwidth = "ｐａｓｓｗｏｒｄ"
    assert normalize_password(fullwidth) == "password"
    assert "common" in failed(fullwidth)
    assert verdicts(DEFAULTS.check("Ｐ２＃ｘｑｚｋｍ"))["upper"] is True  # fullwidth P → P


def test_optional_rules_only_when_enabled() -> None:
    opts = default_options(
        require_upper=False, require_digit=False, require_special=False, require_lower=True,
        require_letter=True, reject_common=False, reject_personal=False, history=3,
    )  # fmt: skip
    report = PasswordPolicy.from_options(opts).check("password", JANE)
    assert verdicts(report) == {
        "min_length": True, "max_length": True, "lower": True, "letter": True,
        "control": True, "history": None,
    }  # fmt: skip
    assert report.ok  # history is decided at OK
    assert report.rules[-1].label == "Not one of the last 3 passwords (checked at OK)"
    assert verdicts(PasswordPolicy.from_options(opts).check("12345678"))["letter"] is False


def test_unicode_case_rules() -> None:
    opts = default_options(require_lower=True, require_special=False, require_digit=False)
    v = verdicts(PasswordPolicy.from_options(opts).check("ÉCOLEçaqz"))
    assert v["upper"] is True and v["lower"] is True


def test_history_rule() -> None:
    assert history_rule(False, 5) == RuleResult(
        "history",
        "Not one of the last 5 passwords (checked at OK)",
        False,
        "The password was used recently: choose one not among the last 5 passwords.",
    )
    assert history_rule(True, 1).met is True


def test_without_personal_data_the_personal_rule_passes() -> None:
    assert "personal" not in failed("Jdoe-Secret9!", personal=None)


def test_ten_thousand_characters_fail_max_length_quickly() -> None:
    DEFAULTS.check("warm up the lazy lists")
    for huge in ("a" * 10_000, "Xk9#" * 2_500, "1qaz2wsx!QAZ@WSX" * 625, "1" * 10_000):
        start = time.perf_counter()
        report = DEFAULTS.check(huge, JANE)
        elapsed = time.perf_counter() - start
        assert "max_length" in {r.code for r in report.failed}
        assert elapsed < 0.05, elapsed


def test_strength_of_long_keyboard_walks_stays_quick() -> None:
    walk = "Tr0ub4dor&3xk9Lm!qwertyuiopasdfghjklzxcvbnm1234567890!@#$%^&*()_+qwerty"
    DEFAULTS.check("warm up")
    start = time.perf_counter()
    report = DEFAULTS.check(walk[:72])
    assert time.perf_counter() - start < 0.3  # zxcvbn alone takes ~0.7 s on all 72
    assert report.strength is not None


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, st.none() | st.builds(PersonalData, ANY_TEXT, ANY_TEXT, ANY_TEXT, ANY_TEXT))
def test_check_never_raises(password: str, personal: PersonalData | None) -> None:
    report = DEFAULTS.check(password, personal)
    assert isinstance(report.ok, bool)
    has_control = any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in normalize_password(password)
    )
    assert verdicts(report)["control"] is (not has_control)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_nfkc_idempotent(password: str) -> None:
    once = normalize_password(password)
    assert normalize_password(once) == once
