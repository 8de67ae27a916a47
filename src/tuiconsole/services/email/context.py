"""What each template needs, and the values put into it.

``values`` are plain strings: the renderer HTML-escapes them for the HTML part.
``blocks`` are optional paragraphs whose text and HTML forms differ; their HTML is built
here from escaped pieces, so it is already safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from tuiconsole.services.email.errors import TemplateParamError
from tuiconsole.services.email.links import check_web_url, reset_link_url
from tuiconsole.services.email.params import Params
from tuiconsole.services.email.words import format_utc, validity_in_words

REDACTED = "[redacted]"


@dataclass(frozen=True)
class Context:
    values: dict[str, str]
    blocks: dict[str, tuple[str, str]] = field(default_factory=dict)


# (params, secret or None, redacted) -> Context
Builder = Callable[[Params, str | None, bool], Context]


@dataclass(frozen=True)
class TemplateSpec:
    required: tuple[str, ...]  # checked together first, so one error names them all
    needs_secret: bool
    build: Builder


def _common(p: Params) -> dict[str, str]:
    site = p.text("site_name")
    first = p.optional_text("first_name")
    return {
        "site_name": site,
        "brand_name": p.optional_text("brand_name", default=site),
        "greeting": f"Hello {first}," if first else "Hello,",
    }


def _url(p: Params, key: str) -> str:
    try:
        return check_web_url(p.text(key), key)
    except ValueError as error:
        raise TemplateParamError(f"the {p.template!r} email: {error}") from None


def _validity(p: Params) -> str:
    return validity_in_words(p.minutes("expires_minutes"))


def _when(p: Params, key: str) -> str:
    try:
        return format_utc(p.text(key))
    except ValueError:
        raise TemplateParamError(
            f"the {p.template!r} email needs {key} as an ISO 8601 date and time"
        ) from None


def _paragraph(text: str, html: str) -> tuple[str, str]:
    return f"{text}\n\n", f"<p>{html}</p>\n"


def _login_block(p: Params, site: str) -> tuple[str, str]:
    if not p.optional_text("login_url"):
        sentence = f"Log in on the {site} website."
        return _paragraph(sentence, escape(sentence))
    url = _url(p, "login_url")
    link = f'<a href="{escape(url)}">{escape(url)}</a>'
    return _paragraph(f"Log in at: {url}", f"Log in at: {link}")


def _reset_link(p: Params, secret: str | None, redacted: bool) -> Context:
    values = _common(p)
    base = _url(p, "reset_url")
    token = REDACTED if redacted else secret or ""
    try:
        link = reset_link_url(base, token, encode=not redacted)
    except ValueError as error:
        raise TemplateParamError(f"the {p.template!r} email: {error}") from None
    return Context({**values, "reset_link": link, "validity": _validity(p)})


def _temporary_password(p: Params, secret: str | None, redacted: bool) -> Context:
    values = _common(p)
    # SPEC §10.5: the username only when the scope's option says so; a safe default.
    blocks = {"username_block": ("", ""), "login_block": ("", "")}
    if p.flag("include_username", default=False):
        name = p.text("username")
        blocks["username_block"] = (
            f"Username: {name}\n",
            f"<p>Username: <strong>{escape(name)}</strong></p>\n",
        )
    if p.optional_text("login_url"):
        blocks["login_block"] = _login_block(p, values["site_name"])
    password = REDACTED if redacted else secret or ""
    return Context({**values, "password": password, "validity": _validity(p)}, blocks)


def _password_changed(p: Params, secret: str | None, redacted: bool) -> Context:
    values = _common(p)
    by_staff = p.flag("changed_by_staff")
    who = f"a member of the {values['brand_name']} support team" if by_staff else "you"
    return Context({**values, "changed_at": _when(p, "changed_at"), "changed_by": who})


def _email_changed(p: Params, secret: str | None, redacted: bool) -> Context:
    values = _common(p)
    new_email = p.text("new_email_masked")
    when = f" on {_when(p, 'changed_at')}" if p.optional_text("changed_at") else ""
    return Context({**values, "new_email_masked": new_email, "when": when})


def _membership_welcome(p: Params, secret: str | None, redacted: bool) -> Context:
    values = _common(p)
    return Context(
        {**values, "offer_name": p.text("offer_name"), "username": p.text("username")},
        {"login_block": _login_block(p, values["site_name"])},
    )


_SITE = ("site_name",)

TEMPLATES: dict[str, TemplateSpec] = {
    "reset_link": TemplateSpec((*_SITE, "reset_url", "expires_minutes"), True, _reset_link),
    "temporary_password": TemplateSpec((*_SITE, "expires_minutes"), True, _temporary_password),
    "password_changed": TemplateSpec(
        (*_SITE, "changed_at", "changed_by_staff"), False, _password_changed
    ),
    "email_changed": TemplateSpec((*_SITE, "new_email_masked"), False, _email_changed),
    "membership_welcome": TemplateSpec(
        (*_SITE, "offer_name", "username"), False, _membership_welcome
    ),
}
