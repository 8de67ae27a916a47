import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuiconsole.domain.errors import ConfigError, ValidationError
from tuiconsole.domain.options import default_options, validate_combination
from tuiconsole.domain.policy import PasswordPolicy, PersonalData, generate_password

AMBIGUOUS = set("0O1lI")


def test_default_generated_password() -> None:
    opts = default_options()
    pw = generate_password(opts)
    assert len(pw) == 16 and not AMBIGUOUS & set(pw)
    assert PasswordPolicy.from_options(opts).check(pw).ok
    assert len({generate_password(opts) for _ in range(20)}) == 20


def test_length_follows_the_options() -> None:
    assert len(generate_password(default_options(min_length=24, max_length=40))) == 24
    assert len(generate_password(default_options(min_length=4, max_length=10))) == 10
    assert len(generate_password(default_options(), length=30)) == 30
    with pytest.raises(ValidationError):
        generate_password(default_options(), length=6)


def test_inconsistent_options_are_a_config_error() -> None:
    with pytest.raises(ConfigError):
        generate_password(default_options(min_length=20, max_length=10))


@st.composite
def option_sets(draw: st.DrawFn):
    min_length = draw(st.integers(4, 128))
    values = {
        "min_length": min_length,
        "max_length": draw(st.integers(max(8, min_length), 1024)),
        **{
            name: draw(st.booleans())
            for name in (
                "require_upper",
                "require_lower",
                "require_digit",
                "require_letter",
                "require_special",
                "reject_common",
                "reject_personal",
            )
        },  # fmt: skip
    }
    try:
        validate_combination(values)
    except ValidationError:
        values["min_length"] = max(min_length, 5)
    return default_options(**values)


NAMES = st.text("abcdefghjkmnpqrstuvwxyzABCDEFGH.-", max_size=12) | st.none()


@settings(max_examples=200, deadline=None)
@given(option_sets(), st.builds(PersonalData, NAMES, NAMES, NAMES, NAMES))
def test_generated_password_always_passes_its_policy(opts, personal: PersonalData) -> None:
    pw = generate_password(opts, personal)
    assert PasswordPolicy.from_options(opts).check(pw, personal, with_strength=False).ok
    assert opts.min_length <= len(pw) <= opts.max_length
    assert not AMBIGUOUS & set(pw)
