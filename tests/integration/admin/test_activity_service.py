"""The audit trail: who sees what, filters, the sparkline counts, the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest

from testkit import actor, customer_id
from tuiconsole.domain.clock import FixedClock
from tuiconsole.domain.errors import Forbidden, NotFound, ValidationError
from tuiconsole.services.activity import CSV_COLUMNS, neutralise_cell
from tuiconsole.services.container import Services, cli_actor


def reset_and_unlock(svc: Services) -> tuple[int, int]:
    """A reset email on acme-us and an unlock on globex-us."""
    ada = actor(svc, "ada.admin")
    jdoe = customer_id(svc, "acme-us", "jdoe")
    svc.resets.send_reset_email(ada, jdoe)
    sam = actor(svc, "sam.supervisor")
    olga = customer_id(svc, "globex-us", "olga.petrova")
    svc.customers.lock(sam, olga, "checking a chargeback")
    svc.customers.unlock(sam, olga)
    return jdoe, olga


def test_each_actor_sees_only_their_scopes(seeded: Services) -> None:
    jdoe, olga = reset_and_unlock(seeded)
    casey = actor(seeded, "casey.csr")  # acme only
    seen = seeded.activity.query(casey)
    assert {e.customer_id for e in seen} == {jdoe}
    assert all(e.scope_id is not None for e in seen)
    everything = seeded.activity.query(actor(seeded, "ada.admin"))
    # The admin also sees events with no scope: console logins, the seed load.
    assert {"console_login", "seed_loaded"} <= {e.action for e in everything}
    assert {jdoe, olga} <= {e.customer_id for e in everything}
    with pytest.raises(NotFound):
        seeded.activity.query(casey, customer_id=olga)
    with pytest.raises(NotFound):
        seeded.activity.query(casey, scope_id=seeded.scopes.by_code(cli_actor(), "globex").id)


def test_filters(seeded_sqlite: Services, clock: FixedClock) -> None:
    svc, me = seeded_sqlite, cli_actor()
    jdoe, olga = reset_and_unlock(svc)
    globex = svc.scopes.by_code(me, "globex").id
    assert {e.action for e in svc.activity.query(me, scope_id=globex)} == {"locked", "unlocked"}
    reset = svc.activity.query(me, customer_id=jdoe, action="reset_email_sent")
    assert len(reset) == 1 and reset[0].customer_username == "jdoe" and reset[0].scope_code == "acme-us"
    assert {e.actor for e in svc.activity.query(me, actor_label="SAM.")} == {"sam.supervisor"}
    assert len(svc.activity.query(me, action=["locked", "unlocked"])) == 2
    today = clock.now().date()
    assert svc.activity.query(me, until=today - timedelta(days=1)) == []
    assert len(svc.activity.query(me, since=today, until=today)) == len(svc.activity.query(me))
    with pytest.raises(ValidationError):
        svc.activity.query(me, since=today, until=today - timedelta(days=2))


def test_paging_newest_first(seeded_sqlite: Services) -> None:
    svc, me = seeded_sqlite, cli_actor()
    reset_and_unlock(svc)
    everything = svc.activity.query(me)
    ids = [e.id for e in everything]
    assert ids == sorted(ids, reverse=True)
    first = svc.activity.query(me, limit=2)
    rest = svc.activity.query(me, before_id=first[-1].id)
    assert [e.id for e in first + rest] == ids


def test_per_day_counts_resets_and_unlocks(seeded: Services, clock: FixedClock) -> None:
    svc = seeded  # both dialects: the day is computed by the database
    ada = actor(svc, "ada.admin")
    clock.advance(days=-2)
    svc.resets.send_reset_email(ada, customer_id(svc, "acme-us", "jdoe"))
    clock.advance(days=2)
    reset_and_unlock(svc)
    days = svc.activity.per_day(ada, days=7)
    assert len(days) == 7
    assert days[-1] == (clock.now().date(), 1, 1)
    assert days[-3] == (clock.now().date() - timedelta(days=2), 1, 0)
    assert sum(r for _, r, _ in days) == 2
    acme = svc.scopes.by_code(ada, "acme").id
    assert [u for _, _, u in svc.activity.per_day(ada, days=7, scope_id=acme)] == [0] * 7


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(start: str) -> None:
    assert neutralise_cell(start + "1+2") == "'" + start + "1+2"


def test_harmless_cells_are_left_alone() -> None:
    for cell in ["jdoe", "", "2026-11-23 09:00:00+00:00", "a=b", "x-1", "'quoted"]:
        assert neutralise_cell(cell) == cell


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_writes_every_visible_event_formula_safe(seeded: Services, tmp_path: Path) -> None:
    svc = seeded
    sam = actor(svc, "sam.supervisor")
    site = svc.scopes.by_code(sam, "acme-us").id
    evil = '=HYPERLINK("http://evil.example","x")'
    created, _ = svc.customers.create(
        sam, site, username=evil, email="evil@example.com", first_name="Eve", last_name="Vil"
    )
    svc.customers.lock(sam, created.id, "@SUM(1+1)")
    with svc.ctx.uow() as s:  # whatever reaches the log, the export stays inert
        svc.ctx.record(s, "+system", "note", scope_id=site, outcome="-1", **{"=cmd": "calc"})
    out = tmp_path / "activity.csv"
    progress: list[tuple[int, int]] = []
    visible = svc.activity.query(sam, scope_id=site)
    rows = svc.activity.export_csv(
        sam, out, scope_id=site, progress=lambda done, total: progress.append((done, total))
    )
    exported = read_csv(out)
    assert len(exported) == rows == len(visible)
    assert [r["action"] for r in exported] == [e.action for e in visible]
    assert tuple(exported[0]) == CSV_COLUMNS
    assert progress[0] == (0, rows) and progress[-1] == (rows, rows)
    assert {r["customer"] for r in exported if r["action"] == "locked"} == {"'" + evil}
    note = next(r for r in exported if r["action"] == "note")
    assert (note["actor"], note["outcome"], note["details"]) == ("'+system", "'-1", "'=cmd: calc")
    for row in exported:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    lock = next(r for r in exported if r["action"] == "locked")
    assert lock["details"] == "reason: @SUM(1+1)" and lock["scope"] == "acme-us"
    # The export itself is audited.
    assert svc.activity.query(sam, action="activity_exported")[0].details["rows"] == rows


def test_export_needs_a_supervisor(seeded_sqlite: Services, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        seeded_sqlite.activity.export_csv(actor(seeded_sqlite, "casey.csr"), tmp_path / "a.csv")
    assert not (tmp_path / "a.csv").exists()


def test_export_to_a_stream(seeded_sqlite: Services) -> None:
    buffer = io.StringIO()
    rows = seeded_sqlite.activity.export_csv(cli_actor(), buffer, action="seed_loaded")
    assert rows == 1
    assert buffer.getvalue().splitlines()[1].split(",")[4] == "seed_loaded"


def test_a_failed_export_leaves_nothing_half_written(seeded_sqlite: Services, tmp_path: Path) -> None:
    svc = seeded_sqlite
    reset_and_unlock(svc)
    out = tmp_path / "activity.csv"
    out.write_text("the previous export\n", encoding="utf-8")

    def boom(done: int, total: int) -> None:
        if done:
            raise RuntimeError("disk full")

    # Fewer than 500 rows: the only call with done > 0 is the last, after every row is written.
    with pytest.raises(RuntimeError):
        svc.activity.export_csv(cli_actor(), out, progress=boom)
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    # No temporary file left behind either.
    assert [p.name for p in tmp_path.iterdir() if "activity" in p.name] == ["activity.csv"]


def test_export_to_a_missing_folder_is_a_clear_error(seeded_sqlite: Services, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        seeded_sqlite.activity.export_csv(cli_actor(), tmp_path / "nowhere" / "a.csv")
    with pytest.raises(ValidationError, match="is a folder"):
        seeded_sqlite.activity.export_csv(cli_actor(), tmp_path)


def test_activity_is_append_only() -> None:
    from tuiconsole.services.activity import ActivityService

    public = {name for name in dir(ActivityService) if not name.startswith("_")}
    assert public == {"query", "per_day", "export_csv", "actions"}
