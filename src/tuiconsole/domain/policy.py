"""The password policy of a scope (SPEC §4): checklist verdicts and strength.

Everything is measured after Unicode NFKC normalisation, so "ｐａｓｓ" (fullwidth)
and "pass" are the same password, typed on any keyboard.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuiconsole.domain.common_passwords import is_common
from tuiconsole.domain.errors import ConfigError, ValidationError

if TYPE_CHECKING:
    from tuiconsole.domain.options import ResetOptions

# zxcvbn refuses more than 72 characters and slows sharply past ~50 on keyboard
# patterns (0.7 s at 72); the strength of the first 48 is a safe underestimate.
STRENGTH_MAX_CHARS = 48
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_STRENGTH_LABELS = ("very weak", "weak", "fair", "strong", "very strong")
_PERSONAL_MIN = 4  # shorter name parts ("al", "li") would refuse too much


def normalize_password(pw: str) -> str:
    return unicodedata.normalize("NFKC", pw)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in _CONTROL_CATEGORIES


@dataclass(frozen=True)
class PersonalData:
    username: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    def parts(self) -> frozenset[str]:
        """Casefolded values and their pieces of 4+ characters, for the personal rule."""
        # The email's local part only: the domain (gmail.com) says nothing personal.
        local = (self.email.rpartition("@")[0] or self.email) if self.email else None
        out: set[str] = set()
        for value in (self.username, local, self.first_name, self.last_name):
            if not value:
                continue
            value = normalize_password(value).casefold()
            for piece in [value, *re.split(r"[\W_]+", value)]:
                if len(piece) >= _PERSONAL_MIN:
                    out.add(piece)
        return frozenset(out)

    def user_inputs(self) -> list[str]:
        return [v for v in (self.username, self.email, self.first_name, self.last_name) if v]


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str  # checklist text
    met: bool | None  # None: decided only at OK (history)
    message: str  # what a CSR can read out to the customer when not met


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    crack_time: str
    warning: str


@dataclass(frozen=True)
class PolicyReport:
    rules: tuple[RuleResult, ...]
    strength: Strength | None

    @property
    def ok(self) -> bool:
        return not any(r.met is False for r in self.rules)

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.rules if r.met is False)


def history_rule(met: bool | None, n: int) -> RuleResult:
    """The history rule; services decide ``met`` by verifying the last ``n`` hashes."""
    plural = "password" if n == 1 else f"{n} passwords"
    return RuleResult(
        "history",
        f"Not one of the last {plural} (checked at OK)" if n != 1
        else "Not the last password (checked at OK)",
        met,
        f"The password was used recently: choose one not among the last {plural}."
        if n != 1 else "The password was used last time: choose a new one.",
    )  # fmt: skip


def _is_special(ch: str) -> bool:
    return not ch.isalnum() and not ch.isspace()


# Composition rules: (option enabling it, code, checklist label, test, message).
_COMPOSITION: tuple[tuple[str, str, str, Callable[[str], bool], str], ...] = (
    ("require_upper", "upper", "At least one capital letter", str.isupper,
     "The password needs at least one capital letter."),
    ("require_lower", "lower", "At least one lowercase letter", str.islower,
     "The password needs at least one lowercase letter."),
    ("require_digit", "digit", "At least one number", str.isdigit,
     "The password needs at least one number."),
    ("require_letter", "letter", "At least one letter", str.isalpha,
     "The password needs at least one letter."),
    ("require_special", "special", "At least one special character (such as ! # %)", _is_special,
     "The password needs at least one special character, such as ! # or %."),
)  # fmt: skip


class PasswordPolicy:
    """The rules ``ResetOptions`` enable; build with ``from_options``."""

    def __init__(self, opts: ResetOptions) -> None:
        self.opts = opts

    @classmethod
    def from_options(cls, opts: ResetOptions) -> PasswordPolicy:
        return cls(opts)

    def check(
        self, password: str, personal: PersonalData | None = None, *, with_strength: bool = True
    ) -> PolicyReport:
        """Every enabled rule's verdict, in checklist order; never raises on any str."""
        o = self.opts
        pw = normalize_password(password)
        n = len(pw)
        visible = [c for c in pw if not _is_control(c)]  # control chars count for nothing
        rules = [
            RuleResult("min_length", f"At least {o.min_length} characters", n >= o.min_length,
                       f"The password needs at least {o.min_length} characters."),
            RuleResult("max_length", f"At most {o.max_length} characters", n <= o.max_length,
                       f"The password can have at most {o.max_length} characters."),
        ]  # fmt: skip
        for option, code, label, test, message in _COMPOSITION:
            if getattr(o, option):
                rules.append(RuleResult(code, label, any(map(test, visible)), message))
        if o.reject_common:
            rules.append(RuleResult("common", "Not a commonly used password", not is_common(pw),
                                    "The password is too common: choose something less "
                                    "predictable."))  # fmt: skip
        if o.reject_personal:
            rules.append(RuleResult("personal", "No name, username or email in it",
                                    not _contains_personal(pw, personal),
                                    "The password must not contain the customer's name, "
                                    "username or email."))  # fmt: skip
        rules.append(RuleResult("control", "No invisible or control characters", len(visible) == n,
                                "The password must not contain invisible or control characters "
                                "such as tab or line break."))  # fmt: skip
        if o.history > 0:
            rules.append(history_rule(None, o.history))
        strength = None
        if with_strength and n <= o.max_length:  # no use rating what is refused anyway
            strength = estimate_strength(pw, personal)
        return PolicyReport(rules=tuple(rules), strength=strength)


def _contains_personal(pw: str, personal: PersonalData | None) -> bool:
    if personal is None:
        return False
    folded = pw.casefold()
    return any(part in folded for part in personal.parts())


def estimate_strength(pw: str, personal: PersonalData | None = None) -> Strength | None:
    """zxcvbn's estimate on the first characters; None if zxcvbn fails on this input."""
    if not pw:
        return Strength(0, _STRENGTH_LABELS[0], "less than a second", "")
    from zxcvbn import zxcvbn  # lazy: its import costs ~40 ms

    try:
        result = zxcvbn(
            pw[:STRENGTH_MAX_CHARS], user_inputs=personal.user_inputs() if personal else None
        )
        score = int(result["score"])
        return Strength(
            score=score,
            label=_STRENGTH_LABELS[max(0, min(score, 4))],
            crack_time=str(result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]),
            warning=str(result["feedback"].get("warning") or ""),
        )
    except Exception:  # a strength hint must never break the checklist
        return None


# Unambiguous alphabets: no 0/O/o, 1/l/I, and no quotes or characters that are
# hard to read out over the phone.
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
LOWER = "abcdefghijkmnpqrstuvwxyz"
DIGITS = "23456789"
SPECIALS = "!#$%&*+-=?@^_"
GENERATED_LENGTH = 16
_MAX_ATTEMPTS = 1000


def generate_password(
    opts: ResetOptions, personal: PersonalData | None = None, length: int | None = None
) -> str:
    """A random password that passes ``opts``' policy, easy to read out."""
    from tuiconsole.domain.options import validate_combination

    try:
        validate_combination(opts.as_dict())
    except ValidationError as e:
        raise ConfigError(f"The password options are inconsistent: {e.message}") from None
    if length is None:
        length = min(max(opts.min_length, GENERATED_LENGTH), opts.max_length)
    elif not opts.min_length <= length <= opts.max_length:
        raise ValidationError(
            f"The length must be from {opts.min_length} to {opts.max_length}.", field="length"
        )
    # Every class is used (stronger), and each one the policy requires is guaranteed.
    required = [UPPER] if opts.require_upper or opts.require_letter else []
    required += [LOWER] if opts.require_lower else []
    required += [DIGITS] if opts.require_digit else []
    required += [SPECIALS] if opts.require_special else []
    alphabet = UPPER + LOWER + DIGITS + SPECIALS
    policy = PasswordPolicy.from_options(opts)
    rng = secrets.SystemRandom()
    for _ in range(_MAX_ATTEMPTS):
        chars = [secrets.choice(cls) for cls in required]
        chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
        rng.shuffle(chars)
        candidate = "".join(chars)
        if policy.check(candidate, personal, with_strength=False).ok:
            return candidate
    raise ConfigError("Could not generate a password that meets the policy.")  # not reached
