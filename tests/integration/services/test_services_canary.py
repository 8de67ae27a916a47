"""SPEC §10.6: a canary test — issue secrets through every use case, then grep everything else."""

from __future__ import annotations

import json
import logging
import secrets

import pytest
import sqlalchemy as sa
from services_helpers import email_secret, new_password

from testkit import actor, customer_id
from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.services.email import render
from tuiconsole.store.models import ConsoleUser


class Canaries:
    """Unique generated passwords; every error message raised on the way is kept too."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.errors: list[str] = []

    def new(self) -> str:
        value = new_password()
        self.values.append(value)
        return value

    def short(self) -> str:  # one the policy refuses: its message must not echo it
        value = f"k{secrets.token_hex(3)}"
        self.values.append(value)
        return value

    def expect_error(self, call) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(TuiconsoleError) as err:
            call()
        self.errors.append(str(err.value))


def dump_database(svc) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Every column of every row of every table as text, and the undelivered outbox secrets."""
    texts: list[str] = []
    with svc.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings():
                values = dict(row)
                if table == "outbound_emails" and values["status"] != "sent":
                    values.pop("secret")  # the one place a secret may wait for delivery
                texts.append(f"{table}: {values!r}")
        held = conn.execute(sa.text("SELECT secret FROM outbound_emails WHERE secret IS NOT NULL")).scalars()
        return texts, list(held)


def test_no_secret_leaks_into_logs_activity_errors_or_database(seeded, caplog):
    """SPEC §10.6: no password, token or temporary password in the activity log, the application
    logs, error messages or the database other than as a hash (the outbox row until delivery
    excepted). SPEC §10.5: only the temporary-password email carries a password."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="tuiconsole")
    svc, k = seeded, Canaries()
    sam, ada = actor(svc, "sam.supervisor"), actor(svc, "ada.admin")
    cid = {u: customer_id(svc, site, u) for site, u in [
        ("acme-us", "jdoe"), ("acme-us", "mei.young"), ("acme-us", "betty.andersson47"),
        ("globex-us", "olga.petrova"), ("acme-us", "jennifer.jones"), ("globex-us", "donna.flores"),
    ]}  # fmt: skip

    # Manual password, and one the policy refuses.
    pw = k.new()
    svc.resets.set_password(sam, cid["jdoe"], pw, pw, temporary=False, notify=True, verified_by="call-back")
    bad = k.short()
    k.expect_error(lambda: svc.resets.set_password(
        sam, cid["jdoe"], bad, bad, temporary=False, notify=True, verified_by="call-back"))  # fmt: skip
    # Temporary password set by a CSR, then the forced change.
    temp = k.new()
    svc.resets.set_password(sam, cid["mei.young"], temp, temp, temporary=True, notify=True, verified_by="other")
    chosen = k.new()
    svc.portal.complete_forced_change(svc.portal.login("acme-us", "mei.young", temp), chosen, chosen)
    # Reset email with a link, redeemed; then a change of password by the customer.
    token = email_secret(svc, svc.resets.send_reset_email(sam, cid["betty.andersson47"]).email_id)
    via_link, changed = k.new(), k.new()
    svc.portal.redeem_link("acme-us", f"https://www.acme.example/account/reset?token={token}", via_link, via_link)
    svc.portal.change_password("acme-us", "betty.andersson47", via_link, changed, changed)
    k.expect_error(lambda: svc.portal.redeem_link("acme-us", token, via_link, via_link))
    # Reset email with a temporary password, used to log in, then the forced change.
    emailed = email_secret(svc, svc.resets.send_reset_email(sam, cid["olga.petrova"]).email_id)
    after_temp = k.new()
    svc.portal.complete_forced_change(svc.portal.login("globex-us", "olga.petrova", emailed), after_temp, after_temp)
    # Forgot password in both modes (left pending).
    svc.portal.forgot_password("acme-us", "jennifer.jones")
    svc.portal.forgot_password("globex-us", "donna.flores")
    # Membership password, checked right and wrong.
    academy = next(m for m in svc.offers.memberships(sam, cid["jdoe"]) if m.offer_code == "acme-academy")
    member = k.new()
    svc.offers.set_membership_password(sam, cid["jdoe"], academy.id, member, member, verified_by="call-back")
    assert svc.portal.check_membership_password("acme-us", "jdoe", "acme-academy", member)
    assert not svc.portal.check_membership_password("acme-us", "jdoe", "acme-academy", k.new())
    # Failed logins: a wrong password, and a password typed into the username field.
    k.expect_error(lambda: svc.portal.login("acme-us", "jdoe", k.new()))
    k.expect_error(lambda: svc.portal.login("acme-us", k.new(), k.new()))
    # A console user changes their own password; a failed console login.
    console_old, console_new = k.new(), k.new()
    with svc.ctx.uow() as s:
        s.execute(sa.update(ConsoleUser).where(ConsoleUser.username == "ada.admin")
                  .values(password_hash=svc.ctx.hasher.hash(console_old)))  # fmt: skip
    svc.auth.change_own_password(ada, console_old, console_new, console_new)
    k.expect_error(lambda: svc.auth.login("ada.admin", k.new()))
    k.expect_error(lambda: svc.auth.login(k.new(), k.new()))

    texts, held = dump_database(svc)
    issued = [token, emailed, *held]
    assert token in held and emailed in held and len(held) == 4  # 2 CSR emails + 2 forgot-password emails
    secrets_all = [*k.values, *issued]
    logs = [f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records]
    assert any("activity" in line for line in logs)  # the logs were captured
    assert any(line.startswith("activity_events:") for line in texts)
    leaks = {
        where: [secret for secret in secrets_all if any(secret in text for text in texts_)]
        for where, texts_ in (("database", texts), ("logs", logs), ("errors", k.errors))
    }
    assert leaks == {"database": [], "logs": [], "errors": []}
    assert_only_secret_emails_carry_secrets(svc, [*k.values, token, emailed])


def assert_only_secret_emails_carry_secrets(svc, passwords: list[str]) -> None:  # type: ignore[no-untyped-def]
    """SPEC §10.5: only the reset emails hold a secret; the temporary-password email of a site
    without include_username_in_email names no username; no other email carries a password."""
    with svc.engine.connect() as conn:
        # Seeded emails are history (their params are incomplete): only what the use cases queued.
        rows = conn.execute(
            sa.text("SELECT template, params, secret FROM outbound_emails WHERE created_by <> 'seed'")
        ).all()
    assert {r.template for r in rows if r.secret} == {"reset_link", "temporary_password"}
    for row in rows:
        content = render(row.template, json.loads(row.params), secret=row.secret)
        body = f"{content.subject} {content.text} {content.html}"
        if row.template == "temporary_password":
            assert row.secret in body and json.loads(row.params)["username"] not in body
        assert not [p for p in passwords if p in body and p != row.secret]
