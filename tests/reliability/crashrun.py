"""The crash experiment (SPEC §10.11): kill the driver with SIGKILL, check, recover, count.

Each round starts tests/reliability/crash_driver.py, waits for its READY line, then
kills it either after a random short delay or right after it announced that the
mail folder accepted a message (to land, sometimes, between the server's
acceptance and the commit that marks the row sent). After each kill:

1. the database passes its integrity check;
2. every committed change has its activity event and its outbox row;
3. the outbox rows are classified against the delivered files: a row still
   'sending' whose message is already in the folder is "accepted, not committed";
4. a dispatcher (in-process, clock moved past the lease) delivers everything, and
   every Message-ID then has exactly one file, or two where (3) said so.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from reliability.crashkit import (
    ACCEPTED,
    READY,
    EveryCopyFileTransport,
    copies_by_message_id,
    half_writes,
    integrity_problems,
)
from testkit import make_services
from tuiconsole.domain.clock import FixedClock, utcnow
from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.services.outbox import LEASE_SECONDS, OutboxService
from tuiconsole.store.models import ActivityEvent, OutboundEmail, PasswordHistory, ResetTicket

DRIVER = Path(__file__).with_name("crash_driver.py")
REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0


@dataclass
class CrashReport:
    kills: int = 0
    changes: int = 0  # committed resets and password changes, all rounds
    emails: int = 0
    delivered_once: int = 0
    delivered_twice: int = 0  # the kill fell between acceptance and commit
    killed_while_sending: int = 0  # claimed, not yet accepted: sent once by the next dispatcher
    half_writes: int = 0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"crash: {self.kills} SIGKILLs; {self.changes} committed changes, {self.emails} emails; "
            f"delivered once {self.delivered_once}, twice (same Message-ID) {self.delivered_twice}; "
            f"killed mid-send before acceptance {self.killed_while_sending}; half-written temp files "
            f"{self.half_writes}; problems {len(self.problems)}"
        ]


class Driver:
    """The subprocess and a thread draining its stdout into a queue."""

    def __init__(self, url: str, mail_dir: Path, seed: int) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), url, str(mail_dir), str(seed)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float = READY_TIMEOUT) -> bool:
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            if line.startswith(prefix):
                return True
        return False

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("GO\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.err = self.proc.stderr.read() if self.proc.stderr else ""
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def stderr(self) -> str:
        return getattr(self, "err", "")


def _audit_problems(s: sa.orm.Session, history_baseline: int) -> tuple[list[str], int]:
    """Every committed reset has its event and outbox row; every password change too."""
    problems: list[str] = []
    events = [
        (a, json.loads(d or "{}"))
        for a, d in s.execute(sa.select(ActivityEvent.action, ActivityEvent.details).where(ActivityEvent.actor.like("cli:%")))
    ]
    tickets = set(s.scalars(sa.select(ResetTicket.id)))
    audited = {d.get("ticket_id") for a, d in events if a == "reset_email_sent"}
    emailed = set(s.scalars(sa.select(OutboundEmail.ticket_id).where(OutboundEmail.ticket_id.is_not(None))))
    problems += [f"ticket {t} without its activity event" for t in sorted(tickets - audited)]
    problems += [f"ticket {t} without its outbox row" for t in sorted(tickets - emailed)]
    set_events = sum(1 for a, _ in events if a in ("password_set", "temporary_password_set"))
    history = int(s.scalar(sa.select(sa.func.count()).select_from(PasswordHistory)) or 0) - history_baseline
    notices = int(
        s.scalar(
            sa.select(sa.func.count())
            .select_from(OutboundEmail)
            .where(OutboundEmail.template == "password_changed", OutboundEmail.created_by.like("cli:%"))
        )
        or 0
    )
    if not set_events == history == notices:
        problems.append(f"password changes {history}, their events {set_events}, their notices {notices}")
    return problems, len(tickets) + history


def run_crashes(url: str, mail_dir: Path, hasher: PasswordHasher, *, kills: int, seed: int = 11) -> CrashReport:
    rng = random.Random(seed)
    mail_dir.mkdir(parents=True, exist_ok=True)
    report = CrashReport()
    expected: Counter[str] = Counter()  # Message-ID -> copies it must have after recovery
    clock = FixedClock(utcnow())
    svc = make_services(url, clock, hasher)
    try:
        with svc.ctx.read() as s:
            history_baseline = int(s.scalar(sa.select(sa.func.count()).select_from(PasswordHistory)) or 0)
            # Emails of the seed data (one sent, one failed long ago) are not this experiment's.
            before = set(s.scalars(sa.select(OutboundEmail.message_id)))
        following = Driver(url, mail_dir, seed * 1000)
        for round_no in range(kills):
            driver = following
            if not driver.wait_for(READY):
                driver.kill()
                report.problems.append(f"round {round_no}: the driver never got ready: {driver.stderr()[-500:]}")
                following = Driver(url, mail_dir, seed * 1000 + round_no + 1)
                continue
            driver.go()
            if round_no % 2:
                # Right after an acceptance: the commit that marks it sent is racing the kill.
                driver.wait_for(ACCEPTED, timeout=30)
            else:
                time.sleep(rng.uniform(0.02, 0.8))  # the experiment's random moment, not a wait for a UI
            driver.kill()
            report.kills += 1
            # The next one starts up (imports, reads its customers) while this round is checked;
            # it changes nothing before its GO.
            following = Driver(url, mail_dir, seed * 1000 + round_no + 1)
            report.problems += [f"round {round_no}: {p}" for p in integrity_problems(url)]
            with svc.ctx.read() as s:
                problems, changes = _audit_problems(s, history_baseline)
                rows = s.execute(sa.select(OutboundEmail.message_id, OutboundEmail.status)).all()
            report.problems += [f"round {round_no}: {p}" for p in problems]
            report.changes = changes
            copies = copies_by_message_id(mail_dir)
            for message_id, status in rows:
                if message_id in expected or message_id in before:
                    continue  # from an earlier round: already delivered and counted
                if status == "sending" and copies[message_id] == 1:
                    expected[message_id] = 2
                    report.delivered_twice += 1
                elif status in ("queued", "sending") and copies[message_id] == 0:
                    report.killed_while_sending += status == "sending"
                    expected[message_id] = 1
                elif status == "sent" and copies[message_id] == 1:
                    expected[message_id] = 1
                else:
                    report.problems.append(f"round {round_no}: {message_id} is {status} with {copies[message_id]} copies")
            # The next dispatcher: the lease of a killed send has run out by its clock.
            clock.set(utcnow() + timedelta(seconds=LEASE_SECONDS + 5))
            OutboxService(svc.ctx, EveryCopyFileTransport(mail_dir)).deliver_all()
            with svc.ctx.read() as s:
                left = s.execute(
                    sa.select(OutboundEmail.message_id, OutboundEmail.status).where(OutboundEmail.status != "sent")
                ).all()
            left = [(m, st) for m, st in left if m not in before]
            report.problems += [f"round {round_no}: {m} left {st} after the next dispatcher" for m, st in left]
            copies = copies_by_message_id(mail_dir)
            if copies != expected:
                diff = {m: (copies[m], expected[m]) for m in set(copies) | set(expected) if copies[m] != expected[m]}
                report.problems.append(f"round {round_no}: copies (found, expected) differ: {diff}")
        following.kill()
        report.emails = len(expected)
        report.delivered_once = sum(1 for n in expected.values() if n == 1)
        report.half_writes = half_writes(mail_dir)
    finally:
        svc.close()
    return report
