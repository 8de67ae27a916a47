"""The one thing the dispatcher needs from a mail transport."""

from __future__ import annotations

from collections.abc import Iterable
from email.message import EmailMessage
from typing import Protocol, runtime_checkable

from tuiconsole.services.email.errors import SendError


@runtime_checkable
class Transport(Protocol):
    """Hands a message over, or raises TransientSendError / PermanentSendError.

    Returning means the message was accepted (by the server, the folder, the list). The
    error's ``reply`` is safe to store and show: it never contains a password.
    """

    def send(self, msg: EmailMessage) -> None: ...


def send_each(transport: Transport, msgs: Iterable[EmailMessage]) -> list[SendError | None]:
    """``send`` each message in turn: None where it was accepted, else its error."""
    results: list[SendError | None] = []
    for msg in msgs:
        try:
            transport.send(msg)
        except SendError as error:
            results.append(error)
        else:
            results.append(None)
    return results
