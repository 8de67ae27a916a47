"""Where the shipped styles/ and seed_data/ folders are, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(installed: str, checkout: str) -> Path:
    # A wheel carries them inside the package; an editable checkout has them at the top.
    inside = Path(str(resources.files("tuiconsole") / installed))
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / checkout


def seed_data_dir() -> Path:
    return _find("_seed_data", "seed_data")


def styles_dir() -> Path:
    return _find("_styles", "styles")
