"""argon2id password hashing (SPEC §10.1).

Every verification error fails closed (returns False), and a missing hash
still costs one verification so timing doesn't reveal whether a user exists.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from tuiconsole.domain.policy import normalize_password

# argon2 loads on the first hash or check, not with every console or CLI start.
if TYPE_CHECKING:
    import argon2

ARGON2ID_PREFIX = "$argon2id$"


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int
    time_cost: int
    parallelism: int

    def at_least(self, other: Argon2Params) -> bool:
        """True when every component is at least as strong as ``other``'s."""
        return (
            self.memory_kib >= other.memory_kib
            and self.time_cost >= other.time_cost
            and self.parallelism >= other.parallelism
        )


# OWASP's argon2id minimum: m=19 MiB, t=2, p=1 (~24 ms a hash on the target machine).
PRODUCTION_FLOOR = Argon2Params(memory_kib=19456, time_cost=2, parallelism=1)
# Only for tests, and only through allow_below_floor=True.
FAST_TEST_PARAMS = Argon2Params(memory_kib=8, time_cost=1, parallelism=1)


def hash_params(encoded: str) -> Argon2Params | None:
    """The parameters of an argon2id hash, or None if it isn't one."""
    if not isinstance(encoded, str) or not encoded.startswith(ARGON2ID_PREFIX):
        return None
    import argon2
    from argon2.exceptions import InvalidHashError

    try:
        p = argon2.extract_parameters(encoded)
    except (InvalidHashError, ValueError):
        return None
    if p.type is not argon2.Type.ID:
        return None
    return Argon2Params(p.memory_cost, p.time_cost, p.parallelism)


class PasswordHasher:
    """Hashes and verifies passwords (NFKC-normalised) with argon2id."""

    def __init__(
        self, params: Argon2Params = PRODUCTION_FLOOR, *, allow_below_floor: bool = False
    ) -> None:
        if not params.at_least(PRODUCTION_FLOOR) and not allow_below_floor:
            raise ValueError(
                "argon2id parameters below the production floor "
                f"(m={PRODUCTION_FLOOR.memory_kib}, t={PRODUCTION_FLOOR.time_cost}, "
                f"p={PRODUCTION_FLOOR.parallelism})"
            )
        self.params = params

    @cached_property
    def _argon2(self) -> argon2.PasswordHasher:
        import argon2

        p = self.params
        return argon2.PasswordHasher(
            time_cost=p.time_cost, memory_cost=p.memory_kib, parallelism=p.parallelism, type=argon2.Type.ID
        )

    @cached_property
    def _dummy_hash(self) -> str:
        # Same parameters as real hashes so a dummy verification costs the same.
        return self._argon2.hash(secrets.token_urlsafe(16))

    def hash(self, pw: str) -> str:
        if not isinstance(pw, str):
            raise TypeError("password must be a str")
        return self._argon2.hash(normalize_password(pw).encode("utf-8", "surrogatepass"))

    def verify(self, hash: str | None, pw: str) -> bool:
        """True only for a matching argon2id hash; never raises."""
        try:
            if not isinstance(pw, str):
                self.dummy_verify("")
                return False
            secret = normalize_password(pw).encode("utf-8", "surrogatepass")
            if not isinstance(hash, str) or hash_params(hash) is None:
                # No usable hash (none set, unknown user, foreign format): spend the
                # same time as a real check, then refuse.
                self._spend(secret)
                return False
            return self._argon2.verify(hash, secret)
        except Exception:  # fail closed on anything: mismatch, corrupt hash, bugs
            return False

    def dummy_verify(self, pw: str) -> None:
        """Spend one verification, e.g. for an unknown username."""
        try:
            secret = normalize_password(pw if isinstance(pw, str) else "").encode(
                "utf-8", "surrogatepass"
            )
            self._spend(secret)
        except Exception:  # timing padding must never break the caller
            return

    def _spend(self, secret: bytes) -> None:
        from argon2.exceptions import VerificationError

        try:
            self._argon2.verify(self._dummy_hash, secret)
        except VerificationError:
            pass

    def needs_rehash(self, hash: str) -> bool:
        """True when the hash is not argon2id or weaker than this hasher's parameters."""
        params = hash_params(hash)
        return params is None or not params.at_least(self.params)

    def is_strong_enough(self, hash: str) -> bool:
        """True when the hash is argon2id at or above the production floor."""
        params = hash_params(hash)
        return params is not None and params.at_least(PRODUCTION_FLOOR)
