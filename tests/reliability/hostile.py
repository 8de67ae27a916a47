"""Hostile text for the hypothesis tests: what a bad file, a paste or an attacker brings."""

from __future__ import annotations

from hypothesis import strategies as st

# name -> value; docs/reliability.md's table lists each with the message a user sees.
NAMED: dict[str, str] = {
    "Rich markup": "[bold red]Jane[/] [link=https://evil.example]click[/link]",
    "ANSI colour escape": "\x1b[31mJane\x1b[0m",
    "terminal title escape (OSC)": "\x1b]0;pwned\x07Jane",
    "right-to-left override": "Jane\u202egnp.exe",
    "right-to-left text": "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "zero-width space": "Ja\u200bne",
    "NUL byte": "Ja\x00ne",
    "10,000 characters": "J" * 10_000,
    "newline": "Jane\nDoe",
    "spreadsheet formula": "=HYPERLINK(\"https://evil.example\",\"x\")",
    "emoji and combining marks": "Ja\u0301ne \U0001f600",
    "lone surrogate": "Ja\ud800ne",
}

hostile_text = st.one_of(
    st.sampled_from(list(NAMED.values())),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(list(NAMED.values())), st.text(max_size=20)),
)

CONTROL_OR_FORMAT = ("Cc", "Cf")
