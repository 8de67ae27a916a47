"""The crash test's victim: resets and deliveries in a loop until it is killed.

    python tests/reliability/crash_driver.py <database url> <mail folder> [seed]

Prints READY once it can work and starts on a GO line on stdin (so the test can
start the next driver while it checks the last one), then prints ACCEPTED <Message-ID> each time the mail
folder took a message (before the outbox row is marked sent). The test kills it
with SIGKILL at a random moment and checks what it left behind. Uses the
product's services only; a fast hasher (test cost) keeps the loop busy.
"""

from __future__ import annotations

import random
import sys
from email.message import EmailMessage
from pathlib import Path

from crashkit import ACCEPTED, READY, EveryCopyFileTransport

from tuiconsole.config import Settings
from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.domain.hashing import FAST_TEST_PARAMS, PasswordHasher
from tuiconsole.services.container import build_services, cli_actor
from tuiconsole.services.outbox import OutboxService

SITES = ("acme-us", "globex-us", "globex-de", "initech-b2b")


class AnnouncingTransport(EveryCopyFileTransport):
    def send(self, msg: EmailMessage) -> None:
        super().send(msg)
        print(f"{ACCEPTED} {msg['Message-ID']}", flush=True)


def main(url: str, mail_dir: str, seed: int) -> None:
    rng = random.Random(seed)
    hasher = PasswordHasher(FAST_TEST_PARAMS, allow_below_floor=True)
    svc = build_services(Settings(database_url=url), hasher=hasher)
    outbox = OutboxService(svc.ctx, AnnouncingTransport(Path(mail_dir)))
    admin = cli_actor()
    people = []
    for site in SITES:
        scope = svc.scopes.by_code(admin, site)
        page = svc.customers.search(admin, scope.id, "", status="active", limit=40, with_count=False)
        people += [(row.id, site) for row in page.rows if row.email]
    print(READY, flush=True)
    if sys.stdin.readline().strip() != "GO":
        return
    while True:
        cid, site = rng.choice(people)
        try:
            if site != "globex-us" and rng.random() < 0.3:
                pw = f"Kx{rng.randrange(10**8):08d}!pQ#{rng.randrange(10**4):04d}"
                svc.resets.set_password(admin, cid, pw, pw, temporary=True, notify=True, verified_by="call-back")
            else:
                svc.resets.send_reset_email(admin, cid, verified_by="email on file")
        except TuiconsoleError:
            pass  # e.g. a site's options refuse it: not what this test is about
        if rng.random() < 0.6:
            outbox.deliver_due(limit=rng.randint(1, 4))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
