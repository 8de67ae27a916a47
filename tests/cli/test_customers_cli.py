"""`tuiconsole customers import|find` through the real command line (click runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from tuiconsole.cli import main
from tuiconsole.services.seed.loader import load_seed
from tuiconsole.store.db import make_engine, make_sessionmaker
from tuiconsole.store.models import ActivityEvent, Customer, Scope

HEADER = "username,email,first_name,last_name,phone\n"


@pytest.fixture
def db(sqlite_url: str) -> str:
    from testkit import SEED_DIR, START

    engine = make_engine(sqlite_url)
    load_seed(make_sessionmaker(engine), SEED_DIR, now=START, actor="cli:test", demo=True)
    engine.dispose()
    return sqlite_url


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--database-url", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def site_usernames(db: str, code: str) -> set[str]:
    engine = make_engine(db)
    with engine.connect() as conn:
        names = set(
            conn.scalars(
                sa.select(Customer.username).join(Scope, Scope.id == Customer.site_id).where(Scope.code == code)
            )
        )
    engine.dispose()
    return names


def make_csv(path: Path, rows: int, bad_every: int = 0) -> list[int]:
    """rows data lines; every bad_every-th is broken in one of several ways; returns their line numbers."""
    bad: list[int] = []
    faults = [
        lambda i: f",u{i}@example.com,Ann,Lee,\n",  # no username
        lambda i: f"imp{i},not-an-email,Ann,Lee,\n",
        lambda i: f"imp{i},u{i}@example.com,Ann\x07,Lee,\n",  # control character
        lambda i: f"imp{i},u{i}@example.com,Ann,Lee\n",  # a field short
        lambda i: "imp1,dup@example.com,Ann,Lee,\n",  # username already in the file
    ]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for i in range(1, rows + 1):
            line = i + 1
            if bad_every and i % bad_every == 0:
                fh.write(faults[(i // bad_every) % len(faults)](i))
                bad.append(line)
            else:
                fh.write(f"imp{i},imp{i}@example.com,Zoë,O'Neill-{i},+1 555 {i:07d}\n")
    return bad


def test_import_reports_bad_lines_and_imports_the_rest(db: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "customers.csv"
    bad = make_csv(csv_file, 2_000, bad_every=100)
    code, out, err = run(db, "customers", "import", str(csv_file), "--site", "globex-de")
    assert code == 1
    reported = [int(ln.split("line ")[1].split(":")[0]) for ln in err.splitlines() if ": line " in ln]
    assert reported == bad
    assert "not a valid address" in err and "control characters" in err and "expected 5 fields" in err
    assert "already appears on line 2" in err
    assert "Imported 1,980 of 2,000 customers into globex-de; 20 bad lines skipped." in err
    names = site_usernames(db, "globex-de")
    assert "imp1" in names and "imp1999" in names and "imp100" not in names
    engine = make_engine(db)
    with engine.connect() as conn:
        events = conn.execute(
            sa.select(ActivityEvent.actor, ActivityEvent.details).where(ActivityEvent.action == "customers_imported")
        ).all()
        no_password = conn.scalar(
            sa.select(sa.func.count()).where(Customer.username.like("imp%"), Customer.password_hash.is_(None))
        )
    engine.dispose()
    assert len(events) == 1 and events[0].actor.startswith("cli:")
    assert json.loads(events[0].details)["imported"] == 1_980
    assert no_password == 1_980


def test_all_or_nothing_imports_nothing(db: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "customers.csv"
    make_csv(csv_file, 500, bad_every=100)
    code, _, err = run(db, "customers", "import", str(csv_file), "--site", "globex-de", "--all-or-nothing")
    assert code == 1
    assert "nothing imported because 5 lines are bad" in err
    assert not any(n.startswith("imp") for n in site_usernames(db, "globex-de"))


def test_clean_import_then_find(db: str, tmp_path: Path) -> None:
    csv_file = tmp_path / "customers.csv"
    make_csv(csv_file, 300)
    code, out, err = run(db, "customers", "import", str(csv_file), "--site", "globex-de")
    assert code == 0, err
    assert "Imported 300 of 300 customers into globex-de." in out
    assert "Importing" in err  # the progress bar, on stderr
    code, out, _ = run(db, "customers", "find", "neill-12", "--scope", "globex", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["exact"] and data["total"] == 11  # neill-12, neill-120 … neill-129
    assert {c["username"] for c in data["customers"]} >= {"imp12", "imp120"}
    code, out, _ = run(db, "customers", "find", "imp12", "--scope", "globex-de", "--limit", "3")
    assert code == 0 and out.count("\nglobex-de  imp12") == 3 and "3 shown of 11 in globex-de." in out
    # importing the same file again: every username is taken now
    code, _, err = run(db, "customers", "import", str(csv_file), "--site", "globex-de")
    assert code == 1 and "line 2: username 'imp1' already exists on this site" in err


def test_find_as_the_console_filter(db: str) -> None:
    code, out, _ = run(db, "customers", "find", "ja do", "--scope", "acme")
    assert code == 0 and "jdoe" in out
    code, out, _ = run(db, "customers", "find", "", "--scope", "acme-us", "--status", "disabled", "--json")
    assert code == 0 and [c["username"] for c in json.loads(out)["customers"]] == ["dana.disabled"]
    code, out, _ = run(db, "customers", "find", "zzzzqqq", "--scope", "acme-us")
    assert code == 0 and "No customers in acme-us match 'zzzzqqq'." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["find", "x", "--scope", "nowhere"], "Unknown scope 'nowhere'"),
        (["import", "{csv}", "--site", "nowhere"], "No site with code 'nowhere'."),
        (["import", "{csv}", "--site", "acme"], "'acme' is a brand"),
        (["import", "{missing}", "--site", "acme-us"], "no such file"),
    ],
)
def test_bad_scope_or_file_is_a_clear_error(db: str, tmp_path: Path, args: list[str], message: str) -> None:
    csv_file = tmp_path / "ok.csv"
    csv_file.write_text(HEADER + "a1,a1@example.com,A,B,\n", encoding="utf-8")
    args = [a.format(csv=csv_file, missing=tmp_path / "missing.csv") for a in args]
    code, _, err = run(db, "customers", *args)
    assert code == 1
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"user,mail\nx,y\n", "line 1: the header must name the columns"),
        (b"", "the file is empty"),
        (HEADER.encode() + b"a1,a1@example.com,J\xe9r\xf4me,B,\n", "line 2: not UTF-8 text"),
    ],
)
def test_broken_csv_is_a_clear_error(db: str, tmp_path: Path, content: bytes, message: str) -> None:
    csv_file = tmp_path / "broken.csv"
    csv_file.write_bytes(content)
    code, _, err = run(db, "customers", "import", str(csv_file), "--site", "acme-us")
    assert code == 1 and message in err and "Traceback" not in err
