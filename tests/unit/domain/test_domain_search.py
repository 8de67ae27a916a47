from hypothesis import given, settings
from hypothesis import strategies as st

from tuiconsole.domain.search import SearchTerm, escape_like, parse_query


def test_modes_by_word_length() -> None:
    assert parse_query("  Jo  SMITH\t555-1234 ") == (
        SearchTerm("jo", "prefix", ""),
        SearchTerm("smith", "substring", ""),
        SearchTerm("555-1234", "substring", "5551234"),
    )
    assert parse_query("") == () and parse_query(" \n ") == ()


def test_normalises_and_strips_control_characters() -> None:
    assert parse_query("ＪＯ\x1b[31m") == (SearchTerm("jo[31m", "substring", "31"),)
    assert parse_query("Straße") == (SearchTerm("strasse", "substring", ""),)
    assert parse_query("\x00") == ()


def test_caps_words_and_length() -> None:
    terms = parse_query(" ".join(f"w{i}" for i in range(20)))
    assert len(terms) == 8
    assert parse_query("x" * 500)[0].text == "x" * 64


def test_escape_like() -> None:
    assert escape_like("50%_off\\") == "50\\%\\_off\\\\"
    assert escape_like("a!%", escape="!") == "a!!!%"


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=300))
def test_parse_query_never_raises(q: str) -> None:
    terms = parse_query(q)
    assert len(terms) <= 8
    for t in terms:
        assert 1 <= len(t.text) <= 64 and not any(c.isspace() for c in t.text)
        assert t.mode == ("prefix" if len(t.text) <= 2 else "substring")
