"""SMTP settings parsed from a URL such as ``smtp+starttls://user:pass@host:587``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from tuiconsole.services.email.errors import ConfigError

Security = Literal["plain", "starttls", "ssl"]

# scheme -> (security, default port)
_SCHEMES: dict[str, tuple[Security, int]] = {
    "smtp": ("plain", 25),
    "smtp+starttls": ("starttls", 587),
    "smtps": ("ssl", 465),
    "smtp+ssl": ("ssl", 465),
}
_SETTING = "TUICONSOLE_SMTP_URL"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: Security
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in repr or messages
    timeout: float = 10.0
    ca_file: str | None = None

    @property
    def address(self) -> str:
        """``host:port`` as written in error sentences (IPv6 in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def redacted(self) -> str:
        """The URL with the password replaced by ``***``: safe to print or log."""
        scheme = {"plain": "smtp", "starttls": "smtp+starttls", "ssl": "smtps"}[self.security]
        login = ""
        if self.username is not None:
            login = f"{self.username}:***@" if self.password is not None else f"{self.username}@"
        return f"{scheme}://{login}{self.address}?timeout={self.timeout:g}"

    def __repr__(self) -> str:
        return f"SmtpConfig({self.redacted()!r}, ca_file={self.ca_file!r})"

    __str__ = redacted


def _bad(what: str) -> ConfigError:
    # Messages name the setting and the problem, never the URL itself: it may hold a password.
    return ConfigError(f"{_SETTING} is not valid: {what}")


def _timeout(query: str, default: float) -> float:
    try:
        options = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _bad("its options after '?' could not be read") from None
    if set(options) - {"timeout"}:
        # Not echoed: a stray '?' in an unencoded password would put part of it here.
        raise _bad("the only option known after '?' is timeout")
    if "timeout" not in options:
        return default
    try:
        value = float(options["timeout"][-1])
    except ValueError:
        raise _bad("timeout must be a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise _bad("timeout must be a number of seconds above 0")
    return value


def parse_smtp_url(url: str, ca_file: str | None = None, timeout: float = 10) -> SmtpConfig:
    """``smtp://`` (port 25), ``smtp+starttls://`` (587), ``smtps://`` / ``smtp+ssl://`` (465).

    ``user:password@`` (percent-encoded) logs in; ``?timeout=5`` overrides ``timeout``.
    Raises ConfigError, whose message never contains the password.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _bad("expected e.g. smtp+starttls://user:password@mail.example.com:587") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        known = ", ".join(f"{s}://" for s in _SCHEMES)
        raise _bad(f"the scheme must be one of {known}")
    security, default_port = _SCHEMES[scheme]
    if not parts.hostname:
        raise _bad("it names no mail server host")
    if parts.path not in ("", "/") or parts.fragment:
        raise _bad("it must not have a path or '#' part")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise _bad("a password needs a user name (user:password@host)")
    if username and security == "plain":
        # smtp:// would send the login in clear text over the network.
        raise _bad("a login needs an encrypted connection: use smtp+starttls:// or smtps://")
    if ca_file is not None and not Path(ca_file).is_file():
        raise ConfigError(f"TUICONSOLE_SMTP_CA_FILE: no such file: {ca_file}")
    return SmtpConfig(
        host=parts.hostname,
        port=port or default_port,
        security=security,
        username=username,
        password=password,
        timeout=_timeout(parts.query, float(timeout)),
        ca_file=ca_file,
    )
