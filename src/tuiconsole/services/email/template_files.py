"""Loading the template files shipped in the package (``templates/``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from string import Template

from tuiconsole.services.email.errors import TemplateError

_SUBJECT_PREFIX = "Subject:"


@dataclass(frozen=True)
class TemplateFiles:
    subject: Template
    text: Template
    html: Template


def _read(name: str) -> str:
    return (files(__package__) / "templates" / name).read_text(encoding="utf-8")


@cache
def layout() -> Template:
    return Template(_read("_layout.html"))


@cache
def load(template: str) -> TemplateFiles:
    """The subject (first line of the ``.txt``, "Subject: ..."), text body and HTML body."""
    first, _, body = _read(f"{template}.txt").partition("\n")
    if not first.startswith(_SUBJECT_PREFIX):
        raise TemplateError(f"templates/{template}.txt must start with a 'Subject:' line")
    return TemplateFiles(
        subject=Template(first.removeprefix(_SUBJECT_PREFIX).strip()),
        text=Template(body.lstrip("\n")),
        html=Template(_read(f"{template}.html")),
    )
