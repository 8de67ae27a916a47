"""The fast email check agrees with email_validator: same addresses, same normalised form."""

from __future__ import annotations

import re
import sys

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tuiconsole.services.customer_import_rows import check_email
from tuiconsole.services.email_address import normalized_email, plain_email


def reference(value: str) -> str | None:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


ATEXT = "abcXYZ019!#$%&'*+/=?^_`{|}~-"
local_atoms = st.text(alphabet=ATEXT, min_size=1, max_size=8)
local_parts = st.one_of(
    st.lists(local_atoms, min_size=1, max_size=4).map(".".join),
    st.sampled_from(["Info", "SALES", "postmaster", "noc", "a..b", ".a", "a.", "", "é", "a b", '"q"', "a@b"]),
    st.integers(60, 70).map(lambda n: "x" * n),
)
labels = st.one_of(
    st.text(alphabet="abcXZ09-", min_size=1, max_size=10),
    st.sampled_from(["xn--bcher-kva", "ab--cd", "a--b", "-a", "a-", "bücher", "EXAMPLE", "x" * 63, "x" * 64, "1"]),
)
tlds = st.one_of(
    st.sampled_from(
        ["com", "COM", "de", "arpa", "Local", "localhost", "onion", "test", "invalid", "internal", "example", "c0m"]
    ),
    st.text(alphabet="abcXZ09-", min_size=1, max_size=5),
)
domains = st.builds(lambda ls, t: ".".join([*ls, t]), st.lists(labels, min_size=0, max_size=4), tlds)
addresses = st.one_of(
    st.builds(lambda lp, d: f"{lp}@{d}", local_parts, domains),
    st.builds(lambda lp, d, n: f"{lp}{'y' * n}@{d}", local_parts, domains, st.integers(180, 260)),
    st.text(max_size=30),
)


@settings(max_examples=3_000, deadline=None)
@given(addresses)
@example("a@ab--cd.com")
@example("Info@Example.com")
@example("x@home.arpa")
@example("x@foo.LOCAL")
@example("a@xn--bcher-kva.com")
@example("a@sub.example.c0m")
@example("a" * 64 + "@example.com")
@example("a" * 65 + "@example.com")
@example("a" * 243 + "@example.com")  # 255 characters
@example("a" * 242 + "@example.com")  # 254
def test_plain_email_agrees_with_email_validator(value: str) -> None:
    fast = plain_email(value)
    expected = reference(value)
    assert fast is None or fast == expected
    try:
        assert normalized_email(value) == expected
    except EmailNotValidError:
        assert expected is None


@settings(max_examples=500, deadline=None)
@given(addresses)
def test_check_email_says_what_email_validator_says(value: str) -> None:
    try:
        got: str | None | Exception = check_email(value)
    except ValueError as exc:
        got = exc
    if not value:
        assert got is None
    elif len(value) > 320:
        assert isinstance(got, ValueError) and "at most 320" in str(got)
    else:
        try:
            assert got == validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            assert isinstance(got, ValueError) and str(got) == f"email: not a valid address ({exc})"


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("imp1@example.com", "imp1@example.com"),
        ("Jo.O'Neill+tag@Mail.Example.CO.UK", "Jo.O'Neill+tag@mail.example.co.uk"),
        ("a_b-c@x-y.de", "a_b-c@x-y.de"),
    ],
)
def test_usual_addresses_take_the_fast_path(value: str, normalized: str) -> None:
    # Without this the import is correct but back at email_validator's speed.
    assert plain_email(value) == normalized == reference(value)


def test_what_the_plain_row_pattern_treats_as_space_is_what_strip_removes() -> None:
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        assert c.isspace() == bool(space.match(c)) == (c.strip() == ""), hex(code)
