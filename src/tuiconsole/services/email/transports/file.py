"""A transport that writes one ``.eml`` file per message into a folder (the demo's mail)."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from tuiconsole.services.email.errors import PermanentSendError, SendError, TransientSendError
from tuiconsole.services.email.transports.base import send_each

_UNSAFE = re.compile(r"[^A-Za-z0-9._@-]+")
# Errors that retrying won't fix without someone changing the folder or its permissions.
_PERMANENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST}


def _message_date(msg: EmailMessage) -> datetime:
    try:
        at = parsedate_to_datetime(str(msg["Date"]))
    except (TypeError, ValueError):
        return datetime.now(UTC)
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def message_key(message_id: str) -> str:
    """A file-name-safe form of a Message-ID; the hash keeps distinct ids distinct."""
    message_id = message_id.strip()
    digest = hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:12]
    readable = _UNSAFE.sub("_", message_id.strip("<>"))[:60].strip("._")
    return f"{readable}-{digest}" if readable else digest


class FileTransport:
    """``<UTC date>_<message key>.eml`` in ``folder``, written atomically.

    Sending a Message-ID again replaces its file, even if the Date changed, so a resend
    after a crash never shows up twice in the demo inbox.
    """

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"FileTransport({str(self.folder)!r})"

    def _fail(self, action: str, error: OSError) -> SendError:
        reason = error.strerror or type(error).__name__
        sentence = f"could not {action} the mail folder {self.folder}: {reason}"
        if error.errno in _PERMANENT_ERRNOS or isinstance(error, NotADirectoryError):
            return PermanentSendError(sentence)
        return TransientSendError(sentence)  # disk full, I/O error: may pass

    def path_for(self, msg: EmailMessage) -> Path:
        message_id = str(msg["Message-ID"] or "").strip()
        if not message_id:
            raise PermanentSendError("the message has no Message-ID: it cannot be filed")
        stamp = _message_date(msg).strftime("%Y%m%dT%H%M%SZ")
        return self.folder / f"{stamp}_{message_key(message_id)}.eml"

    def send(self, msg: EmailMessage) -> None:
        target = self.path_for(msg)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise self._fail("create", error) from error
        data = msg.as_bytes()
        try:
            # Write beside the target then rename: a reader never sees half a message.
            fd, tmp_name = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        except OSError as error:
            raise self._fail("write to", error) from error
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, target)
        except OSError as error:
            Path(tmp_name).unlink(missing_ok=True)
            raise self._fail("write to", error) from error
        self._remove_older_copies(target)

    def _remove_older_copies(self, target: Path) -> None:
        # The same Message-ID filed under another date (Date header changed on a resend).
        key = target.name.split("_", 1)[1]
        for other in self.folder.glob(f"*_{key}"):
            if other != target:
                try:
                    other.unlink(missing_ok=True)
                except OSError:
                    pass  # the new copy is in place; a stale duplicate is only clutter

    def send_many(self, msgs: Iterable[EmailMessage]) -> list[SendError | None]:
        return send_each(self, msgs)
