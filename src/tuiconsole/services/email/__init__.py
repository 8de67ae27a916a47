"""The email layer without a database: templates, rendering, messages and transports.

The outbox (queueing, leases, the dispatcher) builds on this; nothing here touches the
database or Textual.
"""

from tuiconsole.services.email.errors import (
    PermanentSendError,
    SendError,
    TemplateError,
    TemplateParamError,
    TransientSendError,
)
from tuiconsole.services.email.links import reset_link_url
from tuiconsole.services.email.message import build_message, new_message_id
from tuiconsole.services.email.render import (
    TEMPLATE_NAMES,
    EmailContent,
    render,
    render_redacted,
)
from tuiconsole.services.email.transports import (
    FileTransport,
    MemoryTransport,
    SmtpConfig,
    SmtpTransport,
    Transport,
    make_transport,
    parse_smtp_url,
)
from tuiconsole.services.email.words import validity_in_words

__all__ = [
    "TEMPLATE_NAMES",
    "EmailContent",
    "FileTransport",
    "MemoryTransport",
    "PermanentSendError",
    "SendError",
    "SmtpConfig",
    "SmtpTransport",
    "TemplateError",
    "TemplateParamError",
    "TransientSendError",
    "Transport",
    "build_message",
    "make_transport",
    "new_message_id",
    "parse_smtp_url",
    "render",
    "render_redacted",
    "reset_link_url",
    "validity_in_words",
]
