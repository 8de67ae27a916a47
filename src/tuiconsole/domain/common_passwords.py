"""Common-password lookup: zxcvbn's "passwords" frequency list, with l33t undone.

"P@ssw0rd!" and "Password1!" are as guessable as "password", so the check also
reverses common letter substitutions and strips digits/specials at the ends.
"""

from __future__ import annotations

import itertools
from functools import cache

# Substitutions people use for letters; "1" is ambiguous (i or l).
_LEET: dict[str, tuple[str, ...]] = {
    "4": ("a",), "@": ("a",), "3": ("e",), "1": ("i", "l"), "!": ("i",),
    "0": ("o",), "$": ("s",), "5": ("s",), "7": ("t",), "+": ("t",),
}  # fmt: skip
_MAX_AMBIGUOUS = 6  # beyond this many "1"s, try only all-i and all-l (2**n blows up)
MIN_STRIPPED_LENGTH = 4  # "abc1!" stripped to "abc" is too short to call common


@cache
def common_passwords() -> frozenset[str]:
    """The list, loaded once on first use (importing zxcvbn's lists costs ~40 ms)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(w.lower() for w in FREQUENCY_LISTS["passwords"])


@cache
def _longest() -> int:
    return max(map(len, common_passwords()))


def _unleet(word: str) -> set[str]:
    if not any(c in _LEET for c in word):
        return set()
    ambiguous = [i for i, c in enumerate(word) if len(_LEET.get(c, ())) > 1]
    base = [_LEET[c][0] if c in _LEET else c for c in word]
    if len(ambiguous) > _MAX_AMBIGUOUS:
        choices: list[tuple[str, ...]] = [("i",) * len(ambiguous), ("l",) * len(ambiguous)]
    else:
        choices = list(itertools.product(*(_LEET[word[i]] for i in ambiguous)))
    out = set()
    for combo in choices:
        for i, letter in zip(ambiguous, combo, strict=True):
            base[i] = letter
        out.add("".join(base))
    return out


def _strip_ends(word: str) -> set[str]:
    """The word without trailing (and also leading) non-letters, if long enough."""
    trailing = word.rstrip("".join({c for c in word if not c.isalpha()}))
    both = trailing.lstrip("".join({c for c in trailing if not c.isalpha()}))
    return {w for w in (trailing, both) if len(w) >= MIN_STRIPPED_LENGTH and w != word}


def is_common(password: str) -> bool:
    """True if the (normalised) password is a common password or a thin disguise of one."""
    word = password.lower()
    limit = _longest()
    candidates = {word}
    for w in [word, *_strip_ends(word)]:
        # Only words that could still match are expanded (keeps 10,000 chars fast).
        if len(w) <= limit:
            candidates.add(w)
            candidates |= _unleet(w)
    if len(word) <= limit:
        for u in _unleet(word):
            candidates |= _strip_ends(u)
    listed = common_passwords()
    return any(c in listed for c in candidates if len(c) <= limit)
