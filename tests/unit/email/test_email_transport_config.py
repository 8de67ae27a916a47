"""parse_smtp_url, SmtpConfig's redaction, make_transport, MemoryTransport."""

from __future__ import annotations

import pytest

from tuiconsole.domain.errors import ConfigError
from tuiconsole.services.email import (
    MemoryTransport,
    PermanentSendError,
    SmtpTransport,
    TransientSendError,
    make_transport,
    parse_smtp_url,
)
from tuiconsole.services.email.transports import Transport

PASSWORD = "s3cr%t/p@ss:word"  # percent-encoded below; not a real credential
ENCODED = "s3cr%25t%2Fp%40ss%3Aword"


@pytest.mark.parametrize(
    ("url", "security", "port"),
    [
        ("smtp://mail.example", "plain", 25),
        ("smtp+starttls://mail.example", "starttls", 587),
        ("smtps://mail.example", "ssl", 465),
        ("smtp+ssl://mail.example:2465", "ssl", 2465),
        ("SMTP+STARTTLS://Mail.Example:2525/", "starttls", 2525),
    ],
)
def test_schemes_and_default_ports(url, security, port):
    config = parse_smtp_url(url)
    assert (config.security, config.port, config.timeout) == (security, port, 10.0)


def test_credentials_are_percent_decoded_and_timeout_read():
    config = parse_smtp_url(f"smtp+starttls://mailer%40acme:{ENCODED}@mail.example?timeout=5")
    assert config.username == "mailer@acme"
    assert config.password == PASSWORD
    assert config.timeout == 5.0


def test_the_password_is_hidden_from_repr_str_and_redacted():
    config = parse_smtp_url(f"smtps://mailer:{ENCODED}@mail.example")
    for shown in (repr(config), str(config), config.redacted(), repr(SmtpTransport(config))):
        assert PASSWORD not in shown and ENCODED not in shown
    assert config.redacted() == "smtps://mailer:***@mail.example:465?timeout=10"


@pytest.mark.parametrize(
    "url",
    [
        f"http://u:{ENCODED}@mail.example",
        f"smtp+starttls://u:{ENCODED}@",
        f"smtp+starttls://u:{ENCODED}@mail.example:notaport",
        f"smtp+starttls://u:{ENCODED}@mail.example/path",
        f"smtp+starttls://u:{ENCODED}@mail.example?timeout=0",
        f"smtp+starttls://u:{ENCODED}@mail.example?timeout=abc",
        f"smtp+starttls://u:{ENCODED}@mail.example?verify=no",
        f"smtp://u:{ENCODED}@mail.example",  # a login over plain text
        "smtp+starttls://u:pa/ss?w#rd@mail.example",  # unencoded password
        "",
    ],
)
def test_bad_urls_are_config_errors_without_the_password(url):
    with pytest.raises(ConfigError) as caught:
        parse_smtp_url(url)
    message = str(caught.value)
    assert message.startswith("TUICONSOLE_SMTP_URL is not valid")
    for secret in (PASSWORD, ENCODED, "pa/ss", "w#rd", "ss?w"):
        assert secret not in message


def test_missing_ca_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="TUICONSOLE_SMTP_CA_FILE"):
        parse_smtp_url("smtps://mail.example", str(tmp_path / "missing.pem"))


def test_unreadable_ca_file_is_a_config_error(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ConfigError, match="could not load"):
        SmtpTransport(parse_smtp_url("smtps://mail.example", str(bad)))


def test_make_transport_chooses_or_returns_none(tmp_path):
    assert make_transport(None) is None
    assert make_transport("", smtp_url="  ", mail_dir="") is None
    assert isinstance(make_transport("memory"), MemoryTransport)
    assert isinstance(make_transport(None, smtp_url="smtp://mail.example"), SmtpTransport)
    assert isinstance(make_transport("SMTP", smtp_url="smtp://mail.example"), SmtpTransport)
    file_transport = make_transport(None, mail_dir=tmp_path)
    assert file_transport is not None and file_transport.folder == tmp_path
    assert isinstance(make_transport("memory"), Transport)


@pytest.mark.parametrize(
    ("kind", "kwargs", "match"),
    [
        ("pigeon", {}, "must be one of smtp, file, memory"),
        ("smtp", {}, "TUICONSOLE_SMTP_URL"),
        ("file", {}, "TUICONSOLE_MAIL_DIR"),
        (None, {"smtp_url": "smtp://m.example", "mail_dir": "/tmp/x"}, "both"),
    ],
)
def test_make_transport_config_errors(kind, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        make_transport(kind, **kwargs)


def test_memory_transport_keeps_messages_and_fails_on_request():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["To"] = "Zoe@Example.com"
    transport = MemoryTransport()
    transport.fail_next("transient", "451 later")
    transport.fail_next("permanent", "550 no")
    with pytest.raises(TransientSendError, match="451 later"):
        transport.send(msg)
    with pytest.raises(PermanentSendError, match="550 no"):
        transport.send(msg)
    transport.send(msg)
    assert transport.sent == [msg]
    assert transport.to("zoe@example.com") == [msg]
    assert transport.send_many([msg, msg]) == [None, None]
