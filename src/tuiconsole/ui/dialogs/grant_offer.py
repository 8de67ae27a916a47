"""Grant offer (Offers tab, `g`): choose one of the offers the customer doesn't have yet."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuiconsole.services.views import OfferView
from tuiconsole.ui.format import inert
from tuiconsole.ui.screens.dialog import Dialog


def offer_label(offer: OfferView) -> Text:
    label = Text(inert(offer.name), style="bold")
    notes = []
    if offer.welcome_on_grant:
        notes.append("sends the welcome email")
    if offer.has_password_field:
        notes.append("has a membership password")
    if notes:
        label.append(f"  ({', '.join(notes)})", style="dim")
    return label


class GrantOffer(Dialog[OfferView]):
    """Returns the chosen offer, or None (escape)."""

    def __init__(self, customer_name: str, offers: list[OfferView]) -> None:
        super().__init__(classes="dialog-screen")
        self.customer_name = customer_name
        self.offers = offers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog grant-offer"):
            title = Text("Grant offer to ", style="bold")
            title.append(inert(self.customer_name), style="bold")
            yield Static(title, classes="dialog-title")
            yield OptionList(*(Option(offer_label(o), id=str(o.id)) for o in self.offers), id="grant-offers")
            yield Static("Enter grants · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next((o for o in self.offers if str(o.id) == event.option.id), None)
        self.dismiss(chosen)
