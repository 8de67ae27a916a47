"""A bad database URL or configuration file: one clear line, exit code 2, no password shown."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from clikit import assert_clean_failure, cli_env, invoke, run_cli

EXIT_CONFIG = 2


@pytest.fixture
def password() -> str:
    return "pw" + secrets.token_hex(12)


BAD_URLS = [
    "mysql://clerk:{pw}@db.example/tuiconsole",
    "postgresql://clerk:{pw}@db.example:notaport/tuiconsole",
    "postgresql+nodriver://clerk:{pw}@db.example/tuiconsole",
    "nonsense {pw}",
    "postgresql://clerk:{pw}@127.0.0.1:1/tuiconsole",  # nothing listens on port 1
]


@pytest.mark.parametrize("template", BAD_URLS)
def test_a_bad_database_url_is_one_line_without_the_password(
    template: str, password: str, tmp_path: Path
) -> None:
    env = cli_env(tmp_path, template.format(pw=password))
    result = invoke("users", "list", env=env)
    message = assert_clean_failure(result, EXIT_CONFIG)
    assert password not in result.stdout + result.stderr
    assert "database" in message.lower()


def test_the_real_command_hides_the_password_of_an_unreachable_server(password: str, tmp_path: Path) -> None:
    url = f"postgresql://clerk:{password}@127.0.0.1:1/tuiconsole"
    result = run_cli("--database-url", url, "db", "upgrade", env=cli_env(tmp_path))
    message = assert_clean_failure(result, EXIT_CONFIG)
    assert password not in result.stdout + result.stderr
    assert "clerk:***@127.0.0.1:1" in message


def test_the_real_command_reports_an_invalid_config_file(password: str, tmp_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(f'database_url = "postgresql://clerk:{password}@db/x"\nsmtp = [\n', encoding="utf-8")
    result = run_cli("users", "list", env=cli_env(tmp_path))
    message = assert_clean_failure(result, EXIT_CONFIG)
    assert "is not valid TOML" in message and str(config) in message
    assert password not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('database_url = "sqlite:///x.db"\nflavour = "{pw}"\n', "unknown setting 'flavour'"),
        ('console_idle_minutes = "{pw}"\n', "must be a whole number"),
        ('email_transport = "smtp"\n', "needs TUICONSOLE_SMTP_URL"),
        ('database_url = "mysql://clerk:{pw}@db/x"\n', "Unsupported database 'mysql'"),
    ],
)
def test_a_bad_config_file_given_with_the_config_option(
    content: str, words: str, password: str, tmp_path: Path
) -> None:
    config = tmp_path / "my.toml"
    config.write_text(content.format(pw=password), encoding="utf-8")
    result = invoke("--config", config, "db", "upgrade", env=cli_env(tmp_path))
    assert words in assert_clean_failure(result, EXIT_CONFIG)
    assert password not in result.stdout + result.stderr


def test_an_unreadable_config_file(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "config.toml"
    folder.mkdir(parents=True)  # a folder where the file should be
    result = invoke("users", "list", env=cli_env(tmp_path))
    assert "Cannot read the configuration file" in assert_clean_failure(result, EXIT_CONFIG)


def test_a_smtp_password_never_shows(password: str, tmp_path: Path) -> None:
    env = cli_env(
        tmp_path,
        f"mysql://clerk:{password}@db/x",
        TUICONSOLE_EMAIL_TRANSPORT="smtp",
        TUICONSOLE_SMTP_URL=f"smtp+starttls://mailer:{password}@127.0.0.1:1",
    )
    result = invoke("db", "upgrade", env=env)
    assert_clean_failure(result, EXIT_CONFIG)
    assert password not in result.stdout + result.stderr


def test_options_beat_the_environment_on_the_command_line(tmp_path: Path) -> None:
    env = cli_env(tmp_path, "mysql://nobody@nowhere/x")
    url = f"sqlite:///{tmp_path / 'from-option.db'}"
    result = invoke("--database-url", url, "db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-option.db").exists()
