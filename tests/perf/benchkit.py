"""Benchmark rows: each bench records what it measured; the session prints them all
and fails (non-zero exit) when any row fails its target."""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

FULL = os.environ.get("TUICONSOLE_BENCH_FULL") == "1"
CACHE_DIR = Path(os.environ.get("TUICONSOLE_BENCH_CACHE", Path(__file__).resolve().parents[2] / ".bench-cache"))
BENCH_SITE = "acme-us"
GENERATOR_VERSION = "3"  # bump when synthetic.py changes what it makes


@dataclass(frozen=True)
class Row:
    what: str
    database: str
    customers: str
    widget: str
    figure: str
    target: str
    verdict: str  # PASS | FAIL | SKIP
    note: str = ""


ROWS: list[Row] = []


def record(
    what: str,
    *,
    database: str,
    customers: int | str,
    figure: str,
    target: str,
    ok: bool | None,
    widget: str = "-",
    note: str = "",
) -> None:
    verdict = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
    n = f"{customers:,}" if isinstance(customers, int) else customers
    ROWS.append(Row(what, database, n, widget, figure, target, verdict, note))


def skip(what: str, *, target: str, reason: str, database: str = "sqlite", customers: int | str = "-") -> None:
    record(what, database=database, customers=customers, figure="-", target=target, ok=None, note=reason)


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def table() -> str:
    header = Row("what", "database", "customers", "widget", "figure", "target", "result", "note")
    rows = [header, *ROWS]
    cols = list(
        zip(
            *[(r.what, r.database, r.customers, r.widget, r.figure, r.target, r.verdict, r.note) for r in rows],
            strict=True,
        )
    )
    widths = [max(len(v) for v in col) for col in cols]
    lines = []
    for r in rows:
        values = (r.what, r.database, r.customers, r.widget, r.figure, r.target, r.verdict, r.note)
        lines.append("  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip())
    return "\n".join(lines)


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def site_id(engine: sa.Engine, code: str = BENCH_SITE) -> int:
    from tuiconsole.store.models import Scope

    with engine.connect() as conn:
        found = conn.scalar(sa.select(Scope.id).where(Scope.code == code))
    assert found is not None
    return int(found)
