"""`tuiconsole demo` on its existing database: no migration or seed machinery loaded.

The console opens right after this step, so what it loads counts towards the start
(budget 1 s); Alembic, the seed loader (email_validator) and the synthetic-customer
generator are only for building or upgrading the demo database.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from clikit import cli_env, run_cli

# `tuiconsole demo --build-only` in-process, then the modules it loaded.
DEMO_AGAIN = """
import json, sys
from tuiconsole.cli import main
try:
    main(["demo", "--build-only"])
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""
BUILD_ONLY = ("alembic", "tuiconsole.services.seed", "tuiconsole.services.synthetic", "email_validator", "zxcvbn")


def test_reopening_the_demo_loads_no_build_machinery(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    built = run_cli("demo", "--build-only", env=env)
    assert built.returncode == 0, built.stderr
    again = subprocess.run([sys.executable, "-c", DEMO_AGAIN], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "ready" in again.stderr  # it found the demo database there
    loaded = set(json.loads(again.stdout.strip().splitlines()[-1]))
    assert "tuiconsole.cli_demo" in loaded
    assert sorted(m for m in loaded if m.split(".")[0] in BUILD_ONLY or m.startswith(BUILD_ONLY)) == []
