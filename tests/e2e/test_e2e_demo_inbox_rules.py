"""The demo inbox service: trainers only, demo databases only, newest first, secrets found."""

from __future__ import annotations

import pytest

from testkit import actor
from tuiconsole.domain.errors import Forbidden, NotFound
from tuiconsole.services.demo_inbox import DemoInboxService, find_secrets
from tuiconsole.store.repositories.meta import DEMO_KEY, MetaRepository


def test_trainer_reads_newest_first_with_the_link(world):
    trainer = world.trainer()
    for username in ("jdoe", "priya.patel"):
        world.console.resets.send_reset_email(trainer, world.customer_id("acme-us", username))
        world.clock.advance(minutes=1)
        world.deliver()
    mails = world.inbox()
    assert [m.message.to for m in mails] == ["priya.patel@example.org", "jane.doe@example.com"]
    assert mails[0].message.date > mails[1].message.date
    assert [s.label for s in mails[0].secrets] == ["Reset link"]
    assert mails[0].secrets[0].value in mails[0].text


@pytest.mark.parametrize("username", ["casey.csr", "sam.supervisor", "ada.admin"])
def test_only_trainers_open_it(world, username):
    box = DemoInboxService(world.console.ctx, world.mail_dir)
    with pytest.raises(Forbidden):
        box.list(actor(world.console, username))


def test_not_on_a_database_that_is_not_a_demo_one(world):
    trainer = world.trainer()
    with world.console.ctx.uow() as s:
        MetaRepository(s).set(DEMO_KEY, "no")
    with pytest.raises(Forbidden):
        DemoInboxService(world.console.ctx, world.mail_dir).list(trainer)


def test_read_takes_a_name_never_a_path(world):
    with pytest.raises(NotFound):
        DemoInboxService(world.console.ctx, world.mail_dir).read(world.trainer(), "../../etc/passwd.eml")


def test_secrets_are_links_with_a_token_and_temporary_passwords():
    text = (
        "Log in at https://www.acme.example/login.\n"
        "Open https://www.acme.example/account/reset?token=AbCdEfGhIjKlMnOpQrStUvWxYz012345\n"
        "Temporary password: Xy7#kLm9-Pq\n"
    )
    assert [(s.label, s.value) for s in find_secrets(text)] == [
        ("Reset link", "https://www.acme.example/account/reset?token=AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
        ("Temporary password", "Xy7#kLm9-Pq"),
    ]

