"""Password Reset Options (SPEC §4): per-scope settings inherited down the scope tree.

A scope stores only its overrides; ``resolve_options`` walks from the scope up to
the root and records where each effective value came from, for the UI.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

from tuiconsole.domain.errors import ConfigError, ValidationError

OptionKind = Literal["bool", "int", "choice", "str"]
OptionValue = bool | int | str


@dataclass(frozen=True)
class OptionSpec:
    name: str
    kind: OptionKind
    default: OptionValue | None  # None: computed from the site (see resolve_options)
    label: str
    help: str
    choices: tuple[str, ...] | None = None
    min: int | None = None
    max: int | None = None


def _b(name: str, default: bool, label: str, help: str) -> OptionSpec:
    return OptionSpec(name, "bool", default, label, help)


def _i(name: str, default: int, lo: int, hi: int, label: str, help: str) -> OptionSpec:
    return OptionSpec(name, "int", default, label, help, min=lo, max=hi)


OPTION_SPECS: tuple[OptionSpec, ...] = (
    _b("allow_manual_entry", False, "Allow Manual Entry",
       "CSRs may type or generate a password for the customer."),
    _b("temporary_by_default", True, "Temporary Password by Default",
       "The Set Password dialog starts with Temporary password checked."),
    OptionSpec("reset_email_mode", "choice", "link", "Reset Email Sends",
               "What the reset email carries: a reset link or a temporary password.",
               choices=("link", "temporary_password")),
    _i("ticket_expiration_minutes", 60, 1, 10080, "Password Ticket Expiration Delay (minutes)",
       "How long a reset link stays valid."),
    _i("temporary_password_hours", 48, 1, 720, "Temporary Password Validity (hours)",
       "How long a temporary password (emailed or set by a CSR) works."),
    _b("include_username_in_email", False, "Include Username in Temporary Password Email",
       "The temporary-password email also states the username."),
    OptionSpec("notify_on_change", "choice", "always", "Send Password Changed Email",
               "After a change by staff: always email the customer, or let the CSR decide.",
               choices=("always", "csr_decides")),
    _i("min_length", 8, 4, 128, "Minimum Length",
       "Fewest characters a password may have (after Unicode normalisation)."),
    _i("max_length", 128, 8, 1024, "Maximum Length", "Most characters a password may have."),
    _b("require_upper", True, "Require a Capital Letter", "At least one capital letter."),
    _b("require_lower", False, "Require a Lowercase Letter", "At least one lowercase letter."),
    _b("require_digit", True, "Require a Number", "At least one digit."),
    _b("require_letter", False, "Require a Letter", "At least one letter of any case."),
    _b("require_special", True, "Require a Special Character",
       "At least one character that is neither a letter, a digit nor a space."),
    _b("reject_common", True, "Reject Common Passwords",
       "Refuse passwords on a list of commonly used passwords."),
    _b("reject_personal", True, "Reject Personal Information",
       "Refuse passwords containing the username, email, first or last name."),
    _i("history", 0, 0, 24, "Password History",
       "How many previous passwords may not be reused (0 = no check)."),
    _i("lockout_threshold", 5, 0, 100, "Lockout Threshold (failed logins)",
       "Failed logins before the account locks (0 = never)."),
    _i("lockout_minutes", 15, 0, 10080, "Lockout Duration (minutes)",
       "Automatic unlock after this many minutes (0 = until staff unlock or reset)."),
    OptionSpec("email_from_name", "str", None, "Email Sender Name",
               "Sender name of the site's emails (default: the brand's name)."),
    OptionSpec("email_from_address", "str", None, "Email Sender Address",
               "Sender address of the site's emails (default: no-reply@<site code>.example)."),
    OptionSpec("reset_url", "str", None, "Reset Page URL",
               "The site's reset page; {token} marks where the token goes."),
)  # fmt: skip

OPTION_NAMES: tuple[str, ...] = tuple(s.name for s in OPTION_SPECS)
OPTION_SPECS_BY_NAME: Mapping[str, OptionSpec] = MappingProxyType({s.name: s for s in OPTION_SPECS})


@dataclass(frozen=True)
class ResetOptions:
    """The effective options of one scope, every value resolved."""

    allow_manual_entry: bool
    temporary_by_default: bool
    reset_email_mode: str  # "link" | "temporary_password"
    ticket_expiration_minutes: int
    temporary_password_hours: int
    include_username_in_email: bool
    notify_on_change: str  # "always" | "csr_decides"
    min_length: int
    max_length: int
    require_upper: bool
    require_lower: bool
    require_digit: bool
    require_letter: bool
    require_special: bool
    reject_common: bool
    reject_personal: bool
    history: int
    lockout_threshold: int
    lockout_minutes: int
    email_from_name: str
    email_from_address: str
    reset_url: str

    def as_dict(self) -> dict[str, OptionValue]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


OriginKind = Literal["set_here", "inherited", "default"]


@dataclass(frozen=True)
class Origin:
    kind: OriginKind
    scope_name: str | None = None

    def describe(self) -> str:
        if self.kind == "set_here":
            return "set here"
        if self.kind == "inherited":
            return f"inherited from {self.scope_name}"
        return "default"


@dataclass(frozen=True)
class EffectiveOptions:
    values: ResetOptions
    origins: Mapping[str, Origin]


def resolve_options(
    chain: Sequence[tuple[str, Mapping[str, object | None]]],
    *,
    site_code: str,
    brand_name: str,
    default_reset_url: str,
) -> EffectiveOptions:
    """Resolve each option from the nearest scope that sets it.

    ``chain[0]`` is the scope itself, then its parent, … up to the root; each
    mapping holds that scope's overrides (absent or None = inherit).
    Raises ConfigError if a stored override is invalid (services validate before saving).
    """
    computed: dict[str, OptionValue] = {
        "email_from_name": brand_name,
        "email_from_address": f"no-reply@{site_code}.example",
        "reset_url": default_reset_url,
    }
    values: dict[str, OptionValue] = {}
    origins: dict[str, Origin] = {}
    for spec in OPTION_SPECS:
        for depth, (scope_name, overrides) in enumerate(chain):
            raw = overrides.get(spec.name)
            if raw is None:
                continue
            try:
                value = parse_option_value(spec.name, raw)  # type: ignore[arg-type]
            except ValidationError as e:
                raise ConfigError(f"Scope {scope_name}: {e.message}") from None
            if value is None:  # e.g. "" stored: treated as inherit
                continue
            values[spec.name] = value
            origins[spec.name] = (
                Origin("set_here", scope_name) if depth == 0 else Origin("inherited", scope_name)
            )
            break
        else:
            default = spec.default if spec.default is not None else computed[spec.name]
            values[spec.name] = default
            origins[spec.name] = Origin("default")
    return EffectiveOptions(
        values=ResetOptions(**values),  # type: ignore[arg-type]
        origins=MappingProxyType(origins),
    )


_TRUE = frozenset({"on", "true", "yes", "1"})
_FALSE = frozenset({"off", "false", "no", "0"})
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MAX_TEXT_CHARS = 254


def _has_control(text: str) -> bool:
    # A line break in a sender name would allow email header injection.
    return any(unicodedata.category(c)[0] == "C" for c in text)


def parse_option_value(name: str, raw: str | int | bool | None) -> OptionValue | None:
    """Turn a typed or stored value into the option's type; None/"" means inherit.

    Raises ValidationError(field=name) with a sentence naming the option.
    """
    spec = OPTION_SPECS_BY_NAME.get(name)
    if spec is None:
        raise ValidationError(f"Unknown option: {name}.", field=name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec.kind == "bool":
        return _parse_bool(spec, raw)
    if spec.kind == "int":
        return _parse_int(spec, raw)
    if spec.kind == "choice":
        return _parse_choice(spec, raw)
    return _parse_text(spec, raw)


def _parse_bool(spec: OptionSpec, raw: str | int | bool) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValidationError(f"{spec.label} must be on or off.", field=spec.name)


def _parse_int(spec: OptionSpec, raw: str | int | bool) -> int:
    assert spec.min is not None and spec.max is not None
    bad = ValidationError(
        f"{spec.label} must be a whole number from {spec.min} to {spec.max}.", field=spec.name
    )
    if isinstance(raw, bool):  # bool is an int subclass: True must not mean 1 minute
        raise bad
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
            raise bad
        value = int(text)
    if not spec.min <= value <= spec.max:
        raise bad
    return value


def _parse_choice(spec: OptionSpec, raw: str | int | bool) -> str:
    assert spec.choices is not None
    word = str(raw).strip().lower() if not isinstance(raw, bool) else ""
    if word not in spec.choices:
        raise ValidationError(
            f"{spec.label} must be one of: {', '.join(spec.choices)}.", field=spec.name
        )
    return word


def _parse_text(spec: OptionSpec, raw: str | int | bool) -> str:
    if not isinstance(raw, str):
        raise ValidationError(f"{spec.label} must be text.", field=spec.name)
    text = raw.strip()
    if len(text) > MAX_TEXT_CHARS or _has_control(text):
        raise ValidationError(
            f"{spec.label} must be one line of at most {MAX_TEXT_CHARS} characters.",
            field=spec.name,
        )
    if spec.name == "email_from_address" and not _EMAIL_RE.fullmatch(text):
        raise ValidationError(
            f"{spec.label} must be an email address such as no-reply@example.com.",
            field=spec.name,
        )
    if spec.name == "reset_url":
        _check_reset_url(spec, text)
    return text


def _check_reset_url(spec: OptionSpec, text: str) -> None:
    bad = ValidationError(
        f"{spec.label} must be an http:// or https:// address, "
        "optionally with {token} where the token goes.",
        field=spec.name,
    )
    if any(c.isspace() for c in text):
        raise bad
    # Braces other than the {token} marker would be put into every link literally.
    if "{" in text.replace("{token}", "") or "}" in text.replace("{token}", ""):
        raise bad
    try:
        parts = urlsplit(text.replace("{token}", "TOKEN"))
    except ValueError:
        raise bad from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise bad


_CLASS_RULES = ("require_upper", "require_lower", "require_digit", "require_letter",
                "require_special")  # fmt: skip


def validate_combination(values: Mapping[str, object]) -> None:
    """Check rules between options; missing names take their spec default.

    Raises ValidationError naming the field to fix.
    """

    def get(name: str) -> object:
        value = values.get(name)
        return OPTION_SPECS_BY_NAME[name].default if value is None else value

    min_length, max_length = get("min_length"), get("max_length")
    assert isinstance(min_length, int) and isinstance(max_length, int)
    if min_length > max_length:
        raise ValidationError(
            f"Minimum Length ({min_length}) cannot be more than Maximum Length ({max_length}).",
            field="min_length",
        )
    required = sum(1 for name in _CLASS_RULES if get(name) is True)
    if min_length < required:
        raise ValidationError(
            f"Minimum Length ({min_length}) must be at least {required}, "
            "one character for each required kind of character.",
            field="min_length",
        )


def default_options(
    *,
    site_code: str = "site",
    brand_name: str = "Site",
    default_reset_url: str = "https://example.invalid/reset?token={token}",
    **overrides: object,
) -> ResetOptions:
    """The §4 defaults with ``overrides`` applied (parsed); handy for tests and tools."""
    unknown = set(overrides) - set(OPTION_NAMES)
    if unknown:  # a typo must not silently test the default instead
        raise ValidationError(f"Unknown option: {', '.join(sorted(unknown))}.")
    return resolve_options(
        [("overrides", overrides)],
        site_code=site_code,
        brand_name=brand_name,
        default_reset_url=default_reset_url,
    ).values
