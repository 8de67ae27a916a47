"""`tuiconsole users add | reset-password | list …` on a seeded (non-demo) database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clikit import assert_clean_failure, cli_env, invoke, run_cli
from testkit import SEED_DIR
from tuiconsole.config import Settings
from tuiconsole.domain.errors import InvalidCredentials
from tuiconsole.services.container import build_services

PASSWORD_LINE = re.compile(r"^One-time temporary password for (\S+): (\S+)$", re.M)


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path) -> dict[str, str]:
    """A migrated SQLite database with the shipped seed (no console users: not a demo)."""
    env = cli_env(tmp_path, sqlite_url)
    assert invoke("db", "load-seed", SEED_DIR, env=env).returncode == 0
    return env


def login_must_change(url: str, username: str, password: str) -> bool:
    svc = build_services(Settings(database_url=url))
    try:
        return svc.auth.login(username, password).must_change_password
    finally:
        svc.close()


def test_users_add_prints_the_password_once(env: dict[str, str]) -> None:
    result = run_cli(
        "users", "add", "Nina.Admin", "--role", "admin", "--display-name", "Nina A", env=env
    )
    assert result.returncode == 0, result.stderr
    [(username, password)] = PASSWORD_LINE.findall(result.stdout)
    assert username == "nina.admin"
    assert "must be changed at the first console login" in result.stdout
    assert result.stdout.count(password) == 1 and password not in result.stderr
    assert login_must_change(env["TUICONSOLE_DATABASE_URL"], "nina.admin", password)
    listed = invoke("users", "list", env=env)
    assert password not in listed.stdout
    assert "nina.admin (Nina A): admin" in listed.stdout


def test_users_add_with_scopes_and_list_as_json(env: dict[str, str]) -> None:
    added = invoke("users", "add", "casey", "--role", "csr", "--scope", "acme-us", "--scope", "acme-uk", env=env)
    assert added.returncode == 0, added.stderr
    listed = invoke("users", "list", "--json", env=env)
    [user] = json.loads(listed.stdout)
    assert user | {"last_login_at": None} == {
        "username": "casey",
        "display_name": "casey",
        "role": "csr",
        "status": "active",
        "locked": False,
        "must_change_password": True,
        "scopes": ["acme-uk", "acme-us"],
        "last_login_at": None,
    }


def test_an_empty_list_says_how_to_add(env: dict[str, str]) -> None:
    assert "tuiconsole users add" in invoke("users", "list", env=env).stdout
    assert json.loads(invoke("users", "list", "--json", env=env).stdout) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["bob", "--role", "csr", "--scope", "narnia"], "Unknown scope 'narnia'"),
        (["bob", "--role", "csr"], "needs at least one scope"),
        (["Bad Name", "--role", "admin"], "not a valid console username"),
    ],
)
def test_users_add_refuses_bad_input_in_one_line(env: dict[str, str], args: list[str], words: str) -> None:
    assert words in assert_clean_failure(invoke("users", "add", *args, env=env))


def test_users_add_refuses_an_unknown_role(env: dict[str, str]) -> None:
    result = invoke("users", "add", "bob", "--role", "boss", env=env)
    assert result.returncode == 2 and "'boss' is not one of" in result.stderr


def test_reset_password_recovers_a_locked_out_admin(env: dict[str, str]) -> None:
    url = env["TUICONSOLE_DATABASE_URL"]
    added = invoke("users", "add", "root.admin", "--role", "admin", env=env)
    [(_, first)] = PASSWORD_LINE.findall(added.stdout)
    svc = build_services(Settings(database_url=url))
    try:
        for _ in range(svc.settings.console_lockout_threshold):
            with pytest.raises(InvalidCredentials):
                svc.auth.login("root.admin", "not-" + first)
    finally:
        svc.close()
    assert '"locked": true' in invoke("users", "list", "--json", env=env).stdout
    result = invoke("users", "reset-password", "root.admin", env=env)
    assert result.returncode == 0, result.stderr
    [(username, second)] = PASSWORD_LINE.findall(result.stdout)
    assert username == "root.admin" and second != first
    assert login_must_change(url, "root.admin", second)
    with pytest.raises(InvalidCredentials):
        login_must_change(url, "root.admin", first)


def test_reset_password_of_an_unknown_user(env: dict[str, str]) -> None:
    assert "No console user 'ghost'" in assert_clean_failure(invoke("users", "reset-password", "ghost", env=env))


def test_role_scopes_disable_enable_unlock(env: dict[str, str]) -> None:
    assert invoke("users", "add", "bob", "--role", "csr", "--scope", "acme", env=env).returncode == 0
    assert "supervisor" in invoke("users", "set-role", "bob", "supervisor", env=env).stdout
    assert "scopes globex" in invoke("users", "set-scopes", "bob", "--scope", "globex", env=env).stdout
    assert "disabled" in invoke("users", "disable", "bob", "--reason", "left", env=env).stdout
    assert "active" in invoke("users", "enable", "bob", env=env).stdout
    assert "locked" not in invoke("users", "unlock", "bob", env=env).stdout


def test_commands_are_audited_as_the_cli_user(env: dict[str, str], tmp_path: Path) -> None:
    invoke("users", "add", "bob", "--role", "csr", "--scope", "acme", env=env)
    invoke("users", "reset-password", "bob", env=env)
    out = tmp_path / "a.csv"
    assert invoke("activity", "export", "--out", out, "--action", "console_user_added",
                  "--action", "console_user_password_reset", env=env).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()[1:]
    assert len(lines) == 2
    assert all(",cli:" in line for line in lines)
