"""Console users (admin only): add, role, scopes, temporary password, disable, enable, unlock."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from testkit import actor
from tuiconsole.domain.errors import Forbidden, InvalidCredentials, NotFound, ValidationError
from tuiconsole.services.admin import temporary_password
from tuiconsole.services.auth import MIN_CONSOLE_PASSWORD
from tuiconsole.services.container import Services, cli_actor
from tuiconsole.store.models import ActivityEvent


def activity_text(svc: Services) -> str:
    with svc.ctx.read() as s:
        rows = s.execute(sa.select(ActivityEvent.actor, ActivityEvent.details)).all()
    return json.dumps([list(r) for r in rows])


def test_add_user_gives_a_one_time_password_that_must_be_changed(seeded: Services) -> None:
    admin = actor(seeded, "ada.admin")
    user, password = seeded.admin.add_user(admin, "Nina.CSR", "Nina N", "csr", ["acme-us", "acme-uk"])
    assert (user.username, user.display_name, user.role) == ("nina.csr", "Nina N", "csr")
    assert user.scope_codes == ["acme-uk", "acme-us"]
    assert user.must_change_password and user.status == "active" and not user.locked
    login = seeded.auth.login("nina.csr", password)
    assert login.must_change_password
    assert login.actor.sees(seeded.scopes.by_code(admin, "acme-us").id)
    assert not login.actor.sees(seeded.scopes.by_code(admin, "globex-us").id)
    # Audited, by whom, and never with the password.
    text = activity_text(seeded)
    assert password not in text
    events = seeded.activity.query(admin, action="console_user_added")
    assert [(e.actor, e.details["target"]) for e in events] == [("ada.admin", "nina.csr")]


def test_temporary_passwords_are_strong_and_different() -> None:
    made = {temporary_password() for _ in range(50)}
    assert len(made) == 50
    for pw in made:
        assert len(pw) >= MIN_CONSOLE_PASSWORD and pw[0].isalpha()
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw)
        assert any(c.isdigit() for c in pw) and any(not c.isalnum() for c in pw)


@pytest.mark.parametrize("name", ["a", "has space", "cli:root", "semi;colon", "x" * 151, ""])
def test_bad_usernames_are_refused(seeded_sqlite: Services, name: str) -> None:
    with pytest.raises(ValidationError, match="not a valid console username"):
        seeded_sqlite.admin.add_user(cli_actor(), name, None, "csr", ["acme"])


def test_unknown_scope_is_named(seeded_sqlite: Services) -> None:
    with pytest.raises(ValidationError, match="Unknown scope 'atlantis'"):
        seeded_sqlite.admin.add_user(cli_actor(), "nina", None, "csr", ["acme", "atlantis"])
    assert "nina" not in {u.username for u in seeded_sqlite.admin.list_users(cli_actor())}


def test_role_and_scope_rules_on_add(seeded_sqlite: Services) -> None:
    svc, me = seeded_sqlite, cli_actor()
    with pytest.raises(ValidationError, match="Unknown role 'boss'"):
        svc.admin.add_user(me, "nina", None, "boss", ["acme"])
    with pytest.raises(ValidationError, match="needs at least one scope"):
        svc.admin.add_user(me, "nina", None, "supervisor", [])
    with pytest.raises(ValidationError, match="already exists"):
        svc.admin.add_user(me, "Casey.CSR", None, "csr", ["acme"])
    admin, _ = svc.admin.add_user(me, "root.admin", None, "ADMIN", [])
    assert (admin.role, admin.scope_codes, admin.display_name) == ("admin", [], "root.admin")


@pytest.mark.parametrize("who", ["sam.supervisor", "casey.csr", "tara.trainer"])
def test_only_an_admin_manages_console_users(seeded_sqlite: Services, who: str) -> None:
    someone = actor(seeded_sqlite, who)
    with pytest.raises(Forbidden):
        seeded_sqlite.admin.list_users(someone)
    with pytest.raises(Forbidden):
        seeded_sqlite.admin.add_user(someone, "nina", None, "admin", [])
    with pytest.raises(Forbidden):
        seeded_sqlite.admin.reset_password(someone, "ada.admin")


def lock_out(svc: Services, username: str) -> None:
    for _ in range(svc.settings.console_lockout_threshold):
        with pytest.raises(InvalidCredentials):
            svc.auth.login(username, "wrong-" + temporary_password())


def test_reset_password_unlocks_and_forces_a_change(seeded_sqlite: Services) -> None:
    svc = seeded_sqlite
    lock_out(svc, "casey.csr")
    assert next(u for u in svc.admin.list_users(cli_actor()) if u.username == "casey.csr").locked
    password = svc.admin.reset_password(cli_actor(), "casey.csr")
    login = svc.auth.login("casey.csr", password)
    assert login.must_change_password
    assert password not in activity_text(svc)
    [event] = svc.activity.query(cli_actor(), action="console_user_password_reset")
    assert event.details == {"target": "casey.csr", "was_locked": True}
    assert event.actor.startswith("cli:")


def test_unlock_keeps_the_password(seeded_sqlite: Services) -> None:
    svc, me = seeded_sqlite, cli_actor()
    _, password = svc.admin.add_user(me, "nina", None, "csr", ["acme"])
    lock_out(svc, "nina")
    with pytest.raises(InvalidCredentials):
        svc.auth.login("nina", password)  # locked: even the right password fails
    assert not svc.admin.unlock(me, "nina").locked
    assert svc.auth.login("nina", password).actor.label == "nina"


def test_set_role_and_scopes(seeded_sqlite: Services) -> None:
    svc, me = seeded_sqlite, cli_actor()
    assert svc.admin.set_scopes(me, "casey.csr", ["globex"]).scope_codes == ["globex"]
    assert svc.admin.set_role(me, "casey.csr", "supervisor").role == "supervisor"
    casey = actor(svc, "casey.csr")
    assert casey.role == "supervisor"
    assert casey.sees(svc.scopes.by_code(me, "globex-us").id)
    assert not casey.sees(svc.scopes.by_code(me, "acme-us").id)
    with pytest.raises(ValidationError, match="Unknown scope 'nowhere'"):
        svc.admin.set_scopes(me, "casey.csr", ["nowhere"])
    with pytest.raises(ValidationError, match="at least one scope"):
        svc.admin.set_scopes(me, "casey.csr", [])
    actions = [e.action for e in svc.activity.query(me, actor_label="cli:")]
    assert {"console_user_scopes_set", "console_user_role_set"} <= set(actions)


def test_disable_and_enable(seeded_sqlite: Services) -> None:
    svc, me = seeded_sqlite, cli_actor()
    _, password = svc.admin.add_user(me, "nina", None, "csr", ["acme"])
    assert svc.admin.disable(me, "nina", "left the team").status == "disabled"
    with pytest.raises(InvalidCredentials):
        svc.auth.login("nina", password)
    assert svc.admin.enable(me, "nina").status == "active"
    assert svc.auth.login("nina", password).actor.label == "nina"


def test_the_last_admin_stays(seeded_sqlite: Services) -> None:
    svc, me = seeded_sqlite, cli_actor()
    with pytest.raises(ValidationError, match="last active admin"):
        svc.admin.disable(me, "ada.admin")
    with pytest.raises(ValidationError, match="last active admin"):
        svc.admin.set_role(me, "ada.admin", "supervisor")
    svc.admin.add_user(me, "second.admin", None, "admin", [])
    assert svc.admin.set_role(me, "ada.admin", "supervisor").role == "supervisor"


def test_an_admin_cannot_disable_themselves(seeded_sqlite: Services) -> None:
    svc = seeded_sqlite
    svc.admin.add_user(cli_actor(), "second.admin", None, "admin", [])
    with pytest.raises(ValidationError, match="yourself"):
        svc.admin.disable(actor(svc, "ada.admin"), "ada.admin")


def test_unknown_console_user(seeded_sqlite: Services) -> None:
    with pytest.raises(NotFound, match="No console user 'ghost'"):
        seeded_sqlite.admin.reset_password(cli_actor(), "ghost")
    with pytest.raises(NotFound):
        seeded_sqlite.admin.get_user(cli_actor(), 99999)
