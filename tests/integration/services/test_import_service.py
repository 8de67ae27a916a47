"""The import service on both databases: plain and not-so-plain rows, accounts, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from testkit import seed
from tuiconsole.services.container import Services, cli_actor
from tuiconsole.services.customer_import import import_customers
from tuiconsole.store.models import Account, Customer, Scope

CSV = """username,email,first_name,last_name,phone,account
plain1,Plain1@Example.com,Zoë,O'Neill,+1 555 0100,
spaced2 ,  spaced2@example.com ,  Ann , Lee ,  ,Northwind
ünï3,jö@bücher.de,Émile,Zola,030 1234,contoso
info4,Info@Example.com,I,Four,,
bad5,x@ab--cd.com,B,Five,,
bad6,y@example.com,B,Six,,nowhere
plain1,z@example.com,Dup,Seven,,
"""


def site_customers(svc: Services, code: str) -> dict[str, tuple[object, ...]]:
    with svc.ctx.read() as s:
        rows = s.execute(
            sa.select(
                Customer.username, Customer.email, Customer.first_name, Customer.last_name, Customer.phone,
                Customer.email_ci, Customer.phone_digits, Account.code,
            )
            .join(Scope, Scope.id == Customer.site_id)
            .outerjoin(Account, Account.id == Customer.account_id)
            .where(Scope.code == code)
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_import_checks_every_row_on_both_databases(services: Services, tmp_path: Path) -> None:
    seed(services)
    path = tmp_path / "c.csv"
    path.write_text(CSV, encoding="utf-8")
    report = import_customers(services.ctx, cli_actor(), "initech-b2b", path)
    assert [str(p) for p in report.problems] == [
        "line 6: email: not a valid address (An email address cannot have two letters followed by two dashes "
        "immediately after the @-sign or after a period, except Punycode.)",
        "line 7: account: no retailer account 'nowhere' on this site",
        "line 8: username 'plain1' already appears on line 2",
    ]
    assert report.imported == 4
    got = site_customers(services, "initech-b2b")
    assert got["plain1"] == ("Plain1@example.com", "Zoë", "O'Neill", "+1 555 0100", "plain1@example.com", "15550100", None)
    assert got["spaced2"] == ("spaced2@example.com", "Ann", "Lee", None, "spaced2@example.com", "", "northwind")
    assert got["ünï3"] == ("jö@bücher.de", "Émile", "Zola", "030 1234", "jö@bücher.de", "0301234", "contoso")
    assert got["info4"][0] == "info@example.com"


def test_all_or_nothing_on_both_databases(services: Services, tmp_path: Path) -> None:
    seed(services)
    path = tmp_path / "c.csv"
    path.write_text(CSV, encoding="utf-8")
    report = import_customers(services.ctx, cli_actor(), "initech-b2b", path, all_or_nothing=True)
    assert report.imported == 0 and report.rejected == 3
    assert "plain1" not in site_customers(services, "initech-b2b")
