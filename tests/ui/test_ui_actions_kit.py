"""Helpers of the customer-action tests (test_ui_actions_*.py): no tests here.

(Named test_ui_actions_* because that is the family these tests own.)
"""

from __future__ import annotations

import io
import secrets
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from test_ui_flow import pick_scope_and_open
from textual.widgets import Static
from uikit import settle

from testkit import customer_id
from tuiconsole.services.container import Services
from tuiconsole.store.models import Customer
from tuiconsole.ui.screens.main import MainScreen
from tuiconsole.ui.widgets.last_action import LastActionBox


def new_password() -> str:
    """A generated password that meets every seeded site's policy (acme-uk: 12+, all classes)."""
    return f"Qz{secrets.token_hex(8)}!7"


def customer_row(svc: Services, cid: int) -> dict[str, Any]:
    """Every column of the customers row, read directly."""
    with svc.ctx.read() as s:
        row = s.execute(sa.select(Customer.__table__).where(Customer.__table__.c.id == cid)).mappings().one()
        return dict(row)


async def open_in_edit(pilot, site: str, username: str, tab: str = "2") -> MainScreen:  # type: ignore[no-untyped-def]
    """Scope, filter, open, `e`, then the tab (Account by default)."""
    screen = await pick_scope_and_open(pilot, site, username)
    await pilot.press("e", tab)
    await settle(pilot, lambda: screen.details.editing)
    return screen


async def switch_to(pilot, screen: MainScreen, svc: Services, site: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Open another customer of the same app (view mode first)."""
    panel = screen.details
    if panel.editing:
        panel.leave_edit()
    screen.open_customer(customer_id(svc, site, username))
    await settle(pilot, lambda: panel.details is not None and panel.details.username == username)


def box_text(screen: MainScreen, where: str = "account") -> str:
    box = screen.details.query_one(f"#{where}-last-action", LastActionBox)
    return box.plain_text() if box.display else ""


def static_plain(screen: Any, selector: str, width: int = 120) -> str:
    """What a Static shows, as plain text (tables included)."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)
    return console.export_text()


def shown(app: Any) -> str:
    return app.export_screenshot().replace("&#160;", " ")
