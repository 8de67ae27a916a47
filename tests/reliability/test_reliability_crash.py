"""Crashes (SPEC §10.11): SIGKILL at random moments loses nothing and duplicates only as allowed."""

from __future__ import annotations

import os

from reliability.crashrun import run_crashes
from reliability.figures import report
from testkit import make_services, seed
from tuiconsole.domain.clock import SystemClock

KILLS = int(os.environ.get("TUICONSOLE_CRASH_KILLS", "10"))


def test_sigkill_mid_reset_and_delivery_leaves_a_whole_database_and_every_email_sent(db_url, fast_hasher, tmp_path):
    svc = make_services(db_url, SystemClock(), fast_hasher)  # type: ignore[arg-type]
    seed(svc)
    svc.close()
    result = run_crashes(db_url, tmp_path / "mail", fast_hasher, kills=KILLS)
    dialect = db_url.split(":", 1)[0]
    report(f"crash[{dialect}]", result.lines(), **vars(result))
    assert result.problems == []
    assert result.kills == KILLS
    assert result.changes > 0 and result.emails > 0
    # Every email arrived at least once; the only second copies are the counted ones.
    assert result.delivered_once + result.delivered_twice == result.emails
