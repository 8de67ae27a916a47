"""Email addresses as the New customer form accepts them, fast for the common case.

email_validator (no deliverability check) decides what is valid; it costs ~0.1 ms
a call, too slow for a 100k-line import. `plain_email` recognises the usual plain
ASCII address and normalises it exactly as email_validator would; anything it is
not sure about gives None and goes to email_validator itself. The tests hold the
two to the same answers (tests/integration/services/test_email_address.py).
"""

from __future__ import annotations

import re

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES, EMAIL_MAX_LENGTH

# Dot-atom local part (RFC 5322 atext, no leading, trailing or double dot) @ host
# labels that start and end with a letter or digit (at most 63 long) and a
# top-level domain of letters only.
PLAIN_EMAIL = (
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_PLAIN = re.compile(PLAIN_EMAIL)
# email_validator rejects a domain that is, or ends in, a special-use name; a domain
# whose last label ends none of them can't be one.
_SPECIAL_TLDS = frozenset(d.rsplit(".", 1)[-1] for d in SPECIAL_USE_DOMAIN_NAMES)
# Mailbox names email_validator lowercases (RFC 2142): left to it.
_CASELESS = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


def plain_email(value: str) -> str | None:
    """email_validator's normalised form of a plain address, or None when unsure.

    None is no verdict: the address may be valid or not, ask email_validator.
    """
    if len(value) > EMAIL_MAX_LENGTH or not _PLAIN.fullmatch(value):
        return None
    return plain_match_normalized(value)


def plain_match_normalized(value: str) -> str | None:
    """As plain_email, for a value already known to match PLAIN_EMAIL."""
    at = value.rindex("@")
    domain = value[at + 1 :].lower()
    # "--" (IDNA's rules for the 3rd and 4th characters, Punycode) and the special
    # names are email_validator's to judge; so are lowercased mailbox names.
    if (
        "--" in domain
        or domain[domain.rindex(".") + 1 :] in _SPECIAL_TLDS
        or len(value) > EMAIL_MAX_LENGTH
        or value[:at].lower() in _CASELESS
    ):
        return None
    return f"{value[:at]}@{domain}"


def normalized_email(value: str) -> str:
    """The address as stored; EmailNotValidError with the reason when it is not valid."""
    return plain_email(value) or validate_email(value, check_deliverability=False).normalized


__all__ = ["PLAIN_EMAIL", "EmailNotValidError", "normalized_email", "plain_email", "plain_match_normalized"]
