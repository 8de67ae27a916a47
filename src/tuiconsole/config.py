"""Settings: command-line options > environment > TOML file > defaults (SPEC §8)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

from tuiconsole.domain.errors import ConfigError

APP_NAME = "tuiconsole"
ENV_PREFIX = "TUICONSOLE_"
DEFAULT_RESET_URL = "https://www.example.com/account/reset-password?token={token}"

# Setting name -> environment variable.
ENV_VARS: Mapping[str, str] = {
    "database_url": "TUICONSOLE_DATABASE_URL",
    "email_transport": "TUICONSOLE_EMAIL_TRANSPORT",
    "smtp_url": "TUICONSOLE_SMTP_URL",
    "smtp_ca_file": "TUICONSOLE_SMTP_CA_FILE",
    "mail_dir": "TUICONSOLE_MAIL_DIR",
    "public_reset_url": "TUICONSOLE_PUBLIC_RESET_URL",
}
TRANSPORTS = ("smtp", "file", "memory")


def data_dir() -> Path:
    return Path(os.environ.get("TUICONSOLE_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    return Path(os.environ.get("TUICONSOLE_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def default_config_file() -> Path:
    return config_dir() / "config.toml"


@dataclass(frozen=True)
class Settings:
    database_url: str
    email_transport: str | None = None
    smtp_url: str | None = field(default=None, repr=False)  # may hold a password
    smtp_ca_file: str | None = None
    mail_dir: str | None = None
    public_reset_url: str = DEFAULT_RESET_URL
    console_lockout_threshold: int = 5
    console_idle_minutes: int = 15
    demo: bool = False

    @property
    def email_configured(self) -> bool:
        return self.email_transport is not None

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'tuiconsole.db'}"


def demo_database_url() -> str:
    return f"sqlite:///{data_dir() / 'demo' / 'demo.db'}"


def demo_mail_dir() -> Path:
    return data_dir() / "demo" / "mail"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except PermissionError:
        raise ConfigError(f"Cannot read the configuration file {path}: permission denied") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the configuration file {path}: {exc.strerror}") from None
    section = data.get("tuiconsole", data)
    if not isinstance(section, dict):
        raise ConfigError(f"The configuration file {path}: [tuiconsole] must be a table")
    return section


def _coerce(path: Path | str, key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: '{key}' must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{path}: '{key}' must be a whole number >= 0")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{path}: '{key}' must be a string")
    return value


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Build Settings from every source, strongest last applied."""
    env = os.environ if environ is None else environ
    path = config_file or Path(env.get("TUICONSOLE_CONFIG_FILE") or default_config_file())
    defaults = Settings(database_url=default_database_url())
    known = {f for f in Settings.__dataclass_fields__ if f != "demo"}
    values: dict[str, Any] = {}

    for key, value in _read_toml(path).items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting '{key}' (known: {', '.join(sorted(known))})")
        values[key] = _coerce(path, key, value, getattr(defaults, key))
    for key, var in ENV_VARS.items():
        if env.get(var):
            values[key] = env[var]
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value

    settings = replace(defaults, **values)
    if settings.email_transport is not None and settings.email_transport not in TRANSPORTS:
        raise ConfigError(
            f"Unknown email transport '{settings.email_transport}': "
            f"TUICONSOLE_EMAIL_TRANSPORT must be one of {', '.join(TRANSPORTS)}"
        )
    if settings.email_transport == "smtp" and not settings.smtp_url:
        raise ConfigError("TUICONSOLE_EMAIL_TRANSPORT=smtp needs TUICONSOLE_SMTP_URL")
    if settings.email_transport == "file" and not settings.mail_dir:
        raise ConfigError("TUICONSOLE_EMAIL_TRANSPORT=file needs TUICONSOLE_MAIL_DIR")
    return settings


def demo_settings(base: Settings | None = None) -> Settings:
    """The demo's own database and mail folder, never the configured ones (SPEC §6)."""
    base = base or Settings(database_url=demo_database_url())
    return replace(
        base,
        database_url=demo_database_url(),
        email_transport="file",
        mail_dir=str(demo_mail_dir()),
        smtp_url=None,
        demo=True,
    )
