"""Mail transports: where a built message goes (SMTP server, folder of .eml, memory)."""

from tuiconsole.services.email.transports.base import Transport, send_each
from tuiconsole.services.email.transports.factory import KINDS, make_transport
from tuiconsole.services.email.transports.file import FileTransport
from tuiconsole.services.email.transports.memory import MemoryTransport
from tuiconsole.services.email.transports.smtp import SmtpTransport, tls_context
from tuiconsole.services.email.transports.smtp_config import SmtpConfig, parse_smtp_url

__all__ = [
    "KINDS",
    "FileTransport",
    "MemoryTransport",
    "SmtpConfig",
    "SmtpTransport",
    "Transport",
    "make_transport",
    "parse_smtp_url",
    "send_each",
    "tls_context",
]
