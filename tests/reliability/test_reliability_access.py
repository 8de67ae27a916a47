"""Access (SPEC §10.6–8): brute force locks as configured, the idle lock, and a canary:
no route gives back a password or a token."""

from __future__ import annotations

import io
import logging
import secrets

import pytest
import sqlalchemy as sa

from reliability.figures import report
from testkit import actor, customer_id, workers_done
from tuiconsole.domain.errors import InvalidCredentials
from tuiconsole.services.email.transports import MemoryTransport
from tuiconsole.services.outbox import OutboxService
from tuiconsole.store.models import Base, Membership, Offer, OutboundEmail
from tuiconsole.ui.app import make_app
from tuiconsole.ui.screens.idle_lock import IdleLockScreen
from tuiconsole.ui.screens.main import MainScreen


def generated_password() -> str:
    return f"Gx{secrets.token_hex(6)}!Q7"


def set_customer_password(svc, site: str, username: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    cid, pw = customer_id(svc, site, username), generated_password()
    svc.resets.set_password(actor(svc, "ada.admin"), cid, pw, pw, temporary=False, notify=False, verified_by="call-back")
    return cid, pw


@pytest.mark.parametrize(("site", "threshold", "minutes"), [("acme-us", 5, 15), ("acme-uk", 3, 0)])
def test_customer_brute_force_locks_at_the_scope_threshold(seeded_sqlite, clock, site, threshold, minutes):
    svc = seeded_sqlite
    cid, pw = set_customer_password(svc, site, "jdoe" if site == "acme-us" else "richard.davis")
    answers = set()
    for _ in range(threshold):
        with pytest.raises(InvalidCredentials) as wrong:
            svc.portal.login(site, svc.customers.get(actor(svc, "ada.admin"), cid).username, "not-" + pw)
        answers.add(wrong.value.message)
    username = svc.customers.get(actor(svc, "ada.admin"), cid).username
    assert svc.customers.get(actor(svc, "ada.admin"), cid).status == "locked"
    with pytest.raises(InvalidCredentials) as right_but_locked:
        svc.portal.login(site, username, pw)
    with pytest.raises(InvalidCredentials) as unknown:
        svc.portal.login(site, "no.such.user", pw)
    assert answers == {right_but_locked.value.message} == {unknown.value.message}  # one answer for all
    clock.advance(minutes=16)
    if minutes:
        assert svc.portal.login(site, username, pw).customer_id == cid  # auto-unlock after lockout_minutes
    else:
        with pytest.raises(InvalidCredentials):  # 0: locked until staff act
            svc.portal.login(site, username, pw)
    report(f"access brute force {site}", [f"customer brute force on {site}: locked after {threshold} wrong "
                                          f"passwords; lockout_minutes={minutes}"])


def test_console_user_brute_force_locks_at_the_configured_threshold(seeded_sqlite):
    svc = seeded_sqlite
    temp = svc.admin.reset_password(actor(svc, "ada.admin"), "casey.csr")
    threshold = svc.settings.console_lockout_threshold
    for _ in range(threshold):
        with pytest.raises(InvalidCredentials):
            svc.auth.login("casey.csr", "wrong-" + temp)
    with pytest.raises(InvalidCredentials) as locked:
        svc.auth.login("casey.csr", temp)  # the right password no longer opens it
    assert "locked" in locked.value.message
    svc.admin.unlock(actor(svc, "ada.admin"), "casey.csr")
    assert svc.auth.login("casey.csr", temp).actor.label == "casey.csr"
    report("access console brute force", [f"console user locked after {threshold} wrong passwords; admin unlock lifts it"])


async def test_the_console_locks_itself_after_the_idle_time(seeded_sqlite, clock):
    svc = seeded_sqlite
    app = make_app(svc, actor=actor(svc, "casey.csr"), clock=clock, animations=False)
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(100):
            await workers_done(pilot.app)
            await pilot.pause()
            if isinstance(app.screen, MainScreen):
                break
        minutes = svc.settings.console_idle_minutes
        clock.advance(minutes=minutes - 1)
        assert app.check_idle_lock() is False
        clock.advance(minutes=1)
        assert app.check_idle_lock() is True
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
    report("access idle lock", [f"console locks after {minutes} idle minutes (not at {minutes - 1})"])


def test_canary_no_route_gives_back_a_secret(seeded_sqlite, clock, caplog, tmp_path):
    """Secrets issued through every use case; then every place a user or admin can read is grepped."""
    svc = seeded_sqlite
    ada = actor(svc, "ada.admin")
    caplog.set_level(logging.DEBUG)
    secrets_issued: list[str] = []

    # Typed customer password, a membership password, a console user's temporary password.
    _, typed = set_customer_password(svc, "acme-us", "jdoe")
    secrets_issued.append(typed)
    secrets_issued.append(svc.admin.reset_password(ada, "casey.csr"))
    with svc.ctx.read() as s:
        membership = s.execute(
            sa.select(Membership.id, Membership.customer_id).join(Offer, Offer.id == Membership.offer_id)
            .where(Offer.has_password_field.is_(True))
        ).first()
    if membership is not None:
        member_pw = generated_password()
        svc.offers.set_membership_password(ada, membership.customer_id, membership.id, member_pw, member_pw,
                                           verified_by="call-back")
        secrets_issued.append(member_pw)
    # A reset link and an emailed temporary password, read from the outbox before delivery.
    link = svc.resets.send_reset_email(ada, customer_id(svc, "acme-us", "jdoe"))
    temp = svc.resets.send_reset_email(ada, customer_id(svc, "globex-us", svc.customers.search(
        ada, svc.scopes.by_code(ada, "globex-us").id, "", limit=1).rows[0].username))
    with svc.ctx.read() as s:
        for email_id in (link.email_id, temp.email_id):
            secrets_issued.append(s.get(OutboundEmail, email_id).secret)
    mail = MemoryTransport()
    assert OutboxService(svc.ctx, mail).deliver_all().sent >= 2
    assert all(secrets_issued)
    with svc.ctx.read() as s:  # delivered: the outbox keeps no secret any more
        assert s.scalar(sa.select(sa.func.count()).select_from(OutboundEmail).where(OutboundEmail.secret.is_not(None))) == 0

    # Every route a person reads: screens' data, activity, export, outbox views, CLI output, the database, logs.
    places: dict[str, str] = {}
    places["activity"] = repr(svc.activity.query(ada))
    out = io.StringIO()
    svc.activity.export_csv(ada, out)
    places["export"] = out.getvalue()
    places["outbox list"] = repr(svc.outbox.list(ada))
    places["outbox previews"] = "".join(svc.outbox.preview(ada, e.id).text for e in svc.outbox.list(ada))
    places["customer views"] = repr([svc.customers.get(ada, r.id) for r in svc.customers.search(
        ada, svc.scopes.by_code(ada, "acme-us").id, "", limit=200).rows])
    places["console users"] = repr(svc.admin.list_users(ada))
    with svc.engine.connect() as conn:
        places["database"] = "\n".join(
            repr(tuple(r)) for t in Base.metadata.sorted_tables for r in conn.execute(sa.select(t))
        )
    places["logs"] = "\n".join(r.getMessage() for r in caplog.records)
    from clikit import cli_env, invoke

    env = cli_env(tmp_path, svc.settings.database_url)
    places["cli outbox list"] = invoke("outbox", "list", "--json", env=env).stdout
    places["cli customers find"] = invoke("customers", "find", "j", "--scope", "acme", "--json", env=env).stdout
    leaks = [(where, s[:4] + "…") for where, text in places.items() for s in secrets_issued if s and s in text]
    assert leaks == []
    report("access canary", [f"canary: {len(secrets_issued)} secrets issued, {len(places)} places searched, "
                             f"{len(leaks)} found"])
