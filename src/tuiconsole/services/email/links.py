"""Web addresses in emails: the site's pages and the reset link with its token."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

TOKEN_PLACEHOLDER = "{token}"


def check_web_url(url: str, name: str) -> str:
    """``url`` stripped, if it is an absolute http(s) address; else ValueError naming it."""
    url = url.strip()
    parts = urlsplit(url)
    # Only web addresses: a "javascript:" URL would become a live link in the HTML part.
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an absolute http:// or https:// address")
    return url


def reset_link_url(reset_url: str, token: str, *, encode: bool = True) -> str:
    """The reset page address with ``token`` in it.

    ``{token}`` in ``reset_url`` is replaced; otherwise ``token=`` is added to the query
    (before any ``#fragment``). ``encode=False`` is only for the redacted preview, whose
    "[redacted]" should read as such rather than as ``%5Bredacted%5D``.
    """
    reset_url = check_web_url(reset_url, "reset_url")
    value = quote(token, safe="") if encode else token
    if TOKEN_PLACEHOLDER in reset_url:
        return reset_url.replace(TOKEN_PLACEHOLDER, value)
    parts = urlsplit(reset_url)
    existing = parts.query.rstrip("&")
    query = f"{existing}&token={value}" if existing else f"token={value}"
    return urlunsplit(parts._replace(query=query))
