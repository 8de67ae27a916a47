"""Data-side benchmarks: search, paging, opening, synthetic customers, CSV import.

These measure the services (what the console's thread worker calls), not the
widgets: the UI rows live in test_bench_ui.py.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from benchkit import BENCH_SITE, FULL, median, p95, record, timed_ms

from conftest import build_seconds
from tuiconsole.config import Settings
from tuiconsole.services.container import build_services, cli_actor
from tuiconsole.services.customer_import import ImportReport, import_customers

pytestmark = pytest.mark.perf

BIG = int(os.environ.get("TUICONSOLE_BENCH_CUSTOMERS", "1000000"))
SMALL = 1_000
PG_N = 1_000_000 if FULL else 100_000
# What a CSR types, keystroke by keystroke.
PREFIX = ["s", "sm", "j", "jo", "jo s", "jo sm", "m", "ma", "a", "an", "k", "ki", "p", "pa", "+1", "04"]
SUBSTRING = [
    "son",
    "smi",
    "smit",
    "smith",
    "ohn",
    "ohns",
    "garc",
    "garcia",
    "exam",
    "5550",
    "o'br",
    "müll",
    "mit jo",
    "nguy",
]
REPEAT = 3
STATUSES = ["locked", "disabled", "must_change"]


def _search_times(url: str, queries: list[str], status: str = "any") -> list[float]:
    svc = build_services(Settings(database_url=url))
    try:
        actor = cli_actor()
        scope = svc.scopes.by_code(actor, BENCH_SITE).id
        svc.customers.search(actor, scope, "warm up")
        times: list[float] = []
        for q in queries:
            times += timed_ms(lambda q=q: svc.customers.search(actor, scope, q, status=status), REPEAT)
        return times
    finally:
        svc.close()


def _status_times(url: str) -> list[float]:
    """The status filter alone (no words): the rare statuses are the hard ones."""
    return [t for status in STATUSES for t in _search_times(url, [""], status)]


def test_search_sqlite(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    big, small = sqlite_db(BIG), sqlite_db(SMALL)
    prefix_big, prefix_small = _search_times(big, PREFIX), _search_times(small, PREFIX)
    sub_big = _search_times(big, SUBSTRING)
    a, b = p95(prefix_big), p95(prefix_small)
    record(
        "search, 1–2 letter words (service)",
        database="sqlite",
        customers=BIG,
        figure=f"p95 {a:.1f} ms",
        target="p95 <= 50 ms",
        ok=a <= 50,
    )
    s = p95(sub_big)
    record(
        "search, substring >= 3 chars (service)",
        database="sqlite",
        customers=BIG,
        figure=f"p95 {s:.1f} ms",
        target="p95 <= 100 ms",
        ok=s <= 100,
    )
    st = p95(_status_times(big))
    record(
        "search, status filter alone (service)",
        database="sqlite",
        customers=BIG,
        figure=f"p95 {st:.1f} ms",
        target="p95 <= 100 ms",
        ok=st <= 100,
    )
    ratio = a / max(b, 0.001)
    record(
        "prefix search 1M vs 1k (service)",
        database="sqlite",
        customers=f"{BIG:,}/{SMALL:,}",
        figure=f"ratio {ratio:.2f} ({a:.1f}/{b:.1f} ms)",
        target="ratio <= 1.5",
        ok=ratio <= 1.5,
    )


def test_paging_and_open_sqlite(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    svc = build_services(Settings(database_url=sqlite_db(BIG)))
    try:
        actor = cli_actor()
        scope = svc.scopes.by_code(actor, BENCH_SITE).id
        total = svc.customers.search(actor, scope, "").total
        times: list[float] = []
        for offset in (100, 200, total - 50, total // 2, 300, total - 500, total // 3):
            times += timed_ms(lambda o=offset: svc.customers.search(actor, scope, "", offset=o, limit=50), REPEAT)
        worst = p95(times)
        record(
            "page down / end / middle (service)",
            database="sqlite",
            customers=BIG,
            figure=f"p95 {worst:.1f} ms",
            target="p95 <= 50 ms",
            ok=worst <= 50,
        )
        ids = [r.id for r in svc.customers.search(actor, scope, "ma", limit=30).rows]
        opened = p95(
            timed_ms(lambda: [svc.customers.get(actor, i) for i in ids[:1]], 1)
            + [t for i in ids for t in timed_ms(lambda i=i: svc.customers.get(actor, i), 1)]
        )
        record(
            "open a customer (service)",
            database="sqlite",
            customers=BIG,
            figure=f"p95 {opened:.1f} ms",
            target="p95 <= 50 ms",
            ok=opened <= 50,
        )
    finally:
        svc.close()


def test_synthetic_customers(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_db(BIG)
    seconds = build_seconds(url)
    if seconds is None:
        record(
            "synthetic customers",
            database="sqlite",
            customers=BIG,
            figure="-",
            target="1M <= 60 s",
            ok=None,
            note="cache built before timings were kept",
        )
        return
    scaled = seconds * 1_000_000 / BIG
    record(
        "synthetic customers (when the cache was built)",
        database="sqlite",
        customers=BIG,
        figure=f"{seconds:.1f} s ({BIG / seconds:,.0f}/s)",
        target="1M <= 60 s",
        ok=scaled <= 60,
    )


def test_import_csv(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, seconds = timed_import(Path(sqlite_db(SMALL).removeprefix("sqlite:///")), tmp_path, 100_000)
    assert report.imported == 99_000 and report.rejected == 1_000
    rate = report.rows / seconds
    record(
        "customers import, 100k rows, 1% bad",
        database="sqlite",
        customers=SMALL,
        figure=f"{rate:,.0f} rows/s ({seconds:.1f} s)",
        target=">= 20,000 rows/s",
        ok=rate >= 20_000,
    )


def timed_import(small_db: Path, folder: Path, rows: int) -> tuple[ImportReport, float]:
    """Import `rows` generated rows (1% bad) into a copy of `small_db`; (report, seconds)."""
    db = folder / "import.db"
    shutil.copy(small_db, db)
    csv_file = folder / "customers.csv"
    make_csv(csv_file, rows, bad_every=100)
    svc = build_services(Settings(database_url=f"sqlite:///{db}"))
    try:
        start = time.perf_counter()
        report = import_customers(svc.ctx, cli_actor(), "globex-de", csv_file)
        return report, time.perf_counter() - start
    finally:
        svc.close()


def make_csv(path: Path, rows: int, bad_every: int) -> None:
    """A customers CSV; every bad_every-th line has an invalid email."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write("username,email,first_name,last_name,phone\n")
        for i in range(1, rows + 1):
            email = "not-an-email" if i % bad_every == 0 else f"imp{i}@example.com"
            fh.write(f"imp{i},{email},Zoë,O'Neill-{i},+1 555 {i:07d}\n")


def test_search_postgres(pg_db) -> None:  # type: ignore[no-untyped-def]
    url = pg_db(PG_N)
    if url is None:
        record(
            "search (service)",
            database="postgresql",
            customers=PG_N,
            figure="-",
            target="p95 <= 100 ms",
            ok=None,
            note="no PostgreSQL server",
        )
        return
    pre, sub = p95(_search_times(url, PREFIX)), p95(_search_times(url, SUBSTRING))
    record(
        "search, 1–2 letter words (service)",
        database="postgresql",
        customers=PG_N,
        figure=f"p95 {pre:.1f} ms",
        target="p95 <= 100 ms",
        ok=pre <= 100,
    )
    record(
        "search, substring >= 3 chars (service)",
        database="postgresql",
        customers=PG_N,
        figure=f"p95 {sub:.1f} ms (median {median(_search_times(url, SUBSTRING[:3])):.1f})",
        target="p95 <= 100 ms",
        ok=sub <= 100,
    )
