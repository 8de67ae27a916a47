"""Two apps on one database: the console (a trainer's or CSR's side) and the portal (the customer's).

Each app gets its own Services on the seeded SQLite file, as two processes would; the
console's emails go to a mail folder through the file transport (the demo inbox reads it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2ekit import World

from tuiconsole.config import Settings
from tuiconsole.domain.clock import FixedClock
from tuiconsole.domain.hashing import PasswordHasher
from tuiconsole.services.container import Services, build_services
from tuiconsole.services.email.transports.file import FileTransport


@pytest.fixture
def world(seeded_sqlite: Services, clock: FixedClock, fast_hasher: PasswordHasher, tmp_path: Path) -> Iterator[World]:
    url = seeded_sqlite.settings.database_url
    mail = tmp_path / "mail"
    settings = Settings(database_url=url, email_transport="file", mail_dir=str(mail), demo=True)
    console = build_services(settings, clock=clock, hasher=fast_hasher, transport=FileTransport(mail))
    portal = build_services(settings, clock=clock, hasher=fast_hasher, transport=FileTransport(mail))
    yield World(console=console, portal=portal, clock=clock, mail_dir=mail)
    console.close()
    portal.close()
