"""validity_in_words, format_utc and reset_link_url."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuiconsole.services.email import reset_link_url, validity_in_words
from tuiconsole.services.email.words import format_utc


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (15, "15 minutes"),
        (60, "60 minutes"),
        (90, "90 minutes"),
        (120, "2 hours"),
        (150, "2 hours and 30 minutes"),
        (181, "3 hours and 1 minute"),
        (1440, "1 day"),
        (2880, "2 days"),
        (36 * 60, "36 hours"),
    ],
)
def test_validity_in_words(minutes, words):
    assert validity_in_words(minutes) == words


@pytest.mark.parametrize("bad", [0, -1])
def test_validity_must_be_positive(bad):
    with pytest.raises(ValueError):
        validity_in_words(bad)


def test_format_utc_converts_to_utc_and_reads_naive_as_utc():
    assert format_utc("2025-11-23T18:58:00+01:00") == "23 November 2025 at 17:58 UTC"
    assert format_utc("2025-01-02T03:04:05") == "2 January 2025 at 03:04 UTC"
    east = datetime(2025, 6, 1, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_utc(east) == "31 May 2025 at 23:00 UTC"
    assert format_utc(datetime(2025, 6, 1, tzinfo=UTC)) == "1 June 2025 at 00:00 UTC"


@settings(max_examples=50)
@given(token=st.text(min_size=1, max_size=40), query=st.sampled_from(["", "?a=1", "?a=1&"]))
def test_the_token_always_reads_back_exactly(token, query):
    url = reset_link_url(f"https://acme.example/reset{query}", token)
    assert parse_qs(urlsplit(url).query)["token"] == [token]
