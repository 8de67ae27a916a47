"""The plain-row fast path of the CSV import gives, row for row, what the full rules give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tuiconsole.services.customer_import_rows import ImportProblem, Record, Row, RowChecker

ACCOUNTS = {"acc-1": 7, "acme retail": 7, "acc-2": 8}
CREATED = "2026-11-23 09:00:00.000000"

# Pieces that sit on the edges of the rules: spaces of all kinds, control and
# zero-width characters, accents, lengths around each limit, tricky addresses.
odd = st.sampled_from(
    [" ", "\t", "\u00a0", "\u2003", "\x07", "\x85", "\u200b", "\u202e", "\u2066", "\x1f", "é", "ß", "İ", "'", ",", "", "\n"]
)
word = st.text(alphabet="abcABZ019-._", min_size=0, max_size=6)
text = st.lists(st.one_of(word, odd), max_size=5).map("".join)
long_text = st.builds(lambda c, n: c * n, st.sampled_from(["a", "é", " "]), st.sampled_from([63, 64, 65, 149, 150, 151, 199, 200, 201]))
usernames = st.one_of(st.sampled_from(["ann", "Ann", "ANN", "bob", "ﬀ", "ff", "straße", "STRASSE"]), text, long_text)
emails = st.one_of(
    st.sampled_from(
        [
            "", "a@example.com", "A@Example.COM", "Info@example.com", "x@ab--cd.com", "x@foo.local", "not-an-email",
            " a@example.com", "a@example.com ", "jö@example.com", "a@bücher.de", "a@xn--bcher-kva.de", "a@b",
            "a..b@example.com", "a" * 250 + "@example.com", "a" * 310 + "@example.com",
        ]
    ),
    st.builds(lambda a, b: f"{a}@{b}.com", word, word),
)
names_ = st.one_of(st.sampled_from(["Zoë", "O'Neill", "Smith-Jones", " Ann ", ""]), text, long_text)
phones = st.one_of(st.sampled_from(["", "+1 555 0100", "(030) 1234-56", "٣٤٥", " 12 "]), text, long_text)
accounts = st.one_of(st.sampled_from(["", "ACC-1", "Acme Retail", "acc-9", " acc-2 ", "\x07acc-1"]), text)


@st.composite
def records(draw: st.DrawFn, with_account: bool) -> list[Record]:
    rows: list[Record] = []
    for i in range(draw(st.integers(1, 12))):
        fields = [draw(usernames), draw(emails), draw(names_), draw(names_), draw(phones)]
        if with_account:
            fields.append(draw(accounts))
        if draw(st.integers(0, 15)) == 0:
            fields = fields[: draw(st.integers(0, len(fields)))] + draw(st.lists(word, max_size=2))
        rows.append((i + 2, fields))
    return rows


def by_the_rules(checker: RowChecker, recs: list[Record]) -> tuple[list[Row], list[int], list[ImportProblem]]:
    good: list[Row] = []
    lines: list[int] = []
    problems: list[ImportProblem] = []
    for line, fields in recs:
        try:
            good.append(checker.row(line, fields))
            lines.append(line)
        except ValueError as exc:
            problems.append(ImportProblem(line, str(exc)))
    return good, lines, problems


def both_ways(names: list[str], recs: list[Record]) -> None:
    fast = RowChecker(names, 3, ACCOUNTS, CREATED)
    got: tuple[list[Row], list[int], list[ImportProblem]] = ([], [], [])
    half = len(recs) // 2  # two chunks: what was seen in the first counts in the second
    fast.check(recs[:half], *got)
    fast.check(recs[half:], *got)
    assert got == by_the_rules(RowChecker(names, 3, ACCOUNTS, CREATED), recs)


@settings(max_examples=1_500, deadline=None)
@given(records(with_account=False))
def test_fast_path_matches_the_rules(recs: list[Record]) -> None:
    both_ways(["username", "email", "first_name", "last_name", "phone"], recs)


@settings(max_examples=1_000, deadline=None)
@given(records(with_account=True))
def test_fast_path_matches_the_rules_with_accounts_and_another_column_order(recs: list[Record]) -> None:
    reordered = [(line, [f[4], f[0], f[3], f[1], f[2], *f[5:]]) if len(f) >= 5 else (line, f) for line, f in recs]
    both_ways(["phone", "username", "last_name", "email", "first_name", "account"], reordered)


def test_plain_rows_take_the_fast_path() -> None:
    checker = RowChecker(["username", "email", "first_name", "last_name", "phone"], 3, {}, CREATED)

    def no_rules(line: int, fields: list[str]) -> Row:
        raise AssertionError(f"line {line} went through the rules one by one")

    checker.row = no_rules  # type: ignore[method-assign]
    good: list[Row] = []
    checker.check([(2, ["imp1", "Imp1@Example.com", "Zoë", "O'Neill-1", "+1 555 0000001"])], good, [], [])
    assert good == [
        (
            3, None, "imp1", "Imp1@example.com", "Zoë", "O'Neill-1", "+1 555 0000001",
            "imp1", "imp1@example.com", "zoë", "o'neill-1", "15550000001", "active", False, 0, CREATED, 1,
        )
    ]


def test_a_username_seen_before_is_reported_with_its_line() -> None:
    checker = RowChecker(["username", "email", "first_name", "last_name", "phone"], 3, {}, CREATED)
    good: list[Row] = []
    problems: list[ImportProblem] = []
    checker.check([(2, ["Ann", "", "A", "B", ""]), (5, ["aNN", "", "A", "B", ""])], good, [], problems)
    assert len(good) == 1 and [str(p) for p in problems] == ["line 5: username 'aNN' already appears on line 2"]
