"""A real SMTP server (aiosmtpd) on 127.0.0.1 whose behaviour each test chooses.

Shared by tests/integration/email and tests/integration/outbox: each conftest
imports the fixtures from here (`from smtpkit import smtp_server, ...`).

TLS uses a throwaway CA from trustme, so certificate verification stays on in tests.
The AUTH password is generated per run: never a real credential.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
SLOW_SECONDS = 3.0  # the server's delay; clients use a ~1 s timeout

Mode = Literal["accept", "tempfail_once", "reject_rcpt", "drop", "slow"]
Security = Literal["plain", "starttls", "ssl"]


class ScriptedHandler:
    """Accepts, defers once, rejects, drops mid-DATA or stalls, as the test says."""

    def __init__(self, mode: Mode = "accept") -> None:
        self.mode: Mode = mode
        self.received: list[bytes] = []
        self.data_attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.mode == "reject_rcpt":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.data_attempts += 1
        if self.mode == "tempfail_once" and self.data_attempts == 1:
            return "451 4.3.0 try again later"
        if self.mode == "drop":
            server.transport.abort()  # gone before any reply to the final "."
            return "250 OK"
        if self.mode == "slow":
            await asyncio.sleep(SLOW_SECONDS)
        self.received.append(envelope.original_content or b"")
        return "250 2.0.0 queued"


@dataclass
class SmtpServer:
    handler: ScriptedHandler
    port: int
    security: Security
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def url(self, *, timeout: float | None = None, password: str | None = None) -> str:
        scheme = {"plain": "smtp", "starttls": "smtp+starttls", "ssl": "smtps"}[self.security]
        login = ""
        if self.username:
            secret = password if password is not None else self.password or ""
            login = f"{self.username}:{quote(secret, safe='')}@"
        query = f"?timeout={timeout:g}" if timeout is not None else ""
        return f"{scheme}://{login}{HOST}:{self.port}{query}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    return _free_port()


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="session")
def other_ca_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A CA that did not sign the server's certificate."""
    path = tmp_path_factory.mktemp("other-ca") / "ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="session")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST, "localhost").configure_cert(context)
    return context


@pytest.fixture
def smtp_server(server_tls: ssl.SSLContext) -> Iterator[Callable[..., SmtpServer]]:
    """``smtp_server(security="plain", auth=False, mode="accept")`` starts a server."""
    controllers: list[Controller] = []

    def start(
        security: Security = "plain", *, auth: bool = False, mode: Mode = "accept", port: int | None = None
    ) -> SmtpServer:
        handler = ScriptedHandler(mode)
        username = "csr-mailer" if auth else None
        password = secrets.token_urlsafe(18) + "/:@%" if auth else None

        def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == username
                and auth_data.password.decode() == password
            )
            # handled=False: let aiosmtpd answer "535" itself rather than stay silent.
            return AuthResult(success=ok, handled=False)

        kwargs: dict[str, Any] = {"hostname": HOST, "port": port or _free_port()}
        if security == "starttls":
            kwargs.update(tls_context=server_tls, require_starttls=True)
        elif security == "ssl":
            kwargs.update(ssl_context=server_tls)
        if auth:
            # Implicit TLS isn't seen by aiosmtpd's STARTTLS check; the socket is TLS anyway.
            kwargs.update(
                authenticator=authenticator,
                auth_required=True,
                auth_require_tls=security != "ssl",
            )
        controller = Controller(handler, **kwargs)
        controller.start()
        controllers.append(controller)
        return SmtpServer(handler, kwargs["port"], security, username, password)

    yield start
    for controller in controllers:
        controller.stop()
