"""Delivery through an SMTP server with smtplib: plain, STARTTLS or implicit TLS, AUTH.

Certificates are always verified against the system store, or TUICONSOLE_SMTP_CA_FILE.
Every failure becomes TransientSendError or PermanentSendError with a sentence a
supervisor can act on; the password is scrubbed from anything we raise.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Iterable
from email.message import EmailMessage
from urllib.parse import quote

from tuiconsole.services.email.errors import (
    ConfigError,
    PermanentSendError,
    SendError,
    TransientSendError,
)
from tuiconsole.services.email.transports.smtp_config import SmtpConfig

_CA_HINT = "set TUICONSOLE_SMTP_CA_FILE for a private CA"


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """A verifying client context: certificate chain and host name, TLS 1.2 or later."""
    try:
        context = ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ConfigError(f"TUICONSOLE_SMTP_CA_FILE: could not load {ca_file}: {reason}") from None
    # Already the defaults; stated so that nobody "fixes" them away.
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}".strip()


def _is_transient(code: int) -> bool:
    # 4xx asks to retry later; anything that isn't a real reply code (smtplib uses -1
    # for a garbled reply) is treated like a dropped connection.
    return not 500 <= code <= 599


class SmtpTransport:
    """One connection per ``send``; ``send_many`` reuses one for a batch."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._context = None if config.security == "plain" else tls_context(config.ca_file)

    def __repr__(self) -> str:
        return f"SmtpTransport({self.config.redacted()!r})"

    # -- errors --------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        password = self.config.password
        if password:
            for form in {password, quote(password, safe=""), quote(password)}:
                text = text.replace(form, "***")
        return text

    def _translate(self, error: BaseException) -> SendError:
        where = self.config.address
        if isinstance(error, smtplib.SMTPAuthenticationError):
            reply = _reply(error.smtp_code, error.smtp_error)
            return PermanentSendError(f"the mail server {where} refused the login: {reply}")
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            return self._refused(error.recipients)
        if isinstance(error, smtplib.SMTPResponseException):
            reply = _reply(error.smtp_code, error.smtp_error)
            kind = TransientSendError if _is_transient(error.smtp_code) else PermanentSendError
            return kind(reply)
        if isinstance(error, smtplib.SMTPServerDisconnected):
            if isinstance(error.__context__, TimeoutError):
                return self._timed_out()
            return TransientSendError(f"the mail server {where} closed the connection unexpectedly")
        if isinstance(error, smtplib.SMTPNotSupportedError):
            return PermanentSendError(f"the mail server {where} can't do what is needed: {error}")
        if isinstance(error, smtplib.SMTPException):  # e.g. no usable AUTH mechanism
            return PermanentSendError(f"the mail server {where}: {error}")
        if isinstance(error, ssl.SSLCertVerificationError):
            return PermanentSendError(
                f"the mail server's certificate could not be verified ({where}: "
                f"{error.verify_message or error.reason}): {_CA_HINT}"
            )
        if isinstance(error, ssl.SSLError):
            return PermanentSendError(
                f"the TLS handshake with {where} failed ({error.reason or error}): "
                "check the scheme and port of TUICONSOLE_SMTP_URL"
            )
        if isinstance(error, TimeoutError):
            return self._timed_out()
        if isinstance(error, ConnectionRefusedError):
            return TransientSendError(f"could not connect to {where}: connection refused")
        if isinstance(error, socket.gaierror):
            return TransientSendError(
                f"could not find the mail server {self.config.host}: {error.strerror}"
            )
        if isinstance(error, OSError):
            reason = error.strerror or str(error) or type(error).__name__
            return TransientSendError(f"could not talk to the mail server {where}: {reason}")
        return TransientSendError(f"sending through {where} failed: {type(error).__name__}")

    def _timed_out(self) -> TransientSendError:
        where, seconds = self.config.address, self.config.timeout
        return TransientSendError(f"the mail server {where} timed out after {seconds:g} s")

    def _refused(self, recipients: dict[str, tuple[int, bytes]]) -> SendError:
        replies = [f"{addr}: {_reply(code, text)}" for addr, (code, text) in recipients.items()]
        # Greylisting answers RCPT with 4xx: only a 5xx for some recipient is final.
        permanent = any(not _is_transient(code) for code, _ in recipients.values())
        kind = PermanentSendError if permanent else TransientSendError
        return kind("recipient refused: " + "; ".join(replies))

    def _raise(self, error: BaseException) -> SendError:
        translated = self._translate(error)
        # A server may echo what it was sent; never let the password through that way.
        return type(translated)(self._scrub(translated.reply))

    # -- connection ----------------------------------------------------------------------

    def _open(self) -> smtplib.SMTP:
        c = self.config
        conn: smtplib.SMTP | None = None
        try:
            if c.security == "ssl":
                conn = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self._context)
            else:
                conn = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            conn.ehlo()
            if c.security == "starttls":
                conn.starttls(context=self._context)
                conn.ehlo()
            if c.username:
                conn.login(c.username, c.password or "")
            return conn
        except (smtplib.SMTPException, OSError) as error:
            if conn is not None:
                conn.close()
            # No chaining: the original exception is all we'd add, and a login error's
            # context is the one place where smtplib's frames held the password.
            raise self._raise(error) from None

    def _deliver(self, conn: smtplib.SMTP, msg: EmailMessage) -> None:
        try:
            refused = conn.send_message(msg)
        except (smtplib.SMTPException, OSError) as error:
            raise self._raise(error) from None
        if refused:  # accepted for some recipients only: don't retry and duplicate
            raise self._raise(smtplib.SMTPRecipientsRefused(refused))

    @staticmethod
    def _close(conn: smtplib.SMTP) -> None:
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the message's fate is already decided; a failed QUIT changes nothing
        finally:
            conn.close()

    # -- public --------------------------------------------------------------------------

    def send(self, msg: EmailMessage) -> None:
        conn = self._open()
        try:
            self._deliver(conn, msg)
        finally:
            self._close(conn)

    def send_many(self, msgs: Iterable[EmailMessage]) -> list[SendError | None]:
        """Send over one connection: None where accepted, else that message's error.

        A dropped connection is reopened for the next message; if opening fails, every
        remaining message gets that error instead of waiting out one timeout each.
        """
        pending = list(msgs)
        results: list[SendError | None] = []
        conn: smtplib.SMTP | None = None
        try:
            for index, msg in enumerate(pending):
                if conn is None:
                    try:
                        conn = self._open()
                    except SendError as error:
                        results.extend([error] * (len(pending) - index))
                        break
                try:
                    self._deliver(conn, msg)
                    results.append(None)
                except SendError as error:
                    results.append(error)
                    if getattr(conn, "sock", None) is None:  # smtplib closed it
                        self._close(conn)
                        conn = None
        finally:
            if conn is not None:
                self._close(conn)
        return results
