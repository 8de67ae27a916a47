"""The actions of the details panel's tabs (SPEC §2 "Other actions").

Account: Unlock, Lock / Disable / Enable (supervisor, with a reason). Offers: Grant
offer, Resend credentials, Membership password. Activity and the Last action box:
Retry a failed email. Each calls one service in a worker; its result becomes the
Last action and the panel reloads. Mixed into DetailsPanel, which supplies the
state (`details`, `bundle`, `editing`) and `action_done` / `reload`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.widgets import OptionList, TabbedContent

from tuiconsole.domain.errors import Forbidden, TuiconsoleError
from tuiconsole.domain.roles import Permission, role_allows
from tuiconsole.services.views import Actor, MembershipView, OfferView
from tuiconsole.ui.format import inert
from tuiconsole.ui.widgets.activity_view import email_id_of

if TYPE_CHECKING:
    from tuiconsole.ui.widgets.details_panel import DetailsPanel

# What each supervisor action asks and calls.
REASON_ACTIONS: dict[str, tuple[str, str, bool]] = {
    "lock": ("Lock {who}: why? (only a supervisor's Unlock lifts it)", "lock", True),
    "disable": ("Disable {who}: why? (nothing but Enable lifts it)", "disable", True),
    "enable": ("Enable {who}", "enable", False),
}
TITLES = {"lock": "Not locked", "disable": "Not disabled", "enable": "Not enabled", "unlock": "Not unlocked"}


def may_supervise(actor: Actor | None) -> bool:
    return actor is not None and role_allows(actor.role, Permission.SUPERVISE)


class CustomerActions:
    """The panel's customer actions; `self` is the DetailsPanel."""

    def _panel(self) -> DetailsPanel:
        return self  # type: ignore[return-value]

    def _run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str,
        done: Callable[[Any], object] | None = None,
        **kwargs: Any,
    ) -> None:
        panel = self._panel()
        app: Any = panel.app

        def refused(error: TuiconsoleError) -> None:
            panel.refused(title, error)

        app.call_service(
            fn, app.actor, *args, done=done or panel.action_done, failed=refused, owner=panel, group="action", **kwargs
        )

    def _services(self) -> Any:
        return self._panel().app.services  # type: ignore[attr-defined]

    # --- Account tab ----------------------------------------------------------

    def unlock(self) -> None:
        panel = self._panel()
        d = panel.details
        if d is None or not panel.editing:
            return

        def refused(error: TuiconsoleError) -> None:
            if isinstance(error, Forbidden) and d.lock_kind == "staff":
                reason = f" ({inert(d.lock_reason)})" if d.lock_reason else ""
                error = Forbidden(f"Locked by staff{reason}: only a supervisor's Unlock lifts it.")
            panel.refused(TITLES["unlock"], error)

        app: Any = panel.app
        app.call_service(
            self._services().customers.unlock, app.actor, d.id,
            done=panel.action_done, failed=refused, owner=panel, group="action",
        )  # fmt: skip

    def ask_reason(self, what: str) -> None:
        """Lock / Disable / Enable: a reason first (required for lock and disable)."""
        from tuiconsole.ui.dialogs.reason import AskReason

        panel = self._panel()
        d = panel.details
        if d is None or not panel.editing or not may_supervise(panel.app.actor):  # type: ignore[attr-defined]
            return
        question, method, required = REASON_ACTIONS[what]
        who = f"{inert(d.name or d.username)} ({inert(d.username)})"

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            fn = getattr(self._services().customers, method)
            self._run(fn, d.id, reason, title=TITLES[what])

        panel.app.push_screen(AskReason(question.format(who=who), required=required), answered)

    # --- Offers tab -----------------------------------------------------------

    def selected_membership(self) -> MembershipView | None:
        panel = self._panel()
        memberships = panel.bundle.memberships if panel.bundle else None
        if not memberships:
            return None
        options = panel.query_one("#offers-list", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        return memberships[index] if 0 <= index < len(memberships) else None

    def grant_offer(self) -> None:
        panel = self._panel()
        d = panel.details
        if d is None or not panel.editing:
            return
        app: Any = panel.app

        def choose(offers: list[OfferView]) -> None:
            from tuiconsole.ui.dialogs.grant_offer import GrantOffer

            if not offers:
                app.notify("Every offer of this site is granted already.", severity="warning")
                return

            def chosen(offer: OfferView | None) -> None:
                if offer is not None:
                    self._run(self._services().offers.grant, d.id, offer.id, title="Not granted")

            app.push_screen(GrantOffer(d.name or d.username, offers), chosen)

        app.call_service(
            self._services().offers.available_offers, app.actor, d.id,
            done=choose, failed=lambda e: panel.refused("No offers", e), owner=panel, group="action",
        )  # fmt: skip

    def resend_credentials(self) -> None:
        panel = self._panel()
        m = self.selected_membership()
        if panel.details is None or not panel.editing:
            return
        if m is None:
            panel.app.notify("Choose a membership in the Offers tab first.", severity="warning")
            return
        self._run(self._services().offers.resend_credentials, panel.details.id, m.id, title="Not resent")

    def membership_password(self) -> None:
        from tuiconsole.ui.dialogs.membership_password import MembershipPassword
        from tuiconsole.ui.widgets.offers_view import OWN_PASSWORD

        panel = self._panel()
        d, m = panel.details, self.selected_membership()
        if d is None or not panel.editing:
            return
        if m is None:
            panel.app.notify("Choose a membership in the Offers tab first.", severity="warning")
            return
        if not m.has_password_field:
            panel.app.notify(f"{m.offer_name} has no membership password. {OWN_PASSWORD}", markup=False)
            return
        app: Any = panel.app
        app.push_screen(
            MembershipPassword(app.services, app.actor, d, m),
            lambda result: panel.action_done(result) if result is not None else None,
        )

    # --- Activity tab and the Last action box ---------------------------------

    def failed_email_to_retry(self) -> int | None:
        """The failed email highlighted in the Activity tab, else the Last action's."""
        panel = self._panel()
        if panel.bundle is None:
            return None
        failed = {e.id for e in panel.bundle.emails if e.status == "failed"}
        if panel.query_one("#details-tabs", TabbedContent).active == "activity":
            options = panel.query_one("#activity-list", OptionList)
            if options.highlighted is not None:
                email_id = email_id_of(options.get_option_at_index(options.highlighted).id)
                if email_id is not None and email_id in failed:
                    return email_id
        last = panel.last_action
        if last is not None and last.failed:
            return last.email_id
        return None

    def retry_email(self) -> None:
        panel = self._panel()
        if panel.details is None:
            return
        email_id = self.failed_email_to_retry()
        if email_id is None:
            panel.app.notify("Choose a failed email to retry (Activity tab).", severity="warning")
            return
        self._run(self._services().outbox.retry, email_id, title="Not retried")
