"""Every command and subcommand answers --help (SPEC §8), without touching a database."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from clikit import cli_env, invoke, run_cli
from tuiconsole.cli import main


def command_paths() -> list[tuple[str, ...]]:
    ctx = click.Context(main)
    found: list[tuple[str, ...]] = [()]

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            found.append((*prefix, name))
            if isinstance(command, click.Group):
                walk(command, (*prefix, name))

    walk(main, ())
    return found


PATHS = command_paths()


def test_the_spec_commands_exist() -> None:
    names = {" ".join(p) for p in PATHS}
    expected = {
        "demo", "db upgrade", "db load-seed", "users add", "users reset-password", "users list",
        "customers", "outbox", "activity export", "portal", "serve",
    }
    assert expected <= names, expected - names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "tuiconsole")
def test_help(path: tuple[str, ...], tmp_path: Path) -> None:
    # A database URL that can't work proves --help never opens the database.
    env = cli_env(tmp_path, "mysql://nobody@nowhere/x")
    result = invoke(*path, "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    assert result.stderr == ""


def test_help_of_the_real_command(tmp_path: Path) -> None:
    result = run_cli("--help", env=cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    for family in ("db", "users", "activity", "demo"):
        assert f"  {family} " in result.stdout


def test_an_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("frobnicate", env=cli_env(tmp_path))
    assert result.returncode == 2 and "No such command" in result.stderr
