"""Console users (admin only): add, role, scopes, temporary password, disable, unlock.

Console users get no email: a new or reset password is a one-time temporary
password handed back to the admin, to be changed at the next console login.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from sqlalchemy.orm import Session

from tuiconsole.domain.errors import NotFound, ValidationError
from tuiconsole.domain.policy import DIGITS, LOWER, SPECIALS, UPPER
from tuiconsole.domain.roles import Permission, Role
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.views import Actor, ConsoleUserView
from tuiconsole.store.models import ConsoleUser
from tuiconsole.store.repositories.console_users import ConsoleUserRepository

USERNAME_RULE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,149}$")
ROLES = tuple(dict.fromkeys(r.value for r in Role))
TEMPORARY_LENGTH = 16
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

UserRef = int | str


def temporary_password(length: int = TEMPORARY_LENGTH) -> str:
    """A strong password easy to read out; starts with a letter, every class present."""
    alphabet = UPPER + LOWER + DIGITS + SPECIALS
    rng = secrets.SystemRandom()
    chars = [secrets.choice(c) for c in (UPPER, LOWER, DIGITS, SPECIALS)]
    chars += [secrets.choice(alphabet) for _ in range(length - 1 - len(chars))]
    rng.shuffle(chars)
    return secrets.choice(UPPER + LOWER) + "".join(chars)


def check_username(raw: str) -> str:
    username = raw.strip().lower()
    if not USERNAME_RULE.match(username):
        raise ValidationError(
            f"'{raw.strip()[:60]}' is not a valid console username: 2 to 150 characters, "
            "lowercase letters, digits and . _ - @, starting with a letter or digit.",
            field="username",
        )
    return username


def check_role(raw: str) -> str:
    role = raw.strip().lower()
    if role not in ROLES:
        raise ValidationError(
            f"Unknown role '{raw.strip()[:40]}': use one of {', '.join(ROLES)}.", field="role"
        )
    return role


def check_display_name(raw: str | None, username: str) -> str:
    name = (raw or "").strip() or username
    if _CONTROL.search(name):
        raise ValidationError("Control characters are not allowed in a display name.", field="display_name")
    if len(name) > 200:
        raise ValidationError("A display name has at most 200 characters.", field="display_name")
    return name


class AdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- helpers --------------------------------------------------------------

    @staticmethod
    def _user(repo: ConsoleUserRepository, ref: UserRef) -> ConsoleUser:
        if isinstance(ref, int):
            user = repo.get(ref)
        else:
            user = repo.by_username(ref.strip().lower())
        if user is None:
            raise NotFound(f"No console user '{ref}'.")
        return user

    @staticmethod
    def _scope_ids(repo: ConsoleUserRepository, codes: Iterable[str]) -> dict[str, int]:
        wanted = [c.strip() for c in codes if c.strip()]
        found = repo.scopes_by_code(wanted)
        for code in wanted:
            if code not in found:
                raise ValidationError(f"Unknown scope '{code}'.", field="scopes")
        return {code: found[code].id for code in dict.fromkeys(wanted)}

    @staticmethod
    def _needs_scopes(role: str, scope_ids: Iterable[int]) -> None:
        # An admin sees every scope; anyone else with no scope could see nothing.
        if role != "admin" and not list(scope_ids):
            raise ValidationError(
                f"A {role} needs at least one scope (e.g. --scope global).", field="scopes"
            )

    @staticmethod
    def _keep_an_admin(repo: ConsoleUserRepository, user: ConsoleUser) -> None:
        if user.role == "admin" and user.status == "active" and repo.count_active_admins() <= 1:
            raise ValidationError(
                f"{user.username} is the last active admin: add another admin first."
            )

    @staticmethod
    def _view(repo: ConsoleUserRepository, user: ConsoleUser) -> ConsoleUserView:
        return ConsoleUserView(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            status=user.status,
            locked=user.locked_at is not None,
            must_change_password=user.must_change_password,
            scope_codes=repo.scope_codes([user.id])[user.id],
            last_login_at=user.last_login_at,
        )

    def _audit(self, s: Session, actor: Actor, action: str, user: ConsoleUser, **details: object) -> None:
        # Console-user events have no scope: only admins read them.
        self.ctx.record(s, actor, action, target=user.username, **details)

    # --- reading ------------------------------------------------------------

    def list_users(self, actor: Actor) -> list[ConsoleUserView]:
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        with ctx.read() as s:
            repo = ConsoleUserRepository(s)
            users = repo.all()
            codes = repo.scope_codes(u.id for u in users)
            return [
                ConsoleUserView(
                    id=u.id,
                    username=u.username,
                    display_name=u.display_name,
                    role=u.role,
                    status=u.status,
                    locked=u.locked_at is not None,
                    must_change_password=u.must_change_password,
                    scope_codes=codes[u.id],
                    last_login_at=u.last_login_at,
                )
                for u in users
            ]

    def get_user(self, actor: Actor, ref: UserRef) -> ConsoleUserView:
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        with ctx.read() as s:
            repo = ConsoleUserRepository(s)
            return self._view(repo, self._user(repo, ref))

    # --- changes --------------------------------------------------------------

    def add_user(
        self,
        actor: Actor,
        username: str,
        display_name: str | None,
        role: str,
        scope_codes: Iterable[str],
    ) -> tuple[ConsoleUserView, str]:
        """A new console user and its one-time temporary password (shown once)."""
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        name = check_username(username)
        role = check_role(role)
        shown = check_display_name(display_name, name)
        password = temporary_password()
        password_hash = ctx.hasher.hash(password)  # outside the transaction: it takes a while
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            if repo.by_username(name) is not None:
                raise ValidationError(f"A console user '{name}' already exists.", field="username")
            scopes = self._scope_ids(repo, scope_codes)
            self._needs_scopes(role, scopes.values())
            user = repo.add(
                ConsoleUser(
                    username=name,
                    display_name=shown,
                    role=role,
                    password_hash=password_hash,
                    must_change_password=True,
                    status="active",
                    failed_login_count=0,
                    created_at=ctx.now(),
                )
            )
            repo.set_scopes(user.id, scopes.values())
            self._audit(s, actor, "console_user_added", user, role=role, scopes=sorted(scopes))
            return self._view(repo, user), password

    def set_role(self, actor: Actor, ref: UserRef, role: str) -> ConsoleUserView:
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        role = check_role(role)
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            user = self._user(repo, ref)
            if user.role == role:
                return self._view(repo, user)
            if role != "admin":
                self._keep_an_admin(repo, user)
                self._needs_scopes(role, repo.scope_codes([user.id])[user.id])
            before = user.role
            user.role = role
            self._audit(s, actor, "console_user_role_set", user, role_before=before, role_after=role)
            return self._view(repo, user)

    def set_scopes(self, actor: Actor, ref: UserRef, scope_codes: Iterable[str]) -> ConsoleUserView:
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            user = self._user(repo, ref)
            scopes = self._scope_ids(repo, scope_codes)
            self._needs_scopes(user.role, scopes.values())
            before = repo.scope_codes([user.id])[user.id]
            repo.set_scopes(user.id, scopes.values())
            self._audit(
                s, actor, "console_user_scopes_set", user, scopes_before=before, scopes_after=sorted(scopes)
            )
            return self._view(repo, user)

    def reset_password(self, actor: Actor, ref: UserRef) -> str:
        """A new one-time temporary password; changed at next login; unlocks the user."""
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        password = temporary_password()
        password_hash = ctx.hasher.hash(password)
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            user = self._user(repo, ref)
            was_locked = user.locked_at is not None
            user.password_hash = password_hash
            user.must_change_password = True
            user.locked_at = None
            user.failed_login_count = 0
            self._audit(s, actor, "console_user_password_reset", user, was_locked=was_locked)
        return password

    def disable(self, actor: Actor, ref: UserRef, reason: str = "") -> ConsoleUserView:
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            user = self._user(repo, ref)
            if actor.user_id is not None and actor.user_id == user.id:
                raise ValidationError("You can't disable yourself.")
            if user.status == "disabled":
                return self._view(repo, user)
            self._keep_an_admin(repo, user)
            user.status = "disabled"
            self._audit(s, actor, "console_user_disabled", user, reason=reason.strip()[:500] or None)
            return self._view(repo, user)

    def enable(self, actor: Actor, ref: UserRef) -> ConsoleUserView:
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            user = self._user(repo, ref)
            if user.status != "active":
                user.status = "active"
                self._audit(s, actor, "console_user_enabled", user)
            return self._view(repo, user)

    def unlock(self, actor: Actor, ref: UserRef) -> ConsoleUserView:
        """Lift the lock after failed console logins, keeping the password."""
        ctx = self.ctx
        ctx.require(actor, Permission.MANAGE_USERS)
        with ctx.uow() as s:
            repo = ConsoleUserRepository(s)
            user = self._user(repo, ref)
            if user.locked_at is not None or user.failed_login_count:
                user.locked_at = None
                user.failed_login_count = 0
                self._audit(s, actor, "console_user_unlocked", user)
            return self._view(repo, user)
