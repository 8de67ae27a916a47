"""Run the real `tuiconsole` command in a subprocess, with everything in a temp folder.

`from clikit import run_cli, cli_env` (tests/ is on pytest's pythonpath).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa

from tuiconsole.store.db import make_engine


def cli_env(tmp_path: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The caller's environment without any TUICONSOLE_* setting, folders under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUICONSOLE_")}
    env["TUICONSOLE_DATA_DIR"] = str(tmp_path / "data")
    env["TUICONSOLE_CONFIG_DIR"] = str(tmp_path / "config")
    env["NO_COLOR"] = "1"
    if database_url is not None:
        env["TUICONSOLE_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run_cli(
    *args: str | Path,
    env: Mapping[str, str],
    executable: str | Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m tuiconsole ARGS` (or a given `tuiconsole` executable); never raises."""
    command = [str(executable)] if executable else [sys.executable, "-m", "tuiconsole"]
    return subprocess.run(
        [*command, *map(str, args)],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int | None = None) -> str:
    """A failed command: non-zero exit, one `tuiconsole: …` line on stderr, no traceback."""
    assert result.returncode != 0, result
    if code is not None:
        assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tuiconsole: "), lines[0]
    return lines[0].removeprefix("tuiconsole: ")


def count_rows(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(sa.text(f'SELECT count(*) FROM "{table}"')) or 0)
    finally:
        engine.dispose()


def invoke(*args: str | Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """The same command in this process (click's runner): much faster than a subprocess.

    Returns a CompletedProcess so the same assertions work on both.
    """
    from click.testing import CliRunner

    from tuiconsole.cli import main

    # Clear TUICONSOLE_* the caller may have, then apply env's.
    overrides: dict[str, str | None] = {k: None for k in os.environ if k.startswith("TUICONSOLE_")}
    overrides.update({k: v for k, v in env.items() if k.startswith("TUICONSOLE_")})
    result = CliRunner().invoke(main, [str(a) for a in args], env=overrides, catch_exceptions=False)
    return subprocess.CompletedProcess(
        args=list(args), returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr
    )
