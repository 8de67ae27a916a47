"""The long versions of the reliability tests (make bench): 60 s of load, 30 SIGKILLs.

The short versions live in tests/reliability/ (make test); these call the same kits.
"""

from __future__ import annotations

import pytest

from reliability.crashrun import run_crashes
from reliability.figures import report
from reliability.loadkit import run_load
from testkit import make_services, seed
from tuiconsole.domain.clock import SystemClock

pytestmark = pytest.mark.perf


def seeded(url: str, hasher) -> None:  # type: ignore[no-untyped-def]
    svc = make_services(url, SystemClock(), hasher)  # type: ignore[arg-type]
    try:
        seed(svc)
    finally:
        svc.close()


@pytest.mark.postgres
def test_load_60_seconds_on_postgresql(pg_url, fast_hasher):
    seeded(pg_url, fast_hasher)
    result = run_load(pg_url, fast_hasher, seconds=60, max_ops=50_000)
    report("bench load", result.lines(), ops_per_second=result.ops_per_second, p95_ms=result.p95_ms)
    assert result.unexpected == []
    assert (
        result.lost_updates,
        result.tickets_redeemed_twice,
        result.changes_without_event,
        result.secret_emails_without_ticket,
    ) == (0, 0, 0, 0)
    assert result.edits > 0 and result.redemptions > 0


def test_30_sigkills(db_url, fast_hasher, tmp_path):
    seeded(db_url, fast_hasher)
    result = run_crashes(db_url, tmp_path / "mail", fast_hasher, kills=30)
    report(f"bench crash[{db_url.split(':', 1)[0]}]", result.lines())
    assert result.problems == []
    assert result.kills == 30
    assert result.delivered_once + result.delivered_twice == result.emails
