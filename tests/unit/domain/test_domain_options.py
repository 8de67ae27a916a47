from dataclasses import fields

import pytest

from tuiconsole.domain.errors import ConfigError, ValidationError
from tuiconsole.domain.options import (
    OPTION_NAMES,
    OPTION_SPECS,
    Origin,
    ResetOptions,
    default_options,
    parse_option_value,
    resolve_options,
    validate_combination,
)

SITE = dict(site_code="acme-us", brand_name="Acme Retail", default_reset_url="https://r/{token}")


def test_specs_follow_the_spec_order_and_match_reset_options() -> None:
    assert OPTION_NAMES[:3] == ("allow_manual_entry", "temporary_by_default", "reset_email_mode")
    assert OPTION_NAMES[-3:] == ("email_from_name", "email_from_address", "reset_url")
    assert OPTION_NAMES == tuple(f.name for f in fields(ResetOptions))
    by_name = {s.name: s for s in OPTION_SPECS}
    assert by_name["ticket_expiration_minutes"].label == (
        "Password Ticket Expiration Delay (minutes)"
    )
    assert by_name["allow_manual_entry"].label == "Allow Manual Entry"
    assert (by_name["min_length"].min, by_name["min_length"].max) == (4, 128)
    assert by_name["reset_email_mode"].choices == ("link", "temporary_password")
    assert all(s.label and s.help for s in OPTION_SPECS)


def test_defaults_of_spec_section_4() -> None:
    eff = resolve_options([("acme.com (US)", {})], **SITE)
    v = eff.values
    assert (v.allow_manual_entry, v.temporary_by_default, v.reset_email_mode) == (
        False, True, "link",
    )  # fmt: skip
    assert (v.ticket_expiration_minutes, v.temporary_password_hours) == (60, 48)
    assert (v.include_username_in_email, v.notify_on_change) == (False, "always")
    assert (v.min_length, v.max_length, v.history) == (8, 128, 0)
    assert (v.require_upper, v.require_lower, v.require_digit) == (True, False, True)
    assert (v.require_letter, v.require_special) == (False, True)
    assert (v.reject_common, v.reject_personal) == (True, True)
    assert (v.lockout_threshold, v.lockout_minutes) == (5, 15)
    assert v.email_from_name == "Acme Retail"
    assert v.email_from_address == "no-reply@acme-us.example"
    assert v.reset_url == "https://r/{token}"
    assert all(o == Origin("default") for o in eff.origins.values())
    assert set(eff.origins) == set(OPTION_NAMES)


def test_three_level_inheritance_and_origins() -> None:
    chain = [
        ("acme.com (US)", {"min_length": 12, "history": None}),
        ("Acme Retail", {"min_length": 10, "allow_manual_entry": "on", "history": "3"}),
        ("Global", {"lockout_threshold": 3, "allow_manual_entry": False}),
    ]
    eff = resolve_options(chain, **SITE)
    assert eff.values.min_length == 12
    assert eff.origins["min_length"].describe() == "set here"
    assert eff.values.allow_manual_entry is True
    assert eff.origins["allow_manual_entry"].describe() == "inherited from Acme Retail"
    assert eff.values.history == 3  # None at the site = inherit
    assert eff.values.lockout_threshold == 3
    assert eff.origins["lockout_threshold"] == Origin("inherited", "Global")
    assert eff.origins["max_length"].describe() == "default"


def test_stored_garbage_is_a_config_error_naming_the_scope() -> None:
    with pytest.raises(ConfigError, match="Global"):
        resolve_options([("site", {}), ("Global", {"min_length": "many"})], **SITE)


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("allow_manual_entry", "on", True), ("allow_manual_entry", " OFF ", False),
        ("allow_manual_entry", "yes", True), ("allow_manual_entry", "false", False),
        ("allow_manual_entry", True, True), ("min_length", "12", 12), ("min_length", 4, 4),
        ("reset_email_mode", "Temporary_Password", "temporary_password"),
        ("notify_on_change", "csr_decides", "csr_decides"),
        ("email_from_address", " help@acme.example ", "help@acme.example"),
        ("email_from_name", "Acme Support", "Acme Support"),
        ("reset_url", "https://acme.example/reset?token={token}",
         "https://acme.example/reset?token={token}"),
        ("reset_url", "http://localhost:8000/reset", "http://localhost:8000/reset"),
        ("min_length", None, None), ("email_from_name", "  ", None),
    ],
)  # fmt: skip
def test_parse_option_value(name: str, raw: object, value: object) -> None:
    assert parse_option_value(name, raw) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "raw", "words"),
    [
        ("allow_manual_entry", "maybe", "on or off"),
        ("min_length", "3", "from 4 to 128"),
        ("min_length", "129", "from 4 to 128"),
        ("min_length", "8.5", "whole number"),
        ("min_length", True, "whole number"),
        ("history", -1, "from 0 to 24"),
        ("reset_email_mode", "sms", "link, temporary_password"),
        ("email_from_address", "nobody", "email address"),
        ("email_from_name", "Acme\r\nBcc: x@evil.example", "one line"),
        ("reset_url", "javascript:alert(1)", "http"),
        ("reset_url", "ftp://acme.example/", "http"),
        ("reset_url", "https://acme.example/{user}", "{token}"),
        ("no_such_option", "1", "Unknown option"),
    ],
)
def test_parse_errors_name_the_field(name: str, raw: object, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_option_value(name, raw)  # type: ignore[arg-type]
    assert info.value.field == name
    assert words in str(info.value)


def test_validate_combination() -> None:
    validate_combination(default_options().as_dict())
    with pytest.raises(ValidationError, match="cannot be more than") as info:
        validate_combination({"min_length": 20, "max_length": 16})
    assert info.value.field == "min_length"
    all_classes = dict.fromkeys(
        ["require_upper", "require_lower", "require_digit", "require_letter", "require_special"],
        True,
    )
    with pytest.raises(ValidationError, match="at least 5"):
        validate_combination({"min_length": 4, **all_classes})
    validate_combination({"min_length": 5, **all_classes})


def test_default_options_helper() -> None:
    assert default_options(min_length="10").min_length == 10
    with pytest.raises(ValidationError):
        default_options(min_lenght=10)
