"""Every training case of SPEC §6 is in the shipped seed, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from testkit import customer_id, seed
from tuiconsole.services.container import Services, cli_actor
from tuiconsole.store.models import Account, Customer, Offer


def details(svc: Services, site: str, username: str):  # type: ignore[no-untyped-def]
    return svc.customers.get(cli_actor(), customer_id(svc, site, username))


def test_locked_customers(seeded: Services) -> None:
    auto = details(seeded, "acme-uk", "maria.lopez")
    assert (auto.status, auto.lock_kind) == ("locked", "failed_logins")
    staff = details(seeded, "acme-us", "victor.stone")
    assert (staff.status, staff.lock_kind) == ("locked", "staff")
    assert staff.lock_reason and "fraud" in staff.lock_reason.lower()
    assert not staff.can_reset


def test_customer_without_email(seeded: Services) -> None:
    assert details(seeded, "acme-us", "tom.noemail").email is None


def test_customer_with_pending_temporary_password(seeded: Services) -> None:
    priya = details(seeded, "acme-us", "priya.patel")
    assert priya.password_temporary and priya.must_change_password
    assert priya.password_expires_at is not None
    assert priya.password_expires_at > seeded.ctx.now()


def test_disabled_customer(seeded: Services) -> None:
    assert details(seeded, "acme-us", "dana.disabled").status == "disabled"


def test_retailer_account_with_several_contacts(seeded: Services) -> None:
    with seeded.ctx.read() as s:
        contacts = s.scalar(
            sa.select(sa.func.count())
            .select_from(Customer)
            .join(Account, Account.id == Customer.account_id)
            .where(Account.code == "northwind")
        )
    assert contacts == 4
    one = customer_id(seeded, "initech-b2b", "h.tanaka")
    others = seeded.customers.contacts(cli_actor(), one)
    assert len(others) == 3 and one not in {c.id for c in others}


def test_customer_whose_welcome_email_failed(seeded: Services) -> None:
    member = details(seeded, "acme-us", "new.member")
    assert not member.password_set
    emails = seeded.customers.emails(cli_actor(), member.id)
    assert any(e.template == "membership_welcome" and e.status == "failed" for e in emails)


def test_offer_with_a_password_custom_field(seeded: Services) -> None:
    with seeded.ctx.read() as s:
        codes = set(s.scalars(sa.select(Offer.code).where(Offer.has_password_field.is_(True))))
    assert "acme-academy" in codes


def test_site_without_manual_entry_in_temporary_password_mode(seeded: Services) -> None:
    options = details(seeded, "globex-us", "olga.petrova").options.values
    assert options.allow_manual_entry is False
    assert options.reset_email_mode == "temporary_password"
    # ... while the US Acme site does allow it: the difference is the lesson.
    assert details(seeded, "acme-us", "jdoe").options.values.allow_manual_entry is True


def test_demo_load_has_one_console_user_per_role(seeded: Services) -> None:
    users = {u.username: u for u in seeded.admin.list_users(cli_actor())}
    assert {u: users[u].role for u in users} == {
        "ada.admin": "admin",
        "sam.supervisor": "supervisor",
        "casey.csr": "csr",
        "tara.trainer": "trainer",
    }
    # The CSR is limited to some scopes: Acme only.
    assert users["casey.csr"].scope_codes == ["acme"]


def test_non_demo_load_creates_no_console_users(services: Services) -> None:
    seed(services, demo=False)
    assert services.admin.list_users(cli_actor()) == []
    assert not services.is_demo_database()
