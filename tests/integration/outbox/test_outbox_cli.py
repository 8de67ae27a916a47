"""`tuiconsole outbox list --json` and `outbox deliver`, run as a user would (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from outboxkit import email_row, parse, queue_reset_email

from testkit import make_services, seed
from tuiconsole.domain.clock import FixedClock


def tuiconsole(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuiconsole", "outbox", *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_outbox_list_and_deliver_through_the_file_transport(sqlite_url, fast_hasher, tmp_path: Path):
    # The subprocess runs on the real clock: the data is made at the real time too.
    svc = make_services(sqlite_url, FixedClock(datetime.now(UTC)), fast_hasher, None)
    try:
        seed(svc)
        email_id = queue_reset_email(svc)
        row = email_row(svc, email_id)
    finally:
        svc.close()
    assert row.secret
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TUICONSOLE_")},
        "TUICONSOLE_DATA_DIR": str(tmp_path / "data"),
        "TUICONSOLE_CONFIG_DIR": str(tmp_path / "config"),
        "TUICONSOLE_DATABASE_URL": sqlite_url,
    }
    mail_dir = tmp_path / "mail"

    listed = tuiconsole(env, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    by_id = {e["id"]: e for e in json.loads(listed.stdout)}
    assert by_id[email_id]["status"] == "queued"
    assert by_id[email_id]["template"] == "reset_link"
    assert by_id[email_id]["message_id"] == row.message_id
    assert row.secret not in listed.stdout

    unconfigured = tuiconsole(env, "deliver")
    assert unconfigured.returncode == 2
    assert "No email transport is configured" in unconfigured.stderr
    assert "Traceback" not in unconfigured.stderr

    file_env = {**env, "TUICONSOLE_EMAIL_TRANSPORT": "file", "TUICONSOLE_MAIL_DIR": str(mail_dir)}
    delivered = tuiconsole(file_env, "deliver")
    assert delivered.returncode == 0, delivered.stderr
    assert "Sent 1," in delivered.stdout and "Queued now: 0." in delivered.stdout

    [eml] = mail_dir.glob("*.eml")
    msg = parse(eml.read_bytes())
    assert msg["Message-ID"] == row.message_id
    assert row.secret in msg.get_body(("plain",)).get_content()
    svc = make_services(sqlite_url, FixedClock(datetime.now(UTC)), fast_hasher, None)
    try:
        after = email_row(svc, email_id)
    finally:
        svc.close()
    assert (after.status, after.attempts, after.secret) == ("sent", 1, None)
