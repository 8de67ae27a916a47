"""The layer rules hold: import-linter's contracts (pyproject.toml) are all kept."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["source_modules"][0]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_the_contracts_say_what_the_architecture_says() -> None:
    by_source = contracts()
    assert {"textual", "sqlalchemy", "tuiconsole.services"} <= set(by_source["tuiconsole.domain"]["forbidden_modules"])
    assert {"textual", "tuiconsole.services", "tuiconsole.ui"} <= set(by_source["tuiconsole.store"]["forbidden_modules"])
    assert {"textual", "tuiconsole.ui", "tuiconsole.cli"} <= set(by_source["tuiconsole.services"]["forbidden_modules"])
    assert {"tuiconsole.store", "sqlalchemy"} <= set(by_source["tuiconsole.ui"]["forbidden_modules"])


def test_lint_imports_keeps_every_contract() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
