"""Whether a customer is locked right now (SPEC §1): computed, so no job unlocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockState:
    status: str  # active | locked | disabled
    lock_kind: str | None  # failed_logins | staff while locked
    auto_unlock_at: datetime | None


def lock_state(
    *,
    status: str,
    lock_kind: str | None,
    locked_at: datetime | None,
    lockout_minutes: int,
    now: datetime,
) -> LockState:
    if status == "disabled":
        return LockState("disabled", lock_kind, None)
    if locked_at is None or lock_kind is None:
        return LockState("active", None, None)
    if lock_kind == "staff":
        return LockState("locked", "staff", None)
    if lockout_minutes <= 0:
        return LockState("locked", "failed_logins", None)
    until = locked_at + timedelta(minutes=lockout_minutes)
    if now < until:
        return LockState("locked", "failed_logins", until)
    return LockState("active", None, None)
