"""Pieces shared by the crash driver (a subprocess) and the crash test (SPEC §10.11).

The driver and the test's recovery dispatcher deliver through EveryCopyFileTransport:
a FileTransport that keeps every delivery as its own ``.eml`` file, so a resend of
the same Message-ID is counted rather than replacing the first copy.
"""

from __future__ import annotations

import email
import email.policy
import uuid
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa

from tuiconsole.services.email.transports import FileTransport
from tuiconsole.store.db import make_engine

READY = "READY"
ACCEPTED = "ACCEPTED"  # printed after the transport returned, before the outbox row is marked sent


class EveryCopyFileTransport(FileTransport):
    """One file per delivery: ``<date>_<message key>.<delivery id>.eml``."""

    def path_for(self, msg: EmailMessage) -> Path:
        base = super().path_for(msg)
        return base.with_name(f"{base.stem}.{uuid.uuid4().hex[:8]}.eml")

    def _remove_older_copies(self, target: Path) -> None:
        return  # every copy is evidence


def copies_by_message_id(mail_dir: Path) -> Counter[str]:
    """How many delivered files carry each Message-ID (temporary half-writes excluded)."""
    counts: Counter[str] = Counter()
    for path in mail_dir.glob("*.eml"):
        with path.open("rb") as fh:
            msg = email.message_from_binary_file(fh, policy=email.policy.default)
        counts[str(msg["Message-ID"])] += 1
    return counts


def half_writes(mail_dir: Path) -> int:
    """Temporary files a kill left mid-write: never seen as messages."""
    return len(list(mail_dir.glob(".*.tmp")))


def integrity_problems(url: str) -> list[str]:
    """SQLite: PRAGMA integrity_check. PostgreSQL: amcheck over every B-tree index
    (heap included) plus the catalog's own view of the tables."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
                return ([] if rows == ["ok"] else rows) + [f"foreign key: {r}" for r in fk]
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
            indexes = list(
                conn.execute(
                    sa.text(
                        "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE a.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid"
                    )
                )
            )
            problems: list[str] = []
            for oid, name in indexes:
                try:
                    conn.execute(sa.text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
                except sa.exc.DBAPIError as exc:
                    problems.append(f"{name}: {str(exc.orig).splitlines()[0]}")
            conn.commit()
            return problems
    finally:
        engine.dispose()
