"""The console's customer filter: turn what a CSR types into search terms.

Short words match as a prefix (fast, indexable); longer words as a substring
(trigram search needs 3+ characters). Phone numbers compare digits only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_WORDS = 8
MAX_WORD_CHARS = 64
SUBSTRING_MIN_CHARS = 3

SearchMode = Literal["prefix", "substring"]


@dataclass(frozen=True)
class SearchTerm:
    text: str  # casefolded word
    mode: SearchMode
    digits: str  # the word's ASCII digits, for matching phone numbers


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "C"


def parse_query(q: str) -> tuple[SearchTerm, ...]:
    """Split a filter into at most 8 terms of at most 64 characters each."""
    # NFKC so fullwidth letters/digits typed on some keyboards match stored text.
    text = unicodedata.normalize("NFKC", q or "").casefold()
    terms: list[SearchTerm] = []
    for raw in text.split():
        word = "".join(c for c in raw if not _is_control(c))[:MAX_WORD_CHARS]
        if not word:
            continue
        mode: SearchMode = "substring" if len(word) >= SUBSTRING_MIN_CHARS else "prefix"
        digits = "".join(c for c in word if "0" <= c <= "9")
        terms.append(SearchTerm(text=word, mode=mode, digits=digits))
        if len(terms) == MAX_WORDS:
            break
    return tuple(terms)


def escape_like(s: str, escape: str = "\\") -> str:
    """Escape LIKE wildcards so user text matches literally (use with ``escape=``)."""
    if len(escape) != 1:
        raise ValueError("the LIKE escape must be one character")
    return s.replace(escape, escape + escape).replace("%", escape + "%").replace("_", escape + "_")
