"""Queue an email in the caller's transaction (SPEC §5, §10.11)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tuiconsole.domain.tokens import new_message_id
from tuiconsole.store.models import Customer, OutboundEmail

SECRET_TEMPLATES = ("reset_link", "temporary_password")


def customer_params(customer: Customer, site_name: str, brand_name: str) -> dict[str, Any]:
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "username": customer.username,
        "site_name": site_name,
        "brand_name": brand_name,
    }


def queue_email(
    session: Session,
    *,
    template: str,
    to: str,
    params: dict[str, Any],
    scope_id: int | None,
    customer_id: int | None,
    created_by: str,
    now: datetime,
    from_name: str,
    from_address: str,
    secret: str | None = None,
    secret_expires_at: datetime | None = None,
    ticket_id: int | None = None,
) -> OutboundEmail:
    """Add an outbox row; delivery is the dispatcher's job."""
    from tuiconsole.services.email.render import render_redacted

    params = {**params, "from_name": from_name, "from_address": from_address}
    subject = render_redacted(template, params).subject
    domain = from_address.rsplit("@", 1)[-1] if "@" in from_address else "tuiconsole.invalid"
    row = OutboundEmail(
        scope_id=scope_id,
        customer_id=customer_id,
        ticket_id=ticket_id,
        template=template,
        to_address=to,
        subject=subject,
        params=json.dumps(params, default=str, ensure_ascii=False),
        secret=secret,
        secret_expires_at=secret_expires_at,
        message_id=new_message_id(domain),
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_by=created_by,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row
