"""Console users signing in: lockout, forced change of a temporary password, idle unlock."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.domain.errors import (
    ConsoleLocked,
    Forbidden,
    InvalidCredentials,
    ValidationError,
)
from tuiconsole.domain.roles import sees_all_scopes
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.views import Actor, LoginResult
from tuiconsole.store.models import ConsoleUser, ConsoleUserScope
from tuiconsole.store.repositories.meta import MetaRepository

CONSOLE_LOGIN_FAILED = "Username or password incorrect, or the console user is locked or disabled."
MIN_CONSOLE_PASSWORD = 12


def actor_for(ctx: ServiceContext, s: Session, user: ConsoleUser) -> Actor:
    scope_ids: frozenset[int] | None = None
    if not sees_all_scopes(user.role):
        granted = s.scalars(
            sa.select(ConsoleUserScope.scope_id).where(ConsoleUserScope.user_id == user.id)
        )
        ids: set[int] = set()
        for scope_id in granted:
            ids |= ctx.subtree(s, scope_id)
        # Ancestors are visible as tree nodes only through the picker, not for data.
        scope_ids = frozenset(ids)
    return Actor(
        label=user.username,
        display_name=user.display_name,
        role=user.role,
        kind="console",
        user_id=user.id,
        scope_ids=scope_ids,
        demo=ctx.demo,
    )


class AuthService:
    def __init__(self, ctx: ServiceContext, *, lockout_threshold: int = 5) -> None:
        self.ctx = ctx
        self.lockout_threshold = lockout_threshold

    def _user(self, s: Session, username: str) -> ConsoleUser | None:
        return s.scalar(sa.select(ConsoleUser).where(ConsoleUser.username == username.strip()))

    def login(self, username: str, password: str) -> LoginResult:
        """One answer for every failure; a wrong password counts towards the lock.

        A failure is committed (count, lock, audit) before InvalidCredentials is raised:
        raising inside the unit of work would roll the count back.
        """
        ctx = self.ctx
        result: LoginResult | None = None
        with ctx.uow() as s:
            user = self._user(s, username)
            if user is None:
                ctx.hasher.dummy_verify(password)
                # No typed name in the log: people type their password into that field.
                ctx.record(s, "console:unknown", "console_login_failed", outcome="unknown_user")
            else:
                result = self._attempt(s, user, password)
        if result is None:
            raise InvalidCredentials(CONSOLE_LOGIN_FAILED)
        return result

    def _attempt(self, s: Session, user: ConsoleUser, password: str) -> LoginResult | None:
        ctx = self.ctx
        ok = ctx.hasher.verify(user.password_hash, password)
        if user.status != "active" or user.locked_at is not None:
            ctx.record(s, user.username, "console_login_failed", outcome="locked_or_disabled")
            return None
        if not ok:
            user.failed_login_count += 1
            outcome = "wrong_password"
            if self.lockout_threshold and user.failed_login_count >= self.lockout_threshold:
                user.locked_at = ctx.now()
                outcome = "locked"
            ctx.record(s, user.username, "console_login_failed", outcome=outcome)
            return None
        user.failed_login_count = 0
        user.last_login_at = ctx.now()
        if user.password_hash and ctx.hasher.needs_rehash(user.password_hash):
            user.password_hash = ctx.hasher.hash(password)
        ctx.record(s, user.username, "console_login")
        return LoginResult(actor=actor_for(ctx, s, user), must_change_password=user.must_change_password)

    def demo_login(self, username: str) -> LoginResult:
        """Sign in without a password: only on a database marked as demo (SPEC §6)."""
        ctx = self.ctx
        with ctx.uow() as s:
            if not MetaRepository(s).is_demo():
                raise Forbidden("Signing in without a password works only on a demo database.")
            user = self._user(s, username)
            if user is None or user.status != "active":
                raise InvalidCredentials(CONSOLE_LOGIN_FAILED)
            user.last_login_at = ctx.now()
            ctx.record(s, user.username, "console_login", mode="demo")
            return LoginResult(actor=actor_for(ctx, s, user), must_change_password=False)

    def verify_for_unlock(self, actor: Actor, password: str) -> None:
        """The idle lock asks for the password again; failures count like a login."""
        try:
            self.login(actor.label, password)
        except InvalidCredentials:
            raise ConsoleLocked("Wrong password: the console stays locked.") from None

    def change_own_password(self, actor: Actor, current: str, new: str, retype: str) -> None:
        ctx = self.ctx
        if new != retype:
            raise ValidationError("The two passwords don't match.", field="retype")
        if len(new) < MIN_CONSOLE_PASSWORD:
            raise ValidationError(
                f"A console password needs at least {MIN_CONSOLE_PASSWORD} characters.", field="password"
            )
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in new):
            raise ValidationError("Control characters are not allowed.", field="password")
        with ctx.uow() as s:
            user = s.get(ConsoleUser, actor.user_id) if actor.user_id else None
            if user is None or not ctx.hasher.verify(user.password_hash, current):
                raise ValidationError("The current password is wrong.", field="current")
            if ctx.hasher.verify(user.password_hash, new):
                raise ValidationError("Choose a password different from the current one.", field="password")
            user.password_hash = ctx.hasher.hash(new)
            user.must_change_password = False
            ctx.record(s, actor, "console_password_changed")
