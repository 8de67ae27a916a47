import base64
import re

import pytest

from tuiconsole.domain.tokens import (
    build_reset_link,
    extract_token,
    hash_token,
    new_link_token,
    new_message_id,
    tokens_equal,
)


def test_new_link_token_has_at_least_128_bits() -> None:
    token = new_link_token()
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert len({new_link_token() for _ in range(100)}) == 100


def test_hash_token_is_sha256_hex_ignoring_whitespace() -> None:
    token = new_link_token()
    digest = hash_token(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and token not in digest
    assert hash_token(f"  {token[:10]}\n{token[10:]} ") == digest
    assert tokens_equal(digest, hash_token(token))
    assert not tokens_equal(digest, hash_token(new_link_token()))
    assert tokens_equal("é", "é") and not tokens_equal("a", "ab")


def test_extract_token_from_what_a_customer_pastes() -> None:
    token = new_link_token()
    assert extract_token(token) == token
    assert extract_token(f"  {token}\n") == token
    assert extract_token(f"https://acme.example/reset?token={token}&x=1") == token
    assert extract_token(f"https://acme.example/reset?lang=en&token={token}") == token
    assert extract_token(f"https://acme.example/reset/{token}") == token
    assert extract_token(f"https://acme.example/reset/{token}/") == token
    assert extract_token(f"token={token}") == token
    for nothing in ("", "   ", "https://acme.example/reset", "short", "https://acme.example/"):
        assert extract_token(nothing) is None


@pytest.mark.parametrize(
    "url",
    ["https://acme.example/reset?token={token}", "https://acme.example/r/{token}",
     "https://acme.example/reset", "https://acme.example/reset?lang=en"],
)  # fmt: skip
def test_build_reset_link_round_trips(url: str) -> None:
    token = new_link_token()
    link = build_reset_link(url, token)
    assert token in link and "{token}" not in link
    assert extract_token(link) == token


def test_new_message_id() -> None:
    mid = new_message_id("acme-us.example")
    assert re.fullmatch(r"<[0-9a-f]{32}@acme-us\.example>", mid)
    assert new_message_id("acme-us.example") != mid
    assert new_message_id("bad domain\r\n").endswith("@baddomain>")
    assert new_message_id("").endswith("@tuiconsole.invalid>")
