"""Where the reliability tests put the figures they measured (docs/reliability.md quotes them).

Each test prints its lines (visible with ``-s``) and appends them, keyed by test,
to ``$TUICONSOLE_FIGURES`` when that is set, e.g. ``TUICONSOLE_FIGURES=figures.jsonl``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def report(test: str, lines: list[str], **figures: object) -> None:
    for line in lines:
        print(line)
    target = os.environ.get("TUICONSOLE_FIGURES")
    if target:
        with Path(target).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": test, "lines": lines, **figures}, default=str) + "\n")
