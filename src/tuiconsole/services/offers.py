"""The Offers tab (SPEC §2 "Other actions"): memberships, grant, resend credentials,
membership password (only on offers with the Password custom field)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tuiconsole.domain.errors import NotAllowed, NotFound, PolicyViolation, ValidationError
from tuiconsole.domain.masking import mask_email
from tuiconsole.domain.policy import PasswordPolicy
from tuiconsole.domain.roles import Permission
from tuiconsole.services.context import ServiceContext
from tuiconsole.services.outbox_queue import customer_params, queue_email
from tuiconsole.services.resets import SPAM_HINT, check_typed_password, personal_data, refuse_if_unavailable
from tuiconsole.services.views import ActionResult, Actor, MembershipView, OfferView
from tuiconsole.store.models import Customer, Membership, Offer, OutboundEmail

NO_PASSWORD_FIELD = "This offer has no Password field: the customer changes their own password on the website."


def membership_view(m: Membership, o: Offer) -> MembershipView:
    return MembershipView(
        id=m.id,
        offer_id=o.id,
        offer_code=o.code,
        offer_name=o.name,
        granted_at=m.granted_at,
        status=m.status,
        has_password_field=o.has_password_field,
        has_membership_password=m.password_hash is not None,
        welcome_on_grant=o.welcome_on_grant,
    )


def offer_view(o: Offer) -> OfferView:
    return OfferView(
        id=o.id,
        code=o.code,
        name=o.name,
        scope_id=o.scope_id,
        has_password_field=o.has_password_field,
        welcome_on_grant=o.welcome_on_grant,
    )


class OfferService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _scope_ids(self, s: Session, c: Customer) -> list[int]:
        """The customer's site and its ancestors: where its offers may live."""
        return [scope.id for scope in self.ctx.chain(s, c.site_id)]

    def _membership(self, s: Session, c: Customer, membership_id: int) -> tuple[Membership, Offer]:
        row = s.execute(
            sa.select(Membership, Offer)
            .join(Offer, Offer.id == Membership.offer_id)
            .where(Membership.id == membership_id, Membership.customer_id == c.id)
        ).first()
        if row is None:
            raise NotFound("This customer has no such membership.")
        return row[0], row[1]

    def memberships(self, actor: Actor, customer_id: int) -> list[MembershipView]:
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            c = ctx.customer_for(s, actor, customer_id)
            rows = s.execute(
                sa.select(Membership, Offer)
                .join(Offer, Offer.id == Membership.offer_id)
                .where(Membership.customer_id == c.id)
                .order_by(Offer.name, Membership.id)
            )
            return [membership_view(m, o) for m, o in rows]

    def available_offers(self, actor: Actor, customer_id: int) -> list[OfferView]:
        """Offers of the customer's site and its ancestors not granted yet."""
        ctx = self.ctx
        ctx.require(actor, Permission.VIEW)
        with ctx.read() as s:
            c = ctx.customer_for(s, actor, customer_id)
            granted = sa.select(Membership.offer_id).where(Membership.customer_id == c.id)
            offers = s.scalars(
                sa.select(Offer)
                .where(Offer.scope_id.in_(self._scope_ids(s, c)), Offer.id.not_in(granted))
                .order_by(Offer.name, Offer.id)
            )
            return [offer_view(o) for o in offers]

    def grant(self, actor: Actor, customer_id: int, offer_id: int) -> ActionResult:
        """Grant an offer; the welcome email when the offer says so ("Offer Granted")."""
        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            offer = s.get(Offer, offer_id)
            if offer is None or offer.scope_id not in self._scope_ids(s, c):
                raise NotFound("No such offer for this customer's site.")
            if c.status == "disabled":
                raise NotAllowed("This customer is disabled: a supervisor must enable the account first.")
            exists = s.scalar(
                sa.select(Membership.id).where(Membership.customer_id == c.id, Membership.offer_id == offer.id)
            )
            if exists is not None:
                raise ValidationError(f"This customer already has {offer.name}.", field="offer")
            m = Membership(customer_id=c.id, offer_id=offer.id, granted_at=ctx.now(), status="active")
            s.add(m)
            s.flush()
            email = None
            if offer.welcome_on_grant and c.email:
                email = self._queue_welcome(s, actor, c, offer)
            ctx.record(
                s, actor, "offer_granted",
                scope_id=c.site_id, customer_id=c.id, offer=offer.code, membership_id=m.id,
                email_id=email.id if email else None,
            )  # fmt: skip
            summary = f"Granted {offer.name}"
            line = f"You now have {offer.name}."
            if email:
                summary += f"; welcome email queued to {mask_email(c.email)}"
                line += f" We've sent the details to {mask_email(c.email)}. {SPAM_HINT}"
            return ActionResult(
                customer_id=c.id,
                action="offer_granted",
                summary=summary,
                read_to_customer=line,
                email_id=email.id if email else None,
                email_status=email.status if email else None,
                at=ctx.now(),
            )

    def resend_credentials(self, actor: Actor, customer_id: int, membership_id: int) -> ActionResult:
        """The membership welcome email again."""
        ctx = self.ctx
        ctx.require(actor, Permission.EDIT_CUSTOMER)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            m, offer = self._membership(s, c, membership_id)
            if not c.email:
                raise NotAllowed("This customer has no email address: the credentials can't be resent.")
            if c.status == "disabled":
                raise NotAllowed("This customer is disabled: a supervisor must enable the account first.")
            email = self._queue_welcome(s, actor, c, offer)
            masked = mask_email(c.email)
            ctx.record(
                s, actor, "credentials_resent",
                scope_id=c.site_id, customer_id=c.id, offer=offer.code, membership_id=m.id,
                email_id=email.id, to=masked,
            )  # fmt: skip
            return ActionResult(
                customer_id=c.id,
                action="credentials_resent",
                summary=f"{offer.name}: welcome email queued to {masked}",
                read_to_customer=f"We've sent the details of {offer.name} to {masked}. {SPAM_HINT}",
                email_id=email.id,
                email_status=email.status,
                at=ctx.now(),
            )

    def set_membership_password(
        self,
        actor: Actor,
        customer_id: int,
        membership_id: int,
        password: str,
        retype: str,
        *,
        verified_by: str,
    ) -> ActionResult:
        """Set the membership password, set like a manual password under the site's policy."""
        ctx = self.ctx
        ctx.require(actor, Permission.SET_PASSWORD)
        verified_by = check_typed_password(password, retype, verified_by)
        with ctx.uow() as s:
            c = ctx.customer_for(s, actor, customer_id, for_update=True)
            m, offer = self._membership(s, c, membership_id)
            if not offer.has_password_field:
                raise NotAllowed(NO_PASSWORD_FIELD)
            refuse_if_unavailable(ctx, s, c)
            opts = ctx.options(s, c.site_id).values
            report = PasswordPolicy.from_options(opts).check(password, personal_data(c), with_strength=False)
            if not report.ok:
                raise PolicyViolation(report.failed)
            m.password_hash = ctx.hasher.hash(password)
            m.failed_check_count = 0
            ctx.record(
                s, actor, "membership_password_set",
                scope_id=c.site_id, customer_id=c.id, offer=offer.code, membership_id=m.id,
                verified_by=verified_by,
            )  # fmt: skip
            return ActionResult(
                customer_id=c.id,
                action="membership_password_set",
                summary=f"{offer.name}: membership password set",
                read_to_customer=f"Your {offer.name} password is set: you can log in there with it now.",
                at=ctx.now(),
            )

    def _queue_welcome(self, s: Session, actor: Actor, c: Customer, offer: Offer) -> OutboundEmail:
        ctx = self.ctx
        assert c.email
        opts = ctx.options(s, c.site_id).values
        scope = ctx.scopes(s)[c.site_id]
        return queue_email(
            s,
            template="membership_welcome",
            to=c.email,
            params={**customer_params(c, scope.name, ctx.brand_name(s, c.site_id)), "offer_name": offer.name},
            scope_id=c.site_id,
            customer_id=c.id,
            created_by=actor.label,
            now=ctx.now(),
            from_name=opts.email_from_name,
            from_address=opts.email_from_address,
        )
