"""The console's customer filter as SQL (SPEC §2 step 3), fast at a million rows.

Every word must match. A 1–2 character word matches the START of first name, last
name, username, email or phone digits (byte-ordered range on a b-tree); a longer
word matches ANYWHERE in them (SQLite: FTS5 trigram table; PostgreSQL: pg_trgm GIN
indexes). The list is sorted by last name, first name.

Sorting a huge match set is what makes a naive query slow ("s" matches a quarter
of the customers), so each search picks one of three plans:

* ``all``       — one site, no words, any status: that site's (site, last, first, id)
  index in order (from its end past the middle), exact count.
* ``selective`` — at most SELECTIVE_LIMIT matches (found by a capped count through
  the prefix indexes / trigram index): fetch those, sort them, exact count.
* ``walk``      — more matches than that: walk the covering (last, first, id, site, …)
  index in order and test each entry against the scope, words and status; the
  matches are dense (> SELECTIVE_LIMIT of at most the whole table), so a page comes
  after a few thousand entries. The count is an estimate ("about N").

SQLite, 1–2 character words only: a match has some word on its last name (then it
lies in that word's last-name range of the covering index) or every word on its other
columns ("the rest", read index-only from one word's first-name, username and email
ranges — covering indexes of migration 0003 — when they hold few enough entries).
The selective plan counts through those parts; a walk's first pages merge them
("merge") instead of walking to where the matches cluster, when the arms read fewer
entries than the walk would (estimated from the same id window as the count).

Dialect differences stay in this module.
"""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.domain.search import SearchTerm as Term
from tuiconsole.domain.search import escape_like
from tuiconsole.store.models import Customer

SELECTIVE_LIMIT = 2_000  # up to this many matches, fetching and sorting them all is cheap
SAMPLE_ROWS = 6_000  # id window sampled to estimate a large match count
FTS_FACTOR = 10  # the trigram index affords this many times more matches to sort
SITE_COUNT_TTL = 300.0  # seconds a cached site count is trusted while no customer is added
MERGE_MAX = 2_000  # SQLite prefix-only pages ending up to this deep come from the merge plan
DENSE_FACTOR = 1  # a trigram search estimated above this many times its cap walks without trying
# Up to this many index entries (estimated), a word's matches off the last name are read
# from its columns' covering indexes (migration 0003): index-only, ~0.1 µs an entry.
ARM_FETCH = 150_000
MERGE_BIAS = 1.0  # merge when its arms read fewer entries than this times the walk's estimate
WALK_INDEX = "ix_customers_search_walk"
_TOP = "\U0010ffff"  # above every character: closes a prefix range
FTS_TABLE = "customers_fts"
STATUS_FILTERS = ("any", "active", "locked", "disabled", "must_change")

PlanKind = Literal["all", "selective", "walk"]
SORT = (Customer.last_name_ci, Customer.first_name_ci, Customer.id)
_TEXT_COLS = (Customer.first_name_ci, Customer.last_name_ci, Customer.username_ci, Customer.email_ci)
# The expression of PostgreSQL's trigram index (migration 0002), spelled the same.
PG_TRIGRAM_TEXT = sa.literal_column(
    "(customers.first_name_ci || ' ' || customers.last_name_ci || ' ' || customers.username_ci"
    " || ' ' || customers.email_ci || ' ' || customers.phone_digits)"
)


@dataclass(frozen=True)
class Plan:
    kind: PlanKind
    total: int  # exact for "all" and "selective"; an estimate for "walk"
    exact: bool


@dataclass(frozen=True)
class _Sample:
    """An id window's figures (exact when the window is the whole table)."""

    exact: bool
    scale: float  # ids in the table per id in the window
    window: int
    hits: int  # matches
    rest: int = 0  # matches with no word on the last name (prefix words only)
    arms: tuple[int, ...] = ()  # per word: index entries its arms off the last name hold
    # Per word, for where a walk finds its matches: rows sorting before its last-name
    # range, rows in that range, and matches in it.
    before: tuple[int, ...] = ()
    ranged: tuple[int, ...] = ()
    ranged_hits: tuple[int, ...] = ()

    def walk_entries(self, end: int) -> float:
        """About how many entries a walk crosses for its first `end` matches."""
        entries = end * self.window / max(self.rest, 0.5)  # the rest is spread evenly
        for before, ranged, hits in zip(self.before, self.ranged, self.ranged_hits, strict=True):
            # or the walk reaches a word's last-name range and finds them there
            entries = min(entries, before * self.scale + end * max(ranged, 1) / max(hits, 0.5))
        return entries


def _prefix_figures(row: Sequence[int], words: int) -> dict[str, object]:
    if len(row) == 1:
        return {}
    per = [tuple(int(x) for x in row[2 + i * words : 2 + (i + 1) * words]) for i in range(4)]
    return {"rest": int(row[1]), "arms": per[0], "before": per[1], "ranged": per[2], "ranged_hits": per[3]}


def _prefix(col: sa.ColumnElement[str], text: str) -> sa.ColumnElement[bool]:
    # A byte-ordered range, not LIKE: it uses the b-tree on both databases.
    return sa.and_(col >= text, col < text + _TOP)


@functools.lru_cache(maxsize=256)
def term_branches(term: Term) -> tuple[tuple[str, sa.ColumnElement[bool]], ...]:
    """(column name, the word's test on that column); the row matches when any does.

    Cached: a search builds its statements from these a dozen times, and building
    the expressions was a third of a 1k search's time (they are immutable).
    """
    return tuple(_term_branches(term))


def _term_branches(term: Term) -> list[tuple[str, sa.ColumnElement[bool]]]:
    if term.mode == "substring":
        pattern = f"%{escape_like(term.text)}%"
        parts = [(c.key, c.like(pattern, escape="\\")) for c in _TEXT_COLS]
        if len(term.digits) >= 3:
            parts.append(("phone_digits", Customer.phone_digits.like(f"%{term.digits}%")))
    else:
        parts = [(c.key, _prefix(c, term.text)) for c in _TEXT_COLS]
        if term.digits:
            parts.append(("phone_digits", _prefix(Customer.phone_digits, term.digits)))
    return parts


def term_parts(term: Term) -> list[sa.ColumnElement[bool]]:
    """The word's test on each column; the row matches when any part does."""
    return [part for _, part in term_branches(term)]


def term_condition(term: Term) -> sa.ColumnElement[bool]:
    """The exact test of one word against a row (or an entry of the covering index)."""
    return sa.or_(*term_parts(term))


def candidates_exist(terms: Sequence[Term], sqlite: bool) -> bool:
    """PostgreSQL narrows by trigrams first when any word is 3+ characters."""
    return not sqlite and any(t.mode == "substring" for t in terms)


def status_condition(status: str) -> sa.ColumnElement[bool] | None:
    if status == "any":
        return None
    if status == "active":
        return sa.and_(Customer.status == "active", Customer.locked_at.is_(None))
    if status == "locked":
        return sa.and_(Customer.status == "active", Customer.locked_at.is_not(None))
    if status == "disabled":
        return Customer.status == "disabled"
    if status == "must_change":
        return Customer.must_change_password.is_(True)
    raise ValueError(f"unknown status filter {status!r}")


def trigram_candidate(term: Term) -> sa.ColumnElement[bool]:
    """PostgreSQL: what its trigram index can answer; term_condition rechecks exactly."""
    parts = [PG_TRIGRAM_TEXT.like(f"%{escape_like(term.text)}%", escape="\\")]
    if len(term.digits) >= 3 and term.digits != term.text:
        parts.append(PG_TRIGRAM_TEXT.like(f"%{term.digits}%"))
    return sa.or_(*parts)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_query(terms: Sequence[Term]) -> str | None:
    """One FTS5 MATCH expression for the substring words (None if there are none)."""
    parts = []
    for t in terms:
        if t.mode != "substring":
            continue
        expr = _fts_phrase(t.text)
        if len(t.digits) >= 3 and t.digits != t.text:
            expr = f"({expr} OR phone_digits : {_fts_phrase(t.digits)})"
        parts.append(expr)
    return " AND ".join(parts) if parts else None


class _SiteCounts:
    """Exact customer counts per site, cached per engine.

    Counting a million-customer site reads a million index entries (~50 ms), and
    the unfiltered list needs it on every open and every page of its far half.
    Customers are never deleted nor moved between sites, so a count stays right
    while max(id) is unchanged; a TTL bounds the trust anyway.
    """

    def __init__(self) -> None:
        self._by_engine: weakref.WeakKeyDictionary[sa.Engine, dict[int, tuple[int, float, int]]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, session: Session, engine: sa.Engine, site_ids: Sequence[int]) -> int:
        cache = self._by_engine.setdefault(engine, {})
        stamp = session.scalar(sa.select(sa.func.max(Customer.id))) or 0
        now = time.monotonic()
        total = 0
        for site in site_ids:
            hit = cache.get(site)
            if hit is None or hit[0] != stamp or now - hit[1] > SITE_COUNT_TTL:
                n = session.scalar(
                    sa.select(sa.func.count()).select_from(Customer).where(Customer.site_id == site)
                ) or 0
                hit = cache[site] = (stamp, now, n)
            total += hit[2]
        return total


SITE_COUNTS = _SiteCounts()


class CustomerSearch:
    """One search (scope + words + status) against one session."""

    def __init__(
        self, session: Session, site_ids: Sequence[int], terms: Sequence[Term], status: str
    ) -> None:
        if status not in STATUS_FILTERS:
            raise ValueError(f"unknown status filter {status!r}")
        self.s = session
        self.site_ids = list(site_ids)
        self.terms = list(terms)
        self.status = status
        bind = session.get_bind()
        self.engine: sa.Engine = bind if isinstance(bind, sa.Engine) else bind.engine
        self.sqlite = bind.dialect.name == "sqlite"
        self._plan: Plan | None = None
        self._matches: list[int] | None = None  # a small selective plan's ids, in list order
        self._sampled: _Sample | None = None  # the id window's figures, read once

    # --- conditions -----------------------------------------------------------

    def _site(self, *, use_index: bool) -> sa.ColumnElement[bool]:
        col: sa.ColumnElement[int] = Customer.site_id
        if not use_index and self.sqlite:
            # likely(x) is x, but SQLite won't use a site index for it: this keeps
            # the planner on the covering sort index instead of sorting a huge set.
            col = sa.func.likely(Customer.site_id)
        if len(self.site_ids) == 1:
            return col == self.site_ids[0]
        return col.in_(self.site_ids)

    def _filters(self, *, skip: Term | None = None) -> list[sa.ColumnElement[bool]]:
        conds = [term_condition(t) for t in self.terms if t is not skip]
        sc = status_condition(self.status)
        if sc is not None:
            conds.append(sc)
        return conds

    def _selective_rows(self) -> sa.Select[tuple[int, str, str]]:
        """Matching (id, last, first) through the most selective index."""
        cols = (Customer.id, Customer.last_name_ci, Customer.first_name_ci)
        match = fts_query(self.terms) if self.sqlite else None
        if match is not None:
            fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column(FTS_TABLE))
            conds = [term_condition(t) for t in self.terms if t.mode == "prefix"]
            sc = status_condition(self.status)
            if sc is not None:
                conds.append(sc)
            return (
                sa.select(*cols)
                .select_from(fts)
                .join(Customer, Customer.id == fts.c.rowid)
                .where(fts.c[FTS_TABLE].op("MATCH")(match), self._site(use_index=False), *conds)
            )
        if self.sqlite and not self.terms:
            # A status alone ("locked"): the covering sort index holds the status
            # columns, so finding a few thousand reads no table rows (the site index
            # would read one row per customer until enough are found).
            return (
                sa.select(*cols)
                .with_hint(Customer, f"INDEXED BY {WALK_INDEX}", "sqlite")
                .where(self._site(use_index=False), *self._filters())
            )
        stmt = sa.select(*cols)
        if not self.sqlite:
            candidates = [trigram_candidate(t) for t in self.terms if t.mode == "substring"]
            stmt = stmt.where(*candidates)
        prefixes = [t for t in self.terms if t.mode == "prefix"]
        # SQLite with prefix words only never comes here: _choose_prefix reads its parts.
        if not prefixes or self.sqlite or candidates_exist(self.terms, self.sqlite):
            return stmt.where(self._site(use_index=True), *self._filters())
        driver = max(prefixes, key=lambda t: len(t.text))
        branches = [sa.and_(self._site(use_index=True), part) for part in term_parts(driver)]
        return stmt.where(sa.or_(*branches), *self._filters(skip=driver))

    def _walk_ids(self) -> sa.Select[tuple[int]]:
        # Words late in the alphabet first: their `column >= word` fails at once for
        # most entries, so a sparse walk rejects each in fewer comparisons (`jo s`: ~15% less).
        terms = sorted(self.terms, key=lambda t: t.text, reverse=True)
        words = [term_condition(t) for t in terms]
        sc = status_condition(self.status)
        return (
            sa.select(Customer.id)
            .where(self._site(use_index=False), *words, *([sc] if sc is not None else []))
            .order_by(*SORT)
        )

    # --- plan -----------------------------------------------------------------

    def plan(self) -> Plan:
        if self._plan is None:
            self._plan = self._choose()
        return self._plan

    def _choose(self) -> Plan:
        if not self.site_ids:
            return Plan("selective", 0, True)
        if not self.terms and self.status == "any":
            total = SITE_COUNTS.get(self.s, self.engine, self.site_ids)
            return Plan("all" if len(self.site_ids) == 1 else "walk", total, True)
        if self._prefix_only():
            return self._choose_prefix()
        limit = self._selective_limit()
        if limit > SELECTIVE_LIMIT:  # many rows may come: count them, sort them in SQL
            capped = self._selective_rows().limit(limit + 1).subquery()
            n = self.s.scalar(sa.select(sa.func.count()).select_from(capped)) or 0
            return Plan("walk", *self._estimate()) if n > limit else Plan("selective", n, True)
        found = self.s.execute(self._selective_rows().limit(limit + 1)).all()
        if len(found) <= limit:
            self._keep(found)
            return Plan("selective", len(found), True)
        return Plan("walk", *self._estimate())

    def _sorts_in_sql(self) -> bool:
        return self._selective_limit() > SELECTIVE_LIMIT and not self._prefix_only()

    def _choose_with_page(self, offset: int, limit: int) -> list[int] | None:
        """The trigram plan's page and capped count in one statement; None if it must walk.

        The matches are found once (a CTE used twice is materialized), counted and
        sorted: half the work of a count followed by a sorted page.
        """
        cap = self._selective_limit()
        about, exact = self._estimate()
        if not exact and about > DENSE_FACTOR * cap:
            # Clearly too many to sort ("exam", "5550"): fetching the capped set first
            # would cost more than the walk, which finds a dense page at once.
            self._plan = Plan("walk", about, exact)
            return None
        found = self._selective_rows().limit(cap + 1).cte("matches")
        n = sa.select(sa.func.count()).select_from(found).scalar_subquery()
        stmt = (
            sa.select(found.c.id, n)
            .order_by(found.c.last_name_ci, found.c.first_name_ci, found.c.id)
            .offset(offset)
            .limit(max(1, limit))
        )
        rows = self.s.execute(stmt).all()
        if not rows:
            self._plan = self._choose()
            return None
        if rows[0][1] > cap:
            self._plan = Plan("walk", max(about, cap + 1), False)
            return None
        self._plan = Plan("selective", rows[0][1], True)
        return [r[0] for r in rows[:limit]]

    def _keep(self, found: Sequence[sa.Row[tuple[int, str, str]]] | Sequence[tuple[int, str, str]]) -> None:
        # Fetched whole: the pages of this call come from here (byte order of UTF-8 =
        # code point order, so Python sorts like the b-tree does).
        self._matches = [r[0] for r in sorted(found, key=lambda r: (r[1], r[2], r[0]))]

    def _prefix_only(self) -> bool:
        return self.sqlite and bool(self.terms) and all(t.mode == "prefix" for t in self.terms)

    def _choose_prefix(self) -> Plan:
        """SQLite, 1–2 character words only: count through the same parts the merge reads.

        The words' last-name ranges are index-only and capped; the rest is fetched
        only when some word has few candidates off the last name. Otherwise the rest
        could only be counted by reading the whole index: the count is estimated.
        """
        about, exact = self._estimate(floor=0)
        if self._rest_driver() is None or not exact and about > 2 * SELECTIVE_LIMIT:
            if exact or about > SELECTIVE_LIMIT:
                return Plan("walk", about, exact)
            # A small estimate: at least what the ranges hold (a sample may miss them all).
            return Plan("walk", max(about, self._ranges_count()), False)
        found: dict[int, tuple[int, str, str]] = {}
        for last in self._last_ranges():
            stmt = self._range_rows(last).limit(SELECTIVE_LIMIT + 1)
            found.update((r[0], (r[0], r[1], r[2])) for r in self.s.execute(stmt))
            if len(found) > SELECTIVE_LIMIT:
                return Plan("walk", *self._estimate())
        rest = self._rest_rows([], SELECTIVE_LIMIT + 1 - len(found))
        found.update((r[0], (r[0], r[1], r[2])) for r in self.s.execute(rest))
        if len(found) > SELECTIVE_LIMIT:
            return Plan("walk", *self._estimate())
        self._keep(list(found.values()))
        return Plan("selective", len(found), True)

    def _selective_limit(self) -> int:
        # The trigram index finds a word's rows cheaply: sorting a few thousand more
        # beats walking the sort order when they all sit late in it ("smith").
        fts = self.sqlite and fts_query(self.terms) is not None
        return SELECTIVE_LIMIT * FTS_FACTOR if fts else SELECTIVE_LIMIT

    def _estimate(self, floor: int = SELECTIVE_LIMIT + 1) -> tuple[int, bool]:
        """(about how many match, exact): the share of matches in an id window, scaled up.

        A table no bigger than the window is counted outright.
        """
        sample = self._sample()
        if sample.exact:
            return sample.hits, True
        return max(floor, _round2(int(sample.hits * sample.scale))), False

    def _sample(self) -> _Sample:
        """One read of an id window: matches, and for prefix words what the merge would read."""
        if self._sampled is None:
            self._sampled = self._read_sample()
        return self._sampled

    def _read_sample(self) -> _Sample:
        # Two queries: SQLite answers a lone min() or max() from the key, both together by a scan.
        lo = self.s.scalar(sa.select(sa.func.min(Customer.id))) or 0
        hi = self.s.scalar(sa.select(sa.func.max(Customer.id))) or 0
        span = hi - lo + 1
        start = lo + max(0, span - SAMPLE_ROWS) // 2
        window = min(span, SAMPLE_ROWS)
        cols = [sa.func.count().filter(sa.and_(sa.true(), *self._filters()))]
        if self._prefix_only():
            cols.append(sa.func.count().filter(sa.and_(sa.true(), *self._rest_conditions())))
            for term in self.terms:  # entries its arms read: a row once per column it matches on
                arms = [sa.case((part, 1), else_=0) for c, part in term_branches(term) if c != "last_name_ci"]
                cols.append(sa.func.coalesce(sa.func.sum(sum(arms[1:], arms[0])), 0))
            cols += [sa.func.count().filter(Customer.last_name_ci < t.text) for t in self.terms]
            cols += [sa.func.count().filter(last) for last in self._word_ranges()]
            cols += [sa.func.count().filter(sa.and_(last, *self._filters())) for last in self._word_ranges()]
        row = self.s.execute(
            sa.select(*cols)
            .select_from(Customer)
            .where(Customer.id >= start, Customer.id < start + SAMPLE_ROWS, self._site(use_index=False))
        ).one()
        figures = _prefix_figures(row, len(self.terms))
        return _Sample(span <= SAMPLE_ROWS, span / max(window, 1), window, row[0], **figures)  # type: ignore[arg-type]

    # --- results --------------------------------------------------------------

    def page_ids(self, offset: int, limit: int) -> list[int]:
        if self._plan is None and self.site_ids and self._sorts_in_sql():
            ids = self._choose_with_page(offset, limit)
            if ids is not None:
                return ids
        plan = self.plan()
        if limit <= 0 or offset >= plan.total and plan.exact:
            return []
        if plan.kind == "selective" and self._matches is not None:
            return self._matches[offset : offset + limit]
        if plan.kind == "selective":
            rows = self._selective_rows().subquery()
            stmt = (
                sa.select(rows.c.id)
                .order_by(rows.c.last_name_ci, rows.c.first_name_ci, rows.c.id)
                .offset(offset)
                .limit(limit)
            )
            return list(self.s.scalars(stmt))
        if plan.kind == "all":
            return self._all_page(offset, limit, plan.total)
        if self._merges(offset + limit):
            return self._merge_page(offset, limit)
        return list(self.s.scalars(self._walk_ids().offset(offset).limit(limit)))

    # --- merge: a walk's first pages for prefix words (SQLite) ----------------

    def _merges(self, end: int) -> bool:
        # Without a fetchable rest, the walk is never longer than the rest's own
        # walk would be (it stops at the end-th match, the rest at a later row).
        if not self._prefix_only() or end > MERGE_MAX or self._rest_driver() is None:
            return False
        # A dense rest puts a page near the walk's start ("jo": 100 matches in ~2,000
        # entries); a sparse one sends the walk to the words' last-name ranges ("jo s":
        # ~365,000 entries at a million), while the arms read a fixed number.
        sample = self._sample()
        arms = sample.arms[self.terms.index(self._rest_driver())] * sample.scale
        return arms <= MERGE_BIAS * sample.walk_entries(end)

    def _merge_page(self, offset: int, limit: int) -> list[int]:
        """The first `end` matches of a walk without walking to them.

        A match either has some word on its last name — then it lies in that word's
        last-name range of the covering sort index, one contiguous, ordered stretch
        — or has every word on its other columns ("the rest"). Matches cluster in
        the sort order ("sm": the Smiths and the s.m… usernames of the M's), so a
        walk from the top may cross half the index before its first page. Here
        each word's range gives its first `end` rows, the rest comes through the
        indexes of the word with the fewest candidates off the last name (up to the
        `end`-th row found so far), and the page is cut from their merge.
        """
        end = offset + limit
        found: dict[int, tuple[str, str, int]] = {}
        for last in self._last_ranges():
            for i, last_name, first_name in self.s.execute(self._range_rows(last).order_by(*SORT).limit(end)):
                found[i] = (last_name, first_name, i)
        bound = []
        keys = sorted(found.values())
        if len(keys) >= end:  # rows after the end-th found can't make the page
            bound.append(sa.tuple_(*SORT) <= sa.tuple_(*(sa.literal(v) for v in keys[end - 1])))
        for i, last_name, first_name in self.s.execute(self._rest_rows(bound, end)):
            found[i] = (last_name, first_name, i)
        return [k[2] for k in sorted(found.values())[offset:end]]

    def _ranges_count(self) -> int:
        """Matches with some word on the last name, capped: index-only."""
        ids: set[int] = set()
        for last in self._last_ranges():
            ids.update(self.s.scalars(self._range_rows(last).limit(SELECTIVE_LIMIT + 1)))
        return len(ids)

    def _last_ranges(self) -> list[sa.ColumnElement[bool]]:
        texts = dict.fromkeys(t.text for t in self.terms)
        return [_prefix(Customer.last_name_ci, text) for text in texts]

    def _word_ranges(self) -> list[sa.ColumnElement[bool]]:
        """Each word's last-name range, one per word (two words may share one)."""
        return [_prefix(Customer.last_name_ci, t.text) for t in self.terms]

    def _range_rows(self, last: sa.ColumnElement[bool]) -> sa.Select[tuple[int, str, str]]:
        """Matches with this word on the last name: one stretch of the covering sort index."""
        return (
            sa.select(Customer.id, Customer.last_name_ci, Customer.first_name_ci)
            .with_hint(Customer, f"INDEXED BY {WALK_INDEX}", "sqlite")
            .where(self._site(use_index=False), last, *self._filters())
        )

    def _rest_conditions(self, skip: Term | None = None) -> list[sa.ColumnElement[bool]]:
        """Every word matches (but `skip`, known to) off the last name, none on it.

        Off the last name: the rest has no word there, and the arms test each of
        ~100,000 entries (two comparisons fewer per word and entry).
        """
        words = [sa.or_(*(p for c, p in term_branches(t) if c != "last_name_ci")) for t in self.terms if t is not skip]
        sc = status_condition(self.status)
        status = [sc] if sc is not None else []
        return [*words, *status, *(sa.not_(last) for last in self._last_ranges())]

    def _rest_rows(self, bound: list[sa.ColumnElement[bool]], end: int) -> sa.Select[tuple[int, str, str]]:
        """The rest's first `end` rows (within `bound`), from the driving word's other columns' indexes."""
        driver = self._rest_driver()
        assert driver is not None
        # An arm's range is the driver matching: its test would cost each entry ~50 ns more.
        rest = [*self._rest_conditions(skip=driver), *bound]
        arms = []
        earlier: list[sa.ColumnElement[bool]] = []
        for column, part in term_branches(driver):
            if column == "last_name_ci":
                continue
            others = (sa.not_(e) for e in earlier)  # no row twice: the arms stream
            arms.append(
                sa.select(Customer.id, Customer.last_name_ci, Customer.first_name_ci).where(
                    self._site(use_index=True), part, *rest, *others
                )
            )
            earlier.append(part)
        # Materialized: else SQLite pushes the ORDER BY into each arm and reads the
        # first-name arm by skip-scanning the sort index (~2x slower than its own range).
        rows = sa.union_all(*arms).cte("rest").prefix_with("MATERIALIZED")
        return (
            sa.select(rows.c.id, rows.c.last_name_ci, rows.c.first_name_ci)
            .order_by(rows.c.last_name_ci, rows.c.first_name_ci, rows.c.id)
            .limit(end)
        )

    def _rest_driver(self) -> Term | None:
        """The word whose arms read the fewest index entries (estimated), if few enough to read."""
        sample = self._sample()
        best = min(range(len(self.terms)), key=lambda i: sample.arms[i])
        return self.terms[best] if sample.arms[best] * sample.scale <= ARM_FETCH else None

    def _all_page(self, offset: int, limit: int, total: int) -> list[int]:
        # Past the middle, walk from the end: "jump to end" costs one page, not N rows.
        base = sa.select(Customer.id).where(self._site(use_index=True))
        if offset + limit / 2 <= total / 2:
            return list(self.s.scalars(base.order_by(*SORT).offset(offset).limit(limit)))
        end = min(total, offset + limit)
        back = base.order_by(*(c.desc() for c in SORT)).offset(total - end).limit(end - offset)
        return list(reversed(self.s.scalars(back).all()))


def _round2(n: int) -> int:
    """Two significant figures: an estimate shouldn't look exact."""
    if n < 100:
        return n
    digits = len(str(n)) - 2
    return round(n, -digits)

