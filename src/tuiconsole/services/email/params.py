"""Reading a template's parameters: clear errors instead of KeyErrors, inert values."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from tuiconsole.services.email.errors import TemplateParamError


def _clean(value: object) -> str:
    # One line, no control characters: a name holding "\r\n" or an escape sequence must not
    # break a header, a line of the text part, or the console's outbox view.
    text = " ".join(str(value).split())
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


class Params:
    """The non-secret parameters of one email, read with the template's name in errors."""

    def __init__(self, template: str, values: Mapping[str, object]) -> None:
        self.template = template
        self._values = values

    def _present(self, key: str) -> bool:
        value = self._values.get(key)
        return value is not None and _clean(value) != ""

    def require(self, keys: Iterable[str]) -> None:
        """Raise one error naming every missing parameter, not just the first."""
        missing = [key for key in keys if not self._present(key)]
        if missing:
            raise TemplateParamError(
                f"the {self.template!r} email needs these parameters: {', '.join(missing)}"
            )

    def text(self, key: str) -> str:
        self.require([key])
        return _clean(self._values[key])

    def optional_text(self, key: str, default: str = "") -> str:
        return _clean(self._values[key]) if self._present(key) else default

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        value = self._values.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, bool):
            raise TemplateParamError(f"the {self.template!r} email needs {key} to be true or false")
        return value

    def minutes(self, key: str) -> int:
        self.require([key])
        value = self._values[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise TemplateParamError(
                f"the {self.template!r} email needs {key} to be a whole number of minutes above 0"
            )
        return value
