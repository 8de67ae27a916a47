"""FileTransport: one parseable .eml per Message-ID, written atomically."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tuiconsole.services.email import FileTransport, PermanentSendError, make_transport

SENT_AT = datetime(2025, 11, 23, 18, 58, tzinfo=UTC)  # make_msg's default date


def emls(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))


def body_of(path: Path) -> str:
    got = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return got.get_body(("plain",)).get_content()


def test_writes_a_parseable_eml_with_text_and_html(mail_dir, make_msg):
    FileTransport(mail_dir).send(make_msg(token="secret-token"))

    [path] = emls(mail_dir)
    assert path.name.startswith("20251123T185800Z_outbox-1@acme.example-")
    got = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert got["Message-ID"] == "<outbox-1@acme.example>"
    assert "token=secret-token" in got.get_body(("plain",)).get_content()
    assert "token=secret-token" in got.get_body(("html",)).get_content()
    assert list(mail_dir.iterdir()) == [path]  # no temporary file left behind


def test_same_message_id_overwrites_even_with_another_date(mail_dir, make_msg):
    transport = FileTransport(mail_dir)
    transport.send(make_msg(token="first"))
    transport.send(make_msg(token="second"))
    transport.send(make_msg(token="third", date=SENT_AT + timedelta(minutes=5)))

    [path] = emls(mail_dir)
    assert "token=third" in body_of(path)


def test_distinct_message_ids_make_distinct_files(mail_dir, make_msg):
    transport = FileTransport(mail_dir)
    # Both reduce to the same readable name; the hash keeps them apart.
    transport.send(make_msg("<a+b@acme.example>"))
    transport.send(make_msg("<a/b@acme.example>"))
    assert len(emls(mail_dir)) == 2


def test_a_folder_that_cannot_be_created_is_a_permanent_error(tmp_path, make_msg):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the mail folder should be")
    with pytest.raises(PermanentSendError) as caught:
        FileTransport(blocker / "mail").send(make_msg())
    assert str(blocker / "mail") in caught.value.reply
    assert caught.value.reply.startswith("could not create the mail folder")


def test_make_transport_builds_a_file_transport(mail_dir, make_msg):
    transport = make_transport("file", mail_dir=str(mail_dir))
    assert isinstance(transport, FileTransport)
    transport.send(make_msg())
    assert len(emls(mail_dir)) == 1
