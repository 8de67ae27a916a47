"""The wheel is complete: built, installed into a fresh venv, it migrates and loads its own seed.

Dependencies resolve offline from the project's .venv through a .pth file, so
the test needs no network; the package itself comes only from the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from clikit import cli_env, count_rows, run_cli

ROOT = Path(__file__).resolve().parents[2]
STYLES = sorted(p.name for p in (ROOT / "styles").glob("*.tcss"))
SEEDS = sorted(p.name for p in (ROOT / "seed_data").iterdir() if p.is_file())


def build_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=300,
    )
    [wheel] = out.glob("tuiconsole-*.whl")
    return wheel


def make_venv(where: Path, wheel: Path) -> Path:
    """A venv holding only the wheel; the .venv's site-packages is reachable for dependencies."""
    venv.EnvBuilder(with_pip=False).create(where)
    python = where / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    site = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip())
    # A plain path line: the .venv's own .pth files (the editable checkout) stay unread.
    (site / "zz_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return where / "bin"


@pytest.mark.slow
def test_the_wheel_installs_and_works_on_its_own(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for style in STYLES:
        assert f"tuiconsole/_styles/{style}" in names
    for seed in SEEDS:
        assert f"tuiconsole/_seed_data/{seed}" in names
    assert any(n.startswith("tuiconsole/store/migrations/versions/0001") for n in names)
    assert any(n.startswith("tuiconsole/services/email/templates/") for n in names)
    assert not any("__pycache__" in n for n in names)

    bin_dir = make_venv(tmp_path / "venv", wheel)
    where = subprocess.check_output(
        [bin_dir / "python", "-c",
         "import tuiconsole, tuiconsole.resources as r; "
         "print(tuiconsole.__file__); print(r.seed_data_dir()); print(r.styles_dir())"],
        text=True, cwd=tmp_path,
    ).split("\n")
    package, seed_dir, styles_dir = (Path(p) for p in where[:3])
    venv_root = (tmp_path / "venv").resolve()
    for path in (package, seed_dir, styles_dir):
        assert path.resolve().is_relative_to(venv_root), path  # not the checkout
    assert seed_dir.name == "_seed_data" and styles_dir.name == "_styles"

    tuiconsole = bin_dir / "tuiconsole"
    url = f"sqlite:///{tmp_path / 'wheel.db'}"
    env = cli_env(tmp_path, url)
    helped = run_cli("--help", env=env, executable=tuiconsole)
    assert helped.returncode == 0 and "Usage: tuiconsole" in helped.stdout, helped.stderr
    upgraded = run_cli("db", "upgrade", env=env, executable=tuiconsole)
    assert upgraded.returncode == 0, upgraded.stderr
    loaded = run_cli("db", "load-seed", seed_dir, env=env, executable=tuiconsole)
    assert loaded.returncode == 0, loaded.stderr
    assert count_rows(url, "customers") > 300
