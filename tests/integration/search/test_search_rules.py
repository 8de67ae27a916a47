"""The customer filter's matching rule (SPEC §2 step 3) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from searchkit import LAB_BRAND, LAB_SITE, LAB_SITE_2, WHEN, build_lab, find, usernames

from tuiconsole.domain.errors import NotFound
from tuiconsole.services.container import Services, cli_actor
from tuiconsole.services.synthetic import generate_customers
from tuiconsole.services.views import ProfileChanges
from tuiconsole.store.repositories import customer_search


@pytest.fixture
def lab(services: Services) -> tuple[Services, dict[str, int]]:
    return services, build_lab(services)


@pytest.fixture(params=["selective", "merge", "walk"])
def plans(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every rule must hold whichever plan serves the search.

    merge: a prefix-only walk's pages from the words' last-name ranges plus the
    rest through index arms; walk: no word's rest is fetchable, the sort index is walked.
    """
    if request.param != "selective":
        monkeypatch.setattr(customer_search, "SELECTIVE_LIMIT", 0)
    if request.param == "merge":  # whenever a word's rest is readable, however dense
        monkeypatch.setattr(customer_search, "MERGE_BIAS", 1e12)
    if request.param == "walk":
        monkeypatch.setattr(customer_search, "ARM_FETCH", -1)
    return str(request.param)


MATCHING = [
    ("jo", ["jjones", "jsmith"]),  # start of first name (John) / last name (Jones)
    ("ma", ["major.t"]),  # start of last name and username, not "Tom" / "mail"
    ("ajo", ["major.t"]),  # 3+ characters: anywhere
    ("mith", ["jsmith"]),
    ("john smith", ["jsmith"]),  # every word must match
    ("smith john", ["jsmith"]),
    ("JOHN", ["jjones", "jsmith"]),  # case-insensitive
    ("zoë", ["zoe.b"]),  # non-ASCII substring
    ("ZOË", ["zoe.b"]),
    ("o'b", ["obrien"]),  # apostrophe inside a word
    ("sean.o", ["obrien"]),  # email part
    ("example.org", ["jjones"]),
    ("x", []),  # Xavier lives on the other site
]


def test_matching_rule(lab, plans: str) -> None:
    svc, ids = lab
    assert find(svc, ids[LAB_SITE], "").total == 10
    got = {q: sorted(usernames(find(svc, ids[LAB_SITE], q))) for q, _ in MATCHING}
    assert got == dict(MATCHING)


PHONE = [
    ("555-01", ["jjones", "jsmith"]),  # digits only: 55501 inside both numbers
    ("5550142", ["jsmith"]),
    ("+1", ["jsmith"]),  # prefix of the digits 12125550142
    ("41", ["jjones"]),  # (415) → 415…
    ("030", ["amy.a"]),
    ("0301234", ["amy.a"]),
    ("55", []),  # two digits: prefix only, no phone starts with 55
]


def test_phone_compares_digits(lab, plans: str) -> None:
    svc, ids = lab
    got = {q: sorted(usernames(find(svc, ids[LAB_SITE], q))) for q, _ in PHONE}
    assert got == dict(PHONE)


WILDCARDS = [
    ("50%", ["pct"]),  # % is a character, not a wildcard
    ("0%_", ["pct"]),
    ("%_o", ["pct"]),
    ("5_", []),  # _ is not "any character": "500ff" must not match
    ("%", []),
    ("_", []),
    ("%%%", []),
    ("___", []),
    ('"x"', []),  # quotes can't break out of the trigram query
    ("a*", []),
]


def test_like_wildcards_are_literal(lab, plans: str) -> None:
    svc, ids = lab
    got = {q: sorted(usernames(find(svc, ids[LAB_SITE], q))) for q, _ in WILDCARDS}
    assert got == dict(WILDCARDS)


STATUSES = {
    "locked": ["obrien"],
    "disabled": ["dana.d"],
    "must_change": ["must.m"],
    # active = neither disabled nor locked (a must-change customer is active)
    "active": ["pct", "pct2", "amy.a", "zoe.b", "jjones", "major.t", "must.m", "jsmith"],
}


def test_status_filter(lab, plans: str) -> None:
    svc, ids = lab
    got = {st: usernames(find(svc, ids[LAB_SITE], "", status=st)) for st in STATUSES}
    assert got == STATUSES
    assert got["locked"] == usernames(find(svc, ids[LAB_SITE], "sean", status="locked"))


def test_status_filter_combines_with_words(lab, plans: str) -> None:
    svc, ids = lab
    assert usernames(find(svc, ids[LAB_SITE], "o'brien", status="locked")) == ["obrien"]
    assert usernames(find(svc, ids[LAB_SITE], "o'brien", status="active")) == []


def test_unknown_status_is_refused(lab) -> None:
    svc, ids = lab
    with pytest.raises(ValueError, match="status"):
        find(svc, ids[LAB_SITE], "", status="sleeping")


def test_sorted_by_last_then_first_name(lab, plans: str) -> None:
    svc, ids = lab
    page = find(svc, ids[LAB_SITE], "")
    keys = [(r.last_name.casefold(), r.first_name.casefold(), r.id) for r in page.rows]
    assert keys == sorted(keys)
    # "50%_off" < "500ff" byte-wise; "o'brien" < "smith"
    assert usernames(page) == [
        "pct",
        "pct2",
        "amy.a",
        "zoe.b",
        "dana.d",
        "jjones",
        "major.t",
        "must.m",
        "obrien",
        "jsmith",
    ]


def test_brand_lists_all_its_sites_sorted(lab, plans: str) -> None:
    svc, ids = lab
    page = find(svc, ids[LAB_BRAND], "")
    assert page.total == 11
    assert "jo.x" in usernames(page)
    keys = [(r.last_name.casefold(), r.first_name.casefold(), r.id) for r in page.rows]
    assert keys == sorted(keys)
    assert sorted(usernames(find(svc, ids[LAB_BRAND], "jo"))) == ["jjones", "jo.x", "jsmith"]


def test_pages_are_consecutive_slices(lab, plans: str) -> None:
    svc, ids = lab
    full = usernames(find(svc, ids[LAB_BRAND], "", limit=100))
    pieces: list[str] = []
    for offset in range(0, 11, 3):  # past the middle the "all" plan walks from the end
        pieces += usernames(find(svc, ids[LAB_BRAND], "", offset=offset, limit=3))
    assert pieces == full
    filtered = usernames(find(svc, ids[LAB_SITE], "example", limit=100))
    assert len(filtered) == 9
    again = [u for o in range(0, 9, 3) for u in usernames(find(svc, ids[LAB_SITE], "example", offset=o, limit=3))]
    assert again == filtered


def test_walk_plan_counts_about(lab, monkeypatch: pytest.MonkeyPatch) -> None:
    svc, ids = lab
    monkeypatch.setattr(customer_search, "SELECTIVE_LIMIT", 2)
    monkeypatch.setattr(customer_search, "FTS_FACTOR", 1)  # the trigram plan too
    monkeypatch.setattr(customer_search, "SAMPLE_ROWS", 4)  # estimate from 4 of 11 rows
    page = find(svc, ids[LAB_SITE], "example")
    assert not page.exact and page.total >= 3
    assert len(page.rows) == 9
    exact = find(svc, ids[LAB_SITE], "o'brien")
    assert exact.exact and exact.total == 1
    monkeypatch.setattr(customer_search, "SAMPLE_ROWS", 20_000)  # small table: counted outright
    assert find(svc, ids[LAB_SITE], "example").exact


def test_search_follows_profile_edits(lab) -> None:
    """The trigram index is kept in step with the row (SQLite: triggers)."""
    svc, ids = lab
    row = find(svc, ids[LAB_SITE], "brandt").rows[0]
    details = svc.customers.get(cli_actor(), row.id)
    changes = ProfileChanges(last_name="Kowalski", phone="+48 22 123 4567")
    svc.customers.update_profile(cli_actor(), row.id, details.version, changes)
    assert usernames(find(svc, ids[LAB_SITE], "brandt")) == []
    assert usernames(find(svc, ids[LAB_SITE], "79460")) == []
    assert usernames(find(svc, ids[LAB_SITE], "walsk")) == ["zoe.b"]
    assert usernames(find(svc, ids[LAB_SITE], "ko")) == ["zoe.b"]
    assert usernames(find(svc, ids[LAB_SITE], "221234")) == ["zoe.b"]


def test_scope_outside_actor_is_refused(lab) -> None:
    svc, ids = lab
    with pytest.raises(NotFound):
        find(svc, 999_999, "jo")


PAGED = ["s", "sm", "jo", "jo s", "ma j", "j s", "m", "+1", "04", "4", "o", "a b"]


@pytest.mark.parametrize("status", ["any", "active"])
def test_every_plan_pages_like_one_sorted_list(lab, monkeypatch: pytest.MonkeyPatch, status: str) -> None:
    """Pages at any offset are slices of the one sorted list, whatever the plan.

    Synthetic customers cluster (an "s.m…" username belongs to an M, a Smith sorts
    late), which is what the merge plan's ranges and rest must get right.
    """
    svc, ids = lab
    generate_customers(svc.engine, [ids[LAB_SITE], ids[LAB_SITE_2]], 400, seed=3, now=WHEN)
    scope = ids[LAB_BRAND]
    expected = {q: usernames(find(svc, scope, q, status=status, limit=500)) for q in PAGED}
    assert sum(len(v) > 30 for v in expected.values()) >= 4, {q: len(v) for q, v in expected.items()}
    # The rest through index arms (always, as the estimate decides), for some words, never (walk).
    for arm_fetch, bias in ((6_000, 1e12), (6_000, 1.0), (10, 1e12), (-1, 1.0)):
        monkeypatch.setattr(customer_search, "SELECTIVE_LIMIT", 0)
        monkeypatch.setattr(customer_search, "ARM_FETCH", arm_fetch)
        monkeypatch.setattr(customer_search, "MERGE_BIAS", bias)
        for q, want in expected.items():
            for size in (7, 40):
                pages = range(0, len(want) + size, size)
                got = [u for o in pages for u in usernames(find(svc, scope, q, status=status, offset=o, limit=size))]
                assert got == want, (q, arm_fetch, bias, size)
