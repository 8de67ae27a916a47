"""`tuiconsole db upgrade` + `db load-seed` as a user runs them, and bad seed files."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from clikit import assert_clean_failure, cli_env, count_rows, invoke, run_cli
from tuiconsole.resources import seed_data_dir

SEED = seed_data_dir()


def seed_customer_count() -> int:
    with (SEED / "customers.csv").open(encoding="utf-8", newline="") as fh:
        return sum(1 for row in csv.DictReader(fh) if any(v.strip() for v in row.values()))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database that does not exist yet (SQLite) or is empty (PostgreSQL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'new' / 'tuiconsole.db'}"
    new_database: Callable[[], str] = request.getfixturevalue("pg_server")
    return new_database()


def test_upgrade_then_load_the_shipped_seed(empty_url: str, tmp_path: Path) -> None:
    env = cli_env(tmp_path, empty_url)
    up = run_cli("db", "upgrade", env=env)
    assert up.returncode == 0, up.stderr
    assert "up to date" in up.stdout
    loaded = run_cli("db", "load-seed", SEED, env=env)
    assert loaded.returncode == 0, loaded.stderr
    expected = seed_customer_count()
    assert f"{expected} customers" in loaded.stdout
    # Not a demo database: the seed's console users are skipped, and it says so.
    assert "console users skipped" in loaded.stdout
    assert count_rows(empty_url, "customers") == expected
    assert count_rows(empty_url, "console_users") == 0


def test_loading_the_seed_twice_is_refused_and_changes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    env = cli_env(tmp_path, sqlite_url)
    assert invoke("db", "load-seed", SEED, env=env).returncode == 0
    again = invoke("db", "load-seed", SEED, env=env)
    assert "scopes.toml:5: scope 'global' already exists" in assert_clean_failure(again)
    assert count_rows(sqlite_url, "customers") == seed_customer_count()


def corrupt_line(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV line (1-based, header = line 1)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    rows[line - 1][col] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def break_email(folder: Path) -> str:
    corrupt_line(folder / "customers.csv", 40, "email", "not-an-email@@example")
    return r"^customers\.csv:40: email: 'not-an-email@@example' is not a valid email address"


def break_toml(folder: Path) -> str:
    path = folder / "scopes.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, 'name = "unterminated')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return r"^scopes\.toml:6: not valid TOML"


def unknown_scope(folder: Path) -> str:
    corrupt_line(folder / "customers.csv", 12, "site", "no-such-site")
    return r"^customers\.csv:12: unknown scope 'no-such-site'"


def bad_date(folder: Path) -> str:
    corrupt_line(folder / "customers.csv", 25, "created_at", "31/12/2020")
    return r"^customers\.csv:25: created_at: '31/12/2020' is not a date"


def assert_nothing_loaded(url: str) -> None:
    for table in ("customers", "scopes", "accounts", "offers", "meta", "activity_events"):
        assert count_rows(url, table) == 0, table


def test_a_bad_seed_line_is_reported_by_the_real_command(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    pattern = break_email(folder)
    result = run_cli("db", "load-seed", folder, env=cli_env(tmp_path, sqlite_url))
    assert re.search(pattern, assert_clean_failure(result))
    assert_nothing_loaded(sqlite_url)


@pytest.mark.parametrize("breakage", [break_email, break_toml, unknown_scope, bad_date])
def test_a_bad_seed_names_file_and_line_and_loads_nothing(
    breakage: Callable[[Path], str], sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    pattern = breakage(folder)
    result = invoke("db", "load-seed", folder, env=cli_env(tmp_path, sqlite_url))
    message = assert_clean_failure(result)
    assert re.search(pattern, message), message
    assert_nothing_loaded(sqlite_url)


@pytest.mark.postgres
def test_a_bad_seed_loads_nothing_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    pattern = break_email(folder)
    result = invoke("db", "load-seed", folder, env=cli_env(tmp_path, pg_url))
    assert re.search(pattern, assert_clean_failure(result))
    assert_nothing_loaded(pg_url)


def test_a_missing_seed_folder_is_one_clear_line(sqlite_url: str, tmp_path: Path) -> None:
    result = invoke("db", "load-seed", tmp_path / "nowhere", env=cli_env(tmp_path, sqlite_url))
    assert "nowhere" in assert_clean_failure(result)


def test_load_seed_before_upgrade_says_to_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'blank.db'}"
    result = invoke("db", "load-seed", SEED, env=cli_env(tmp_path, url))
    assert "tuiconsole db upgrade" in assert_clean_failure(result)
