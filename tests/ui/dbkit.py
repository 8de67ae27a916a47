"""Direct database edits for console tests: states the services rightly refuse to make.

(The ui package never touches the database; the tests may, to set the scene.)
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from tuiconsole.services.container import Services
from tuiconsole.store.models import ConsoleUser, Customer, Scope
from tuiconsole.store.repositories.customers import search_columns


def give_console_password(svc: Services, username: str, *, must_change: bool = False) -> str:
    """A fresh generated password for a seeded console user; returns it."""
    password = "T3st-" + secrets.token_urlsafe(12)
    with svc.ctx.uow() as s:
        user = s.scalar(sa.select(ConsoleUser).where(ConsoleUser.username == username))
        assert user is not None
        user.password_hash = svc.ctx.hasher.hash(password)
        user.must_change_password = must_change
    return password


def rename_customer(svc: Services, customer_id: int, first: str, last: str) -> None:
    """Write names the profile form would refuse (control characters)."""
    with svc.ctx.uow() as s:
        c = s.get(Customer, customer_id)
        assert c is not None
        c.first_name, c.last_name = first, last
        for key, value in search_columns(
            username=c.username, email=c.email, first_name=first, last_name=last, phone=c.phone
        ).items():
            setattr(c, key, value)


def bulk_insert_customers(svc: Services, site_code: str, count: int, batch: int = 20_000) -> None:
    """`count` synthetic customers in one site, by executemany (fast)."""
    now = svc.ctx.now()
    with svc.ctx.uow() as s:
        site_id = s.scalar(sa.select(Scope.id).where(Scope.code == site_code))
        assert site_id is not None
        table = Customer.__table__
        for start in range(0, count, batch):
            rows = []
            for i in range(start, min(count, start + batch)):
                username, first, last = f"bulk{i:06d}", f"Bulk{i % 997}", f"Person{i:06d}"
                email = f"{username}@bulk.example"
                rows.append(
                    {
                        "site_id": site_id,
                        "username": username,
                        "email": email,
                        "first_name": first,
                        "last_name": last,
                        "phone": None,
                        "status": "active",
                        "must_change_password": False,
                        "failed_login_count": 0,
                        "created_at": now,
                        "version": 1,
                        **search_columns(
                            username=username, email=email, first_name=first, last_name=last, phone=None
                        ),
                    }
                )
            s.execute(sa.insert(table), rows)
