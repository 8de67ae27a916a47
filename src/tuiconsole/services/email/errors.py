"""Errors of the email layer.

Delivery errors carry ``reply``: the mail server's reply or a plain sentence. It is
stored in the outbox's ``last_error`` and shown to staff, so it never holds a secret.
"""

from __future__ import annotations

from tuiconsole.domain.errors import ConfigError, EmailDeliveryError

__all__ = [
    "ConfigError",
    "PermanentSendError",
    "SendError",
    "TemplateError",
    "TemplateParamError",
    "TransientSendError",
]


class SendError(EmailDeliveryError):
    """A transport could not hand the message over."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        super().__init__(reply)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reply!r})"


class TransientSendError(SendError):
    """Worth retrying later: 4xx, connection refused, timeout, dropped connection."""


class PermanentSendError(SendError):
    """Retrying won't help: 5xx, certificate not verified, login refused, bad folder."""


class TemplateError(ValueError):
    """Unknown template, or a template file that is broken (a bug, not user input)."""


class TemplateParamError(TemplateError):
    """A parameter the template needs is missing or of the wrong kind."""
