"""Many CSRs at once on PostgreSQL (SPEC §7): nothing lost, nothing twice, all audited."""

from __future__ import annotations

import os

import pytest

from reliability.figures import report
from reliability.loadkit import MIX, run_load
from testkit import make_services, seed
from tuiconsole.domain.clock import SystemClock

SECONDS = float(os.environ.get("TUICONSOLE_LOAD_SECONDS", "15"))
MAX_OPS = int(os.environ.get("TUICONSOLE_LOAD_MAX_OPS", "6000"))


def seeded_pg(url: str, hasher) -> None:  # type: ignore[no-untyped-def]
    svc = make_services(url, SystemClock(), hasher)  # type: ignore[arg-type]
    try:
        seed(svc)
    finally:
        svc.close()


@pytest.mark.postgres
def test_eight_csrs_at_once_lose_nothing_and_audit_everything(pg_url, fast_hasher):
    seeded_pg(pg_url, fast_hasher)
    result = run_load(pg_url, fast_hasher, seconds=SECONDS, max_ops=MAX_OPS)
    report("load", result.lines(), ops_per_second=result.ops_per_second, p95_ms=result.p95_ms,
           outcomes=result.outcomes)
    assert result.unexpected == []
    assert result.lost_updates == 0
    assert result.tickets_redeemed_twice == 0
    assert result.changes_without_event == 0
    assert result.secret_emails_without_ticket == 0
    # The run did real work on every operation, and real contention.
    assert set(result.p95_ms) == set(MIX)
    assert result.edits > 0 and result.redemptions > 0
    assert result.outcomes.get("edit_profile:conflict", 0) > 0
    assert result.operations >= 200
