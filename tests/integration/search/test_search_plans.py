"""EXPLAIN: every query a console search runs uses an index, on both databases.

SQLite: EXPLAIN QUERY PLAN shows index searches, the FTS5 trigram table or a walk
of the covering sort index — never a plain SCAN of customers — and the plans meant
for huge match sets never sort (no temp B-tree). PostgreSQL: with enable_seqscan
off (its planner prefers a sequential scan on a small table), no Seq Scan on
customers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from searchkit import LAB_BRAND, LAB_SITE, build_lab, find

from tuiconsole.domain.search import parse_query
from tuiconsole.services.container import Services
from tuiconsole.services.synthetic import generate_customers
from tuiconsole.store.models import Customer
from tuiconsole.store.repositories import customer_search
from tuiconsole.store.repositories.customer_search import trigram_candidate

QUERIES = [
    ("", "any"),  # the whole list
    ("", "locked"),
    ("s", "any"),  # 1–2 letters: prefix
    ("jo sm", "any"),
    ("+1", "any"),  # phone digits prefix
    ("smith", "any"),  # 3+ letters: substring
    ("mit jo", "any"),  # substring and prefix together
    ("5550142", "any"),  # phone digits substring
    ("example", "disabled"),
]


@contextmanager
def captured(svc: Services) -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if re.search(r"\bFROM customers\b|\bJOIN customers\b", statement):
            seen.append((statement, parameters))

    sa.event.listen(svc.engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        sa.event.remove(svc.engine, "before_cursor_execute", grab)


def search_statements(svc: Services, scope_id: int) -> list[tuple[str, object]]:
    with captured(svc) as seen:
        for query, status in QUERIES:
            find(svc, scope_id, query, status=status)
            find(svc, scope_id, query, status=status, offset=7, limit=3)  # deep: from the end
    assert seen
    return seen


def sqlite_plan(svc: Services, statement: str, params: object) -> list[str]:
    with svc.engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()  # type: ignore[arg-type]
    return [str(r[-1]) for r in rows]


def postgres_plan(svc: Services, statement: str, params: object, *, bitmap_only: bool = False) -> list[str]:
    with svc.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        if bitmap_only:  # on a tiny table a plain index scan + filter looks cheapest
            conn.exec_driver_sql("SET enable_indexscan = off")
            conn.exec_driver_sql("SET enable_indexonlyscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()  # type: ignore[arg-type]
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize("plan_kind", ["selective", "merge", "walk"])
@pytest.mark.parametrize("scope", [LAB_SITE, LAB_BRAND])
def test_every_search_query_uses_an_index(
    services: Services, monkeypatch: pytest.MonkeyPatch, plan_kind: str, scope: str
) -> None:
    if plan_kind != "selective":
        monkeypatch.setattr(customer_search, "SELECTIVE_LIMIT", 0)
    if plan_kind == "merge":
        monkeypatch.setattr(customer_search, "MERGE_BIAS", 1e12)
    if plan_kind == "walk":  # no word's rest fetchable through its indexes
        monkeypatch.setattr(customer_search, "ARM_FETCH", -1)
    ids = build_lab(services)
    sqlite = services.engine.dialect.name == "sqlite"
    for statement, params in search_statements(services, ids[scope]):
        if sqlite:
            plan = sqlite_plan(services, statement, params)
            full_scans = [p for p in plan if re.fullmatch(r"SCAN customers( AS \w+)?", p)]
            assert not full_scans, (statement, plan)
            assert any("customers" in p for p in plan), (statement, plan)
            sorts_all = "ORDER BY" in statement and "LIMIT" in statement and "JOIN" not in statement
            # The merge plan's rest sorts what its index arms read: at most ARM_FETCH entries.
            bounded = "UNION ALL" in statement
            if plan_kind != "selective" and sorts_all and not bounded and "customers_fts" not in statement:
                # A walk delivers rows in order: sorting a million would defeat it.
                assert not any("TEMP B-TREE FOR ORDER BY" in p for p in plan), (statement, plan)
        else:
            plan = postgres_plan(services, statement, params)
            assert not any("Seq Scan on customers" in p for p in plan), (statement, "\n".join(plan))


def test_substring_uses_the_trigram_index(services: Services) -> None:
    ids = build_lab(services)
    if services.engine.dialect.name == "sqlite":
        with captured(services) as seen:
            find(services, ids[LAB_SITE], "smith")
        plans = [sqlite_plan(services, s, p) for s, p in seen]
        assert any(any("customers_fts VIRTUAL TABLE" in line for line in plan) for plan in plans), plans
        return
    # PostgreSQL: with a few thousand analysed rows (on a tiny table the planner
    # rightly prefers anything else) a word's condition is served by the trigram indexes.
    generate_customers(services.engine, [ids[LAB_SITE]], 20_000, seed=7)
    with services.engine.begin() as conn:  # ANALYZE is transactional: commit it
        conn.exec_driver_sql("ANALYZE customers")
    # The site index narrows a 20,000-row table well enough that the planner skips the
    # trigram index inside a full search; the word's own condition must use it.
    stmt = sa.select(sa.func.count()).select_from(Customer).where(trigram_candidate(parse_query("qzx")[0]))
    sql = str(stmt.compile(services.engine, compile_kwargs={"literal_binds": True}))
    plan = "\n".join(postgres_plan(services, sql, {}))
    assert "ix_customers_trgm_all" in plan, plan


def test_the_rest_reads_covering_indexes_only(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: a merge's rest reads each arm's range index-only (migration 0003), never the sort index."""
    if services.engine.dialect.name != "sqlite":
        pytest.skip("the merge plan is SQLite's")
    monkeypatch.setattr(customer_search, "SELECTIVE_LIMIT", 0)
    monkeypatch.setattr(customer_search, "MERGE_BIAS", 1e12)
    ids = build_lab(services)
    generate_customers(services.engine, [ids[LAB_SITE]], 500, seed=5)
    with services.engine.begin() as conn:  # with statistics, as a built database has
        conn.exec_driver_sql("ANALYZE")
    with captured(services) as seen:
        find(services, ids[LAB_SITE], "jo s")
    rests = [(s, p) for s, p in seen if "UNION ALL" in s]
    assert rests, [s for s, _ in seen]
    plan = "\n".join(sqlite_plan(services, *rests[0]))
    for index in ("ix_customers_site_first", "ix_customers_site_username", "ix_customers_site_email"):
        assert f"COVERING INDEX {index} " in plan, plan
    assert "ix_customers_search_walk" not in plan, plan


def _sampled(
    session: object, terms: str, rest: int, arms: tuple[int, ...], **ranges: tuple[int, ...]
) -> customer_search.CustomerSearch:
    search = customer_search.CustomerSearch(session, [1], parse_query(terms), "any")  # type: ignore[arg-type]
    search._sampled = customer_search._Sample(False, 100.0, 6_000, 500, rest=rest, arms=arms, **ranges)
    return search


def test_a_sparse_rest_merges_and_a_dense_one_walks() -> None:
    """At a million: "jo s" (no John with an s… email in the window) reads its arms; "jo" walks.

    Figures are per 6,000-row window, scaled 100x: "jo" has ~1,000 arm entries there
    (100,000 to read) and ~250 rest matches (a page within ~2,400 walked entries).
    """
    with sa.orm.Session(sa.create_engine("sqlite://")) as session:  # the decision runs no statement
        assert not _sampled(session, "jo", rest=250, arms=(1_000,))._merges(100)
        assert _sampled(session, "jo s", rest=0, arms=(1_000, 2_700))._merges(100)
        assert _sampled(session, "jo s", rest=0, arms=(1_000, 2_700))._rest_driver().text == "jo"  # type: ignore[union-attr]
        # "jo s": the walk's first matches are in the Jo… last names, ~37% into the index.
        late = {"before": (2_200, 4_500), "ranged": (120, 500), "ranged_hits": (9, 23)}
        assert _sampled(session, "jo s", rest=0, arms=(1_000, 2_700), **late)._merges(100)
        # "a b": the A… last names come first, and 1 in 20 has a b… first name or email.
        early = {"before": (0, 190), "ranged": (190, 320), "ranged_hits": (9, 30)}
        assert not _sampled(session, "a b", rest=0, arms=(1_700, 670), **early)._merges(100)
        # Past ARM_FETCH estimated entries no word's rest is read: the walk it is.
        assert not _sampled(session, "s", rest=0, arms=(2_700,))._merges(100)
