"""Time the bulk loads outside pytest, with a per-statement breakdown (not a bench row).

    python tests/perf/bulk_probe.py import 100000      # the import bench's CSV into a copy of the 1k db
    python tests/perf/bulk_probe.py synthetic 1000000  # a fresh database, seeded, + N synthetic customers

Files go to a temporary folder that is removed afterwards; the bench cache is only read.
Run it with `nice`, twice or more, and compare back to back: the machine is shared.
"""

from __future__ import annotations

import collections
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchkit import CACHE_DIR, site_id  # noqa: E402

from tuiconsole.store.db import make_engine  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _statement_times(engine: sa.Engine) -> dict[str, float]:
    spent: dict[str, float] = collections.defaultdict(float)
    local = threading.local()

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _start(*_: object) -> None:
        local.t = time.perf_counter()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _stop(_c: object, _cur: object, statement: str, *__: object) -> None:
        spent[" ".join(statement.split()[:3])[:40]] += time.perf_counter() - local.t

    return spent


def probe_import(n: int, folder: Path) -> None:
    from test_bench_data import timed_import

    report, seconds = timed_import(sorted(CACHE_DIR.glob("customers-1000-*.db"))[-1], folder, n)
    print(f"{report.describe()} {seconds:.2f} s, {report.rows / seconds:,.0f} rows/s, load {_load()}")


def probe_synthetic(n: int, folder: Path) -> None:
    from tuiconsole.resources import seed_data_dir
    from tuiconsole.services.seed.loader import load_seed
    from tuiconsole.services.synthetic import generate_customers
    from tuiconsole.store import migrate
    from tuiconsole.store.db import make_sessionmaker

    engine = make_engine(f"sqlite:///{folder / 'synthetic.db'}")
    try:
        migrate.upgrade(engine)
        load_seed(make_sessionmaker(engine), seed_data_dir(), now=NOW, actor="cli:bench", demo=True)
        spent = _statement_times(engine)
        cpu, start = time.process_time(), time.perf_counter()
        generate_customers(engine, [site_id(engine)], n, seed=1, now=NOW)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        engine.dispose()
    print(f"synthetic {n:,}: {wall:.1f} s wall, {cpu:.1f} s CPU (both threads), load {_load()}")
    for what, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:9]:
        print(f"  {seconds:6.2f} s  {what}")


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    kind, count = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="bulk-probe-") as tmp:
        (probe_import if kind == "import" else probe_synthetic)(count, Path(tmp))
