"""The demo inbox (SPEC §6): the emails the file transport wrote, as the customer sees them.

It is the customers' mailbox, so links and temporary passwords show in full here
(SPEC §10.6 names the delivered email as one of the two places a secret may be).
Hence only a trainer, and only on a database marked as a demo one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from tuiconsole.config import demo_mail_dir
from tuiconsole.domain.errors import Forbidden, NotFound
from tuiconsole.domain.roles import Permission
from tuiconsole.domain.tokens import extract_token
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.views import Actor
from tuiconsole.store.repositories.meta import MetaRepository

# The newest messages are what a trainer wants; a folder of thousands stays readable.
DEFAULT_LIMIT = 500
NOT_DEMO = "The demo inbox opens only on a demo database (tuiconsole demo)."
_LINK = re.compile(r"https?://[^\s<>\"']+")
_TEMPORARY = re.compile(r"^\s*Temporary password:\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class InboxMessage:
    """One .eml file: the headers a mail client lists."""

    key: str  # the file name: stable, and what `read` takes
    sender: str
    to: str
    subject: str
    date: datetime


@dataclass(frozen=True)
class InboxSecret:
    """Something the customer copies out of the email (a reset link, a temporary password)."""

    label: str
    value: str


@dataclass(frozen=True)
class InboxBody:
    message: InboxMessage
    text: str
    secrets: tuple[InboxSecret, ...]


def _parse(path: Path) -> EmailMessage:
    with path.open("rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)  # type: ignore[return-value]


def _date(msg: EmailMessage, path: Path) -> datetime:
    try:
        at = parsedate_to_datetime(str(msg["Date"]))
    except (TypeError, ValueError):
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def _header(msg: EmailMessage, name: str) -> str:
    return " ".join(str(msg[name] or "").split())


def _summary(path: Path, msg: EmailMessage) -> InboxMessage:
    return InboxMessage(
        key=path.name,
        sender=_header(msg, "From"),
        to=_header(msg, "To"),
        subject=_header(msg, "Subject"),
        date=_date(msg, path),
    )


def body_text(msg: EmailMessage) -> str:
    """The plain-text part (every template has one); the HTML part only as a fallback."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: show what we can
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    return str(content).replace("\r\n", "\n")


def find_secrets(text: str) -> tuple[InboxSecret, ...]:
    """What the customer would copy: the reset link and the temporary password."""
    found: list[InboxSecret] = []
    for url in dict.fromkeys(u.rstrip(".,)") for u in _LINK.findall(text)):
        # Only a link with a token in it: the site's login page is no secret.
        if "token=" in url.lower() and extract_token(url) is not None:
            found.append(InboxSecret("Reset link", url))
    for value in dict.fromkeys(_TEMPORARY.findall(text)):
        found.append(InboxSecret("Temporary password", value))
    return tuple(found)


class DemoInboxService:
    """Reads a mail folder of `.eml` files (the file transport's output)."""

    def __init__(self, ctx: ServiceContext, mail_dir: Path | str) -> None:
        self.ctx = ctx
        self.mail_dir = Path(mail_dir)

    def _check(self, actor: Actor) -> None:
        self.ctx.require(actor, Permission.DEMO_INBOX)
        with self.ctx.read() as s:
            if not MetaRepository(s).is_demo():
                raise Forbidden(NOT_DEMO)

    def _files(self) -> list[Path]:
        if not self.mail_dir.is_dir():
            return []
        # File names start with the UTC date: name order is date order, no parsing needed.
        return sorted((p for p in self.mail_dir.glob("*.eml") if p.is_file()), reverse=True)

    def list(self, actor: Actor, limit: int = DEFAULT_LIMIT) -> list[InboxMessage]:
        """Newest first."""
        self._check(actor)
        found: list[tuple[datetime, int, InboxMessage]] = []
        for path in self._files()[:limit]:
            try:
                m = _summary(path, _parse(path))
                # Two emails of the same second: the one written last is the newer.
                found.append((m.date, path.stat().st_mtime_ns, m))
            except OSError:
                continue  # removed meanwhile (a resend replaces its older copy)
        found.sort(key=lambda f: (f[0], f[1]), reverse=True)
        return [m for _, _, m in found]

    def read(self, actor: Actor, key: str) -> InboxBody:
        self._check(actor)
        path = self.mail_dir / Path(key).name  # a name, never a path out of the folder
        if path.suffix != ".eml" or not path.is_file():
            raise NotFound("That email is no longer in the demo inbox.")
        try:
            msg = _parse(path)
        except OSError:
            raise NotFound("That email is no longer in the demo inbox.") from None
        text = body_text(msg)
        return InboxBody(message=_summary(path, msg), text=text, secrets=find_secrets(text))

    def clear(self, actor: Actor) -> int:
        """Empty the demo inbox (between two training sessions); how many were removed."""
        self._check(actor)
        removed = 0
        for path in self._files():
            try:
                path.unlink()
                removed += 1
            except OSError:
                continue
        return removed


def demo_inbox_for(services: object) -> DemoInboxService:
    """The inbox of a Services container: its mail folder, or the demo's."""
    settings = services.settings  # type: ignore[attr-defined]
    folder = settings.mail_dir if settings.email_transport == "file" and settings.mail_dir else demo_mail_dir()
    return DemoInboxService(services.ctx, folder)  # type: ignore[attr-defined]
