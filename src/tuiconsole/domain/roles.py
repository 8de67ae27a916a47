"""Console roles and what each may do (SPEC §1, Roles table)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Role(StrEnum):
    CSR = "csr"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"
    ADMIN = "admin"
    # Lower-case aliases (same members): the brief named them in lower case and
    # other layers were written against both spellings in parallel.
    csr = "csr"
    supervisor = "supervisor"
    trainer = "trainer"
    admin = "admin"


class Permission(StrEnum):
    # find and view customers, outbox, activity (in granted scopes)
    VIEW = "view"
    # new customer, edit profile, send reset email, unlock an automatic lock,
    # grant offer, resend credentials
    EDIT_CUSTOMER = "edit_customer"
    # manual / temporary / membership password (where the scope allows it)
    SET_PASSWORD = "set_password"
    # lock / disable / enable, lift a staff lock, export activity, edit reset options
    SUPERVISE = "supervise"
    # demo inbox and demo rebuild (demo databases only)
    DEMO_INBOX = "demo_inbox"
    # console users: add, roles, scopes, reset password, disable, unlock
    MANAGE_USERS = "manage_users"
    # Lower-case aliases, as for Role.
    view = "view"
    edit_customer = "edit_customer"
    set_password = "set_password"
    supervise = "supervise"
    demo_inbox = "demo_inbox"
    manage_users = "manage_users"


_EVERYONE = frozenset({Permission.VIEW, Permission.EDIT_CUSTOMER, Permission.SET_PASSWORD})

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = MappingProxyType(
    {
        Role.CSR: _EVERYONE,
        Role.SUPERVISOR: _EVERYONE | {Permission.SUPERVISE},
        Role.TRAINER: _EVERYONE | {Permission.SUPERVISE, Permission.DEMO_INBOX},
        Role.ADMIN: _EVERYONE | {Permission.SUPERVISE, Permission.MANAGE_USERS},
    }
)


def role_allows(role: Role | str, perm: Permission | str) -> bool:
    """True when ``role`` has ``perm``; unknown names are refused, never an error."""
    try:
        return Permission(perm) in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def sees_all_scopes(role: Role | str) -> bool:
    """Administrators see every scope; the others only their granted subtrees."""
    return role == Role.ADMIN
