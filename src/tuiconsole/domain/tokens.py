"""Reset-link tokens and message ids (SPEC §10.2).

A token carries 256 bits from ``secrets``; only its SHA-256 is stored, so a
database leak yields no usable link. (Named ``tokens`` to avoid shadowing the
standard library's ``secrets``.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from urllib.parse import parse_qs, quote, urlsplit

TOKEN_BYTES = 32  # 256 bits, well above the 128-bit floor
# token_urlsafe(32) gives 43 characters; accept a margin either way.
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,128}")
_TOKEN_PARAM_RE = re.compile(r"(?:^|[?&#;])token=([^&#\s]+)", re.IGNORECASE)


def new_link_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _compact(token: str) -> str:
    # Pasted links often pick up spaces or line breaks; a real token has none.
    return "".join(token.split())


def hash_token(token: str) -> str:
    """SHA-256 hex of the token: the only form ever stored."""
    return hashlib.sha256(_compact(token).encode("utf-8", "surrogatepass")).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    """Constant-time comparison (of tokens or of their hashes)."""
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


def extract_token(text: str) -> str | None:
    """The token in what a customer pasted: a bare token, ``…?token=X`` or ``…/X``.

    Returns None when nothing token-shaped is found.
    """
    text = _compact(text or "")
    if not text:
        return None
    match = _TOKEN_PARAM_RE.search(text)
    if match:
        candidate = match.group(1)
    elif "/" in text:
        parts = urlsplit(text)
        query = parse_qs(parts.query)
        if query.get("token"):
            candidate = query["token"][0]
        else:
            segments = [s for s in parts.path.split("/") if s]
            candidate = segments[-1] if segments else ""
    else:
        candidate = text
    return candidate if _TOKEN_RE.fullmatch(candidate) else None


def build_reset_link(reset_url: str, token: str) -> str:
    """Put the token into the site's reset page: at ``{token}``, else as ``?token=``."""
    if "{token}" in reset_url:
        return reset_url.replace("{token}", quote(token, safe=""))
    sep = "&" if "?" in reset_url else "?"
    return f"{reset_url}{sep}token={quote(token, safe='')}"


def new_message_id(domain: str) -> str:
    """A unique RFC 5322 Message-ID, e.g. ``<3f2a…@acme-us.example>``."""
    domain = re.sub(r"[^A-Za-z0-9.-]", "", domain or "") or "tuiconsole.invalid"
    return f"<{secrets.token_hex(16)}@{domain}>"
