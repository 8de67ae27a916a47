"""A small site of hand-made customers to test the customer filter against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tuiconsole.services.container import Services, cli_actor
from tuiconsole.services.views import SearchPage
from tuiconsole.store.models import Customer, Scope
from tuiconsole.store.repositories.customers import CustomerRepository
from tuiconsole.store.repositories.scopes import ScopeRepository

LAB_SITE = "search-lab"
LAB_SITE_2 = "search-lab-2"
LAB_BRAND = "search-brand"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    username: str
    first: str
    last: str
    email: str | None = None
    phone: str | None = None
    status: str = "active"
    locked: bool = False
    must_change: bool = False
    site: str = LAB_SITE


PEOPLE: tuple[Person, ...] = (
    Person("jsmith", "John", "Smith", "john.smith@example.com", "+1 212 555 0142"),
    Person("jjones", "John", "Jones", "jj@mail.example.org", "(415) 555-0199"),
    Person("major.t", "Tom", "Major", "tom@example.net", None),
    Person("zoe.b", "Zoë", "Brandt", None, "+44 20 7946 0011"),
    Person("obrien", "Seán", "O'Brien", "sean.obrien@example.ie", None, locked=True),
    Person("pct", "Percy", "50%_Off", "percy@example.com", None),
    Person("pct2", "Percy", "500ff", "percy2@example.com", None),
    Person("dana.d", "Dana", "Disabled", "dana@example.com", None, status="disabled"),
    Person("must.m", "Mona", "Mustchange", "mona@example.com", None, must_change=True),
    Person("amy.a", "Amy", "Adams", "amy@example.com", "030 1234 5678"),
    Person("jo.x", "Jo", "Xavier", "x@example.com", None, site=LAB_SITE_2),
)


def build_lab(svc: Services, people: Sequence[Person] = PEOPLE) -> dict[str, int]:
    """Two lab sites under one brand with the given customers; returns scope ids by code."""
    with svc.ctx.uow() as s:
        repo = ScopeRepository(s)
        root = next(sc for sc in repo.all() if sc.parent_id is None) if repo.all() else None
        if root is None:
            root = repo.add(Scope(code="lab-root", name="Lab", kind="group"))
        brand = repo.add(Scope(code=LAB_BRAND, name="Search Brand", kind="brand", parent_id=root.id))
        ids = {LAB_BRAND: brand.id}
        for code in (LAB_SITE, LAB_SITE_2):
            ids[code] = repo.add(Scope(code=code, name=code, kind="site", parent_id=brand.id)).id
        customers = CustomerRepository(s)
        for p in people:
            customers.add(
                Customer(
                    site_id=ids[p.site],
                    username=p.username,
                    email=p.email,
                    first_name=p.first,
                    last_name=p.last,
                    phone=p.phone,
                    status=p.status,
                    locked_at=WHEN if p.locked else None,
                    lock_kind="staff" if p.locked else None,
                    must_change_password=p.must_change,
                    failed_login_count=0,
                    created_at=WHEN,
                    version=1,
                )
            )
    svc.ctx.forget_scopes()
    return ids


def find(svc: Services, scope_id: int, query: str, **kw: object) -> SearchPage:
    return svc.customers.search(cli_actor(), scope_id, query, **kw)  # type: ignore[arg-type]


def usernames(page: SearchPage) -> list[str]:
    return [r.username for r in page.rows]
