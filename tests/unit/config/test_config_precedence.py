"""Settings: command-line options > environment > TOML file > defaults (SPEC §8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuiconsole.config import load_settings
from tuiconsole.domain.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("TUICONSOLE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("TUICONSOLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TUICONSOLE_CONFIG_DIR", str(tmp_path / "config"))


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_put_the_database_in_the_user_data_dir(tmp_path: Path) -> None:
    settings = load_settings(environ={}, config_file=tmp_path / "absent.toml")
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'tuiconsole.db'}"
    assert settings.email_transport is None and not settings.email_configured
    assert settings.console_lockout_threshold == 5
    assert settings.console_idle_minutes == 15


def test_the_default_config_file_lives_in_the_config_dir(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        'database_url = "sqlite:///from-default-file.db"\n', encoding="utf-8"
    )
    assert load_settings(environ=dict(os.environ)).database_url == "sqlite:///from-default-file.db"


def test_toml_beats_defaults(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '[tuiconsole]\ndatabase_url = "sqlite:///toml.db"\nconsole_idle_minutes = 5\n'
        'email_transport = "file"\nmail_dir = "/tmp/mail"\n',
    )
    settings = load_settings(environ={}, config_file=path)
    assert settings.database_url == "sqlite:///toml.db"
    assert settings.console_idle_minutes == 5
    assert (settings.email_transport, settings.mail_dir) == ("file", "/tmp/mail")


def test_environment_beats_toml(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'database_url = "sqlite:///toml.db"\nmail_dir = "/toml/mail"\n')
    env = {"TUICONSOLE_DATABASE_URL": "sqlite:///env.db", "TUICONSOLE_PUBLIC_RESET_URL": "https://x.example/r?t={token}"}
    settings = load_settings(environ=env, config_file=path)
    assert settings.database_url == "sqlite:///env.db"
    assert settings.public_reset_url == "https://x.example/r?t={token}"
    assert settings.mail_dir == "/toml/mail"  # not set in the environment: TOML still counts


def test_options_beat_environment(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'database_url = "sqlite:///toml.db"\n')
    env = {"TUICONSOLE_DATABASE_URL": "sqlite:///env.db"}
    settings = load_settings({"database_url": "sqlite:///option.db"}, environ=env, config_file=path)
    assert settings.database_url == "sqlite:///option.db"
    # An option left out (None) does not hide the weaker sources.
    assert load_settings({"database_url": None}, environ=env, config_file=path).database_url == "sqlite:///env.db"


def test_an_empty_environment_variable_counts_as_unset(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'database_url = "sqlite:///toml.db"\n')
    assert load_settings(environ={"TUICONSOLE_DATABASE_URL": ""}, config_file=path).database_url == "sqlite:///toml.db"


def test_config_file_named_in_the_environment(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'database_url = "sqlite:///named.db"\n')
    assert load_settings(environ={"TUICONSOLE_CONFIG_FILE": str(path)}).database_url == "sqlite:///named.db"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('database_url = "unterminated\n', "is not valid TOML"),
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ("console_idle_minutes = \"ten\"\n", "'console_idle_minutes' must be a whole number"),
        ("console_lockout_threshold = -1\n", "'console_lockout_threshold' must be a whole number"),
        ("database_url = 42\n", "'database_url' must be a string"),
        ("tuiconsole = 3\n", "[tuiconsole] must be a table"),
        ('email_transport = "pigeon"\n', "Unknown email transport 'pigeon'"),
        ('email_transport = "smtp"\n', "needs TUICONSOLE_SMTP_URL"),
        ('email_transport = "file"\n', "needs TUICONSOLE_MAIL_DIR"),
    ],
)
def test_a_bad_config_file_is_one_clear_message(tmp_path: Path, text: str, words: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={}, config_file=path)
    assert words in caught.value.message
    assert "\n" not in caught.value.message.strip()


def test_an_unreadable_config_file(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be: unreadable even for root
    with pytest.raises(ConfigError, match="Cannot read the configuration file"):
        load_settings(environ={}, config_file=folder)


def test_the_smtp_url_password_is_not_in_the_settings_repr(tmp_path: Path) -> None:
    password = os.urandom(8).hex()
    env = {"TUICONSOLE_EMAIL_TRANSPORT": "smtp", "TUICONSOLE_SMTP_URL": f"smtp+starttls://u:{password}@h:587"}
    settings = load_settings(environ=env, config_file=tmp_path / "absent.toml")
    assert settings.smtp_url and password in settings.smtp_url
    assert password not in repr(settings)
