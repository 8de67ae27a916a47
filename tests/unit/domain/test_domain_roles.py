import pytest

from tuiconsole.domain.roles import (
    ROLE_PERMISSIONS,
    Permission,
    Role,
    role_allows,
    sees_all_scopes,
)

# SPEC §1 Roles table, row by row: (permission, csr, supervisor, trainer, admin)
TABLE = [
    (Permission.VIEW, True, True, True, True),
    (Permission.EDIT_CUSTOMER, True, True, True, True),
    (Permission.SET_PASSWORD, True, True, True, True),
    (Permission.SUPERVISE, False, True, True, True),
    (Permission.DEMO_INBOX, False, False, True, False),
    (Permission.MANAGE_USERS, False, False, False, True),
]
ROLES = [Role.CSR, Role.SUPERVISOR, Role.TRAINER, Role.ADMIN]


@pytest.mark.parametrize(("perm", *[r.value for r in ROLES]), TABLE)
def test_roles_table(perm: Permission, csr: bool, supervisor: bool, trainer: bool, admin: bool):
    for role, expected in zip(ROLES, (csr, supervisor, trainer, admin), strict=True):
        assert role_allows(role, perm) is expected, (role, perm)
        assert (perm in ROLE_PERMISSIONS[role]) is expected


def test_table_covers_every_role_and_permission() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert {row[0] for row in TABLE} == set(Permission)


def test_strings_and_unknown_names() -> None:
    assert role_allows("supervisor", "supervise")
    assert not role_allows("csr", "supervise")
    assert not role_allows("root", "view") and not role_allows("admin", "everything")
    assert Role("csr") is Role.CSR is Role.csr and Permission.view is Permission.VIEW
    assert sees_all_scopes(Role.ADMIN) and not sees_all_scopes("supervisor")
