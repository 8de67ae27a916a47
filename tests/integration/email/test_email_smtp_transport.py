"""SmtpTransport against a real aiosmtpd server on 127.0.0.1, verification always on."""

from __future__ import annotations

import email
import email.policy
import time
import traceback

import pytest

from tuiconsole.services.email import (
    PermanentSendError,
    SmtpTransport,
    TransientSendError,
    parse_smtp_url,
)

# Implicit TLS + AUTH: aiosmtpd warns as it can't see that the socket itself is TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


HOST = "127.0.0.1"


def transport_for(url: str, ca_file: str | None = None) -> SmtpTransport:
    return SmtpTransport(parse_smtp_url(url, ca_file))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_plain_delivery_arrives_with_both_parts(smtp_server, make_msg):
    server = smtp_server("plain")
    transport_for(server.url(timeout=2)).send(make_msg(token="tok/+= 1"))

    [raw] = server.handler.received
    got = parse(raw)
    assert got["Message-ID"] == "<outbox-1@acme.example>"
    assert got["Subject"] == "Reset your Acme Zürich password"
    assert got["From"].addresses[0].display_name == "Acme Zürich"
    assert got["Auto-Submitted"] == "auto-generated"
    assert got.get_content_type() == "multipart/alternative"
    text = got.get_body(("plain",)).get_content()
    html = got.get_body(("html",)).get_content()
    assert "https://acme.example/reset?token=tok%2F%2B%3D%201" in text
    assert "Hello Zoë," in text
    assert 'href="https://acme.example/reset?token=tok%2F%2B%3D%201"' in html


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_auth_verifies_against_the_ca_file(smtp_server, make_msg, ca_file, security):
    server = smtp_server(security, auth=True)
    transport_for(server.url(timeout=2), ca_file).send(make_msg())
    assert len(server.handler.received) == 1


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_unknown_ca_is_a_clear_permanent_error(smtp_server, make_msg, other_ca_file, security):
    server = smtp_server(security)
    with pytest.raises(PermanentSendError) as caught:
        transport_for(server.url(timeout=2), other_ca_file).send(make_msg())
    assert "certificate could not be verified" in caught.value.reply
    assert "TUICONSOLE_SMTP_CA_FILE" in caught.value.reply
    assert server.handler.received == []


def test_system_store_does_not_trust_a_private_ca(smtp_server, make_msg):
    server = smtp_server("starttls")
    with pytest.raises(PermanentSendError, match="certificate could not be verified"):
        transport_for(server.url(timeout=2)).send(make_msg())


def test_451_is_transient_with_the_reply_then_a_retry_succeeds(smtp_server, make_msg):
    server = smtp_server("plain", mode="tempfail_once")
    transport = transport_for(server.url(timeout=2))
    with pytest.raises(TransientSendError) as caught:
        transport.send(make_msg())
    assert caught.value.reply == "451 4.3.0 try again later"

    transport.send(make_msg())
    assert len(server.handler.received) == 1


def test_550_is_permanent_with_the_reply(smtp_server, make_msg):
    server = smtp_server("plain", mode="reject_rcpt")
    with pytest.raises(PermanentSendError) as caught:
        transport_for(server.url(timeout=2)).send(make_msg())
    assert "550 5.1.1 mailbox unavailable" in caught.value.reply
    assert "zoe@example.com" in caught.value.reply


def test_connection_dropped_mid_data_is_transient(smtp_server, make_msg):
    server = smtp_server("plain", mode="drop")
    with pytest.raises(TransientSendError, match="closed the connection unexpectedly"):
        transport_for(server.url(timeout=2)).send(make_msg())


def test_nothing_listening_is_transient_connection_refused(make_msg, unused_port):
    port = unused_port
    with pytest.raises(TransientSendError) as caught:
        transport_for(f"smtp://{HOST}:{port}?timeout=1").send(make_msg())
    assert caught.value.reply == f"could not connect to {HOST}:{port}: connection refused"


def test_slow_server_times_out_within_the_timeout(smtp_server, make_msg):
    server = smtp_server("plain", mode="slow")
    started = time.monotonic()
    with pytest.raises(TransientSendError) as caught:
        transport_for(server.url(timeout=1)).send(make_msg())
    assert time.monotonic() - started < 2.5
    assert caught.value.reply == f"the mail server {HOST}:{server.port} timed out after 1 s"


def test_wrong_password_is_permanent_and_never_shows_a_password(smtp_server, make_msg, ca_file):
    server = smtp_server("starttls", auth=True)
    wrong = server.password + "x"
    with pytest.raises(PermanentSendError) as caught:
        transport_for(server.url(timeout=2, password=wrong), ca_file).send(make_msg())
    assert "refused the login" in caught.value.reply
    _assert_no_password(caught.value, server.password, wrong)


def test_the_smtp_password_appears_in_no_error_text_or_repr(
    smtp_server, make_msg, ca_file, unused_port
):
    server = smtp_server("starttls", auth=True)
    url_down = server.url(timeout=1).replace(f":{server.port}", f":{unused_port}")
    failing = [
        (transport_for(url_down, ca_file), TransientSendError),
        (transport_for(server.url(timeout=2)), PermanentSendError),  # no CA: unverified
    ]
    for transport, kind in failing:
        assert server.password not in repr(transport)
        assert server.password not in repr(transport.config) + str(transport.config)
        with pytest.raises(kind) as caught:
            transport.send(make_msg())
        _assert_no_password(caught.value, server.password)


def test_send_many_reuses_one_connection(smtp_server, make_msg):
    server = smtp_server("plain", mode="tempfail_once")
    results = transport_for(server.url(timeout=2)).send_many(
        [make_msg(f"<m{i}@acme.example>") for i in range(3)]
    )
    assert isinstance(results[0], TransientSendError)
    assert results[1:] == [None, None]
    assert len(server.handler.received) == 2


def test_send_many_with_the_server_down_fails_each_without_waiting(make_msg, unused_port):
    results = transport_for(f"smtp://{HOST}:{unused_port}?timeout=1").send_many(
        [make_msg(f"<m{i}@acme.example>") for i in range(3)]
    )
    assert all(isinstance(r, TransientSendError) for r in results)


def _assert_no_password(error: BaseException, *passwords: str) -> None:
    shown = "".join(traceback.format_exception(error)) + repr(error) + str(error)
    for password in passwords:
        for form in (password, password.replace("/", "%2F")):
            assert form not in shown
