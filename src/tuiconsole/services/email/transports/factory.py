"""Choosing the transport from the configuration (SPEC §8)."""

from __future__ import annotations

from pathlib import Path

from tuiconsole.services.email.errors import ConfigError
from tuiconsole.services.email.transports.base import Transport
from tuiconsole.services.email.transports.file import FileTransport
from tuiconsole.services.email.transports.memory import MemoryTransport
from tuiconsole.services.email.transports.smtp import SmtpTransport
from tuiconsole.services.email.transports.smtp_config import parse_smtp_url

KINDS = ("smtp", "file", "memory")


def make_transport(
    kind: str | None,
    *,
    smtp_url: str | None = None,
    ca_file: str | None = None,
    mail_dir: Path | str | None = None,
) -> Transport | None:
    """The configured transport, or None when nothing is configured (mail stays queued).

    Without ``kind``, a lone SMTP URL means smtp and a lone mail folder means file.
    Raises ConfigError for an unknown kind or a kind whose settings are missing.
    """
    kind = (kind or "").strip().lower() or None
    smtp_url = (smtp_url or "").strip() or None
    mail_dir = mail_dir if mail_dir is None or str(mail_dir).strip() else None
    if kind is None:
        if smtp_url and mail_dir:
            raise ConfigError(
                "both TUICONSOLE_SMTP_URL and TUICONSOLE_MAIL_DIR are set: "
                "set TUICONSOLE_EMAIL_TRANSPORT to smtp or file"
            )
        kind = "smtp" if smtp_url else "file" if mail_dir else None
    if kind is None:
        return None
    if kind == "smtp":
        if not smtp_url:
            raise ConfigError("TUICONSOLE_EMAIL_TRANSPORT is smtp: set TUICONSOLE_SMTP_URL too")
        return SmtpTransport(parse_smtp_url(smtp_url, ca_file))
    if kind == "file":
        if mail_dir is None:
            raise ConfigError("TUICONSOLE_EMAIL_TRANSPORT is file: set TUICONSOLE_MAIL_DIR too")
        return FileTransport(Path(mail_dir).expanduser())
    if kind == "memory":
        return MemoryTransport()
    raise ConfigError(f"TUICONSOLE_EMAIL_TRANSPORT must be one of {', '.join(KINDS)}, not {kind!r}")
