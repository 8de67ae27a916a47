"""Rendering a template into the subject, text and HTML of one email."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from string import Template

from tuiconsole.services.email import template_files
from tuiconsole.services.email.context import TEMPLATES, Context
from tuiconsole.services.email.errors import TemplateError, TemplateParamError
from tuiconsole.services.email.params import Params

__all__ = ["TEMPLATE_NAMES", "EmailContent", "render", "render_redacted"]

TEMPLATE_NAMES: tuple[str, ...] = tuple(TEMPLATES)
_TEXT_WIDTH = 76  # under the 78 characters RFC 5322 recommends


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


def _fill(template: Template, values: Mapping[str, str], name: str) -> str:
    try:
        return template.substitute(values)
    except (KeyError, ValueError) as error:  # a template file names an unknown value
        raise TemplateError(f"template {name!r} is broken: {error}") from None


def _wrap(text: str, keep: str | None) -> str:
    # Line by line, so "When:" / "By:" lines stay apart; long URLs are never broken, and
    # a line holding the secret is left alone so a space in it can't become a line break.
    lines = [
        textwrap.fill(line, _TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)
        if line and not (keep and keep in line)
        else line
        for line in text.splitlines()
    ]
    return "\n".join(lines).strip("\n") + "\n"


def _render(
    template: str, params: Mapping[str, object], secret: str | None, redacted: bool
) -> EmailContent:
    spec = TEMPLATES.get(template)
    if spec is None:
        raise TemplateError(
            f"unknown email template {template!r}; known: {', '.join(TEMPLATE_NAMES)}"
        )
    if not redacted and spec.needs_secret and not secret:
        raise TemplateParamError(f"the {template!r} email needs its secret")
    if not redacted and not spec.needs_secret and secret is not None:
        # A secret given to an email that doesn't show it is a caller's mistake: fail loudly.
        raise TemplateParamError(f"the {template!r} email carries no secret")
    p = Params(template, params)
    p.require(spec.required)
    context: Context = spec.build(p, secret, redacted)
    files = template_files.load(template)

    subject = _fill(files.subject, context.values, template)
    text_values = {**context.values, **{k: text for k, (text, _) in context.blocks.items()}}
    html_values = {k: escape(v, quote=True) for k, v in context.values.items()}
    html_values.update({k: html for k, (_, html) in context.blocks.items()})
    body = _fill(files.html, html_values, template)
    html = _fill(template_files.layout(), {"subject": escape(subject), "body": body}, "_layout")
    text = _wrap(_fill(files.text, text_values, template), keep=secret)
    return EmailContent(subject=subject, text=text, html=html)


def render(template: str, params: Mapping[str, object], *, secret: str | None) -> EmailContent:
    """The email ``template`` filled with ``params`` (never a secret) and ``secret``.

    ``secret`` is the reset token or temporary password for the templates that carry one,
    else None. Raises TemplateError (a ValueError) for an unknown template and
    TemplateParamError, naming the parameters, for missing or malformed ones.
    """
    return _render(template, params, secret, redacted=False)


def render_redacted(template: str, params: Mapping[str, object]) -> EmailContent:
    """Like ``render`` but with the secret shown as "[redacted]": for the outbox view."""
    return _render(template, params, None, redacted=True)
