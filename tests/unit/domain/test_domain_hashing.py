import argon2
import pytest

from tuiconsole.domain.hashing import (
    FAST_TEST_PARAMS,
    PRODUCTION_FLOOR,
    Argon2Params,
    PasswordHasher,
)


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(FAST_TEST_PARAMS, allow_below_floor=True)


def test_production_floor_and_default_hasher_use_argon2id_at_owasp_minimum() -> None:
    assert PRODUCTION_FLOOR.memory_kib >= 19456
    assert PRODUCTION_FLOOR.time_cost >= 2
    assert PRODUCTION_FLOOR.parallelism >= 1
    default = PasswordHasher()
    encoded = default.hash("Correct-Horse-9")
    assert encoded.startswith("$argon2id$")
    assert "$m=19456,t=2,p=1$" in encoded
    assert default.verify(encoded, "Correct-Horse-9")
    assert default.is_strong_enough(encoded) and not default.needs_rehash(encoded)


def test_constructor_refuses_params_below_the_floor() -> None:
    for weak in (
        Argon2Params(19455, 2, 1),
        Argon2Params(19456, 1, 1),
        Argon2Params(19456, 2, 0),
        FAST_TEST_PARAMS,
    ):
        with pytest.raises(ValueError, match="floor"):
            PasswordHasher(weak)
    PasswordHasher(Argon2Params(65536, 3, 4))  # stronger is fine


def test_hash_and_verify(hasher: PasswordHasher) -> None:
    encoded = hasher.hash("Summer-Breeze-7")
    assert encoded.startswith("$argon2id$") and "Summer" not in encoded
    assert hasher.verify(encoded, "Summer-Breeze-7")
    assert not hasher.verify(encoded, "summer-breeze-7")
    assert hasher.hash("x") != hasher.hash("x")  # salted


def test_nfkc_normalised_input(hasher: PasswordHasher) -> None:
    assert hasher.verify(hasher.hash("Passwo\u0308rd"), "Passwörd")
    assert hasher.verify(hasher.hash("ｐａｓｓ"), "pass")


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "",
        "not a hash",
        "$2b$12$abcdefghijklmnopqrstuuJ9b0rI2sZ8a0gkqO6B1dfsz6SXmS1m.",  # bcrypt-like
        "$argon2id$v=19$m=8,t=1,p=1$broken",
        "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$" + "A" * 43,
        12345,
        b"$argon2id$",
    ],
)
def test_verify_fails_closed(hasher: PasswordHasher, garbage: object) -> None:
    assert hasher.verify(garbage, "anything") is False  # type: ignore[arg-type]


def test_verify_fails_closed_on_other_argon2_types_and_bad_passwords(
    hasher: PasswordHasher,
) -> None:
    argon2i = argon2.PasswordHasher(1, 8, 1, type=argon2.Type.I).hash("pw")
    assert not hasher.verify(argon2i, "pw")
    assert hasher.needs_rehash(argon2i)
    encoded = hasher.hash("pw")
    assert not hasher.verify(encoded, None)  # type: ignore[arg-type]
    assert not hasher.verify(encoded, "pw\ud800")  # lone surrogate: no crash
    hasher.dummy_verify("whatever")
    hasher.dummy_verify(None)  # type: ignore[arg-type]


def test_surrogates_hash_consistently(hasher: PasswordHasher) -> None:
    assert hasher.verify(hasher.hash("a\ud800b"), "a\ud800b")


def test_needs_rehash_when_weaker() -> None:
    weak = PasswordHasher(FAST_TEST_PARAMS, allow_below_floor=True)
    stronger = PasswordHasher(Argon2Params(16, 2, 1), allow_below_floor=True)
    weak_hash = weak.hash("pw")
    assert stronger.needs_rehash(weak_hash)
    assert not weak.needs_rehash(weak_hash)
    assert not weak.needs_rehash(stronger.hash("pw"))  # stronger hashes are kept
    assert weak.needs_rehash("garbage")
    assert not weak.is_strong_enough(weak_hash)


class CountingArgon2:
    """Wraps argon2's hasher to count verifications (the cost that must be equal)."""

    def __init__(self, inner: argon2.PasswordHasher) -> None:
        self.inner = inner
        self.verifications = 0

    def hash(self, secret: bytes) -> str:
        return self.inner.hash(secret)

    def verify(self, encoded: str, secret: bytes) -> bool:
        self.verifications += 1
        return self.inner.verify(encoded, secret)


@pytest.mark.parametrize("stored", [None, "garbage", "real-wrong", "real-right"])
def test_every_outcome_costs_exactly_one_verification(stored: str | None) -> None:
    hasher = PasswordHasher(FAST_TEST_PARAMS, allow_below_floor=True)
    counter = CountingArgon2(hasher._argon2)
    hasher._argon2 = counter  # type: ignore[assignment]
    real = hasher.hash("right")
    encoded = real if stored and stored.startswith("real") else stored
    hasher.verify(encoded, "right" if stored == "real-right" else "wrong")
    assert counter.verifications == 1
    hasher.dummy_verify("x")
    assert counter.verifications == 2
