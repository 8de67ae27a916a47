"""What the details panel shows once a customer is open: title, mode, tabs, buttons.

Most of the main screen's widgets live here (~70), and none of them shows before
the first customer is opened: the panel mounts this body on the first open, so the
start of the console does not wait for it (details_panel.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Static, TabbedContent, TabPane

from tuiconsole.ui.widgets.field import Field
from tuiconsole.ui.widgets.last_action import LastActionBox

PROFILE_FIELDS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
)
SUPERVISOR_BUTTONS = ("lock", "disable", "enable")


class DetailsBody(Vertical):
    """The panel's content; hidden until a customer is shown in it."""

    def __init__(self, *, supervisor: bool) -> None:
        super().__init__(id="details-body")
        self.supervisor = supervisor
        self.display = False

    def compose(self) -> ComposeResult:
        yield Static(id="details-title")
        yield Static(id="details-mode")
        with TabbedContent(initial="profile", id="details-tabs"):
            with TabPane("Profile", id="profile"), Vertical():
                for name, label in PROFILE_FIELDS:
                    with Horizontal(classes="field-row"):
                        yield Label(label, classes="field-label")
                        yield Field(id=f"field-{name}", disabled=True, compact=True)
                yield Static(id="profile-extra")
            with TabPane("Account", id="account"), VerticalScroll():
                yield Static(id="lock-banner")
                yield LastActionBox(id="account-last-action")
                yield Static(id="account-facts")
                with Horizontal(id="account-buttons", classes="tab-buttons"):
                    yield Button("Reset Password", id="reset-password", disabled=True, compact=True)
                    yield Button("Unlock", id="unlock", disabled=True, compact=True)
                    yield from self._supervisor_buttons()
            with TabPane("Offers", id="offers"), VerticalScroll():
                yield LastActionBox(id="offers-last-action")
                yield Static(id="offers-info")
                yield OptionList(id="offers-list")
                yield Static(id="offers-note")
                with Horizontal(id="offers-buttons", classes="tab-buttons"):
                    yield Button("Grant offer", id="grant-offer", disabled=True, compact=True)
                    yield Button("Resend credentials", id="resend-credentials", disabled=True, compact=True)
                    yield Button("Membership password", id="membership-password", disabled=True, compact=True)
            with TabPane("Contacts", id="contacts"):
                yield Static(id="contacts-info")
                yield OptionList(id="contacts-list")
            with TabPane("Activity", id="activity"):
                with Horizontal(id="activity-head"):
                    yield Static(id="activity-info")
                    yield Button("Retry (t)", id="activity-retry", disabled=True, compact=True)
                yield OptionList(id="activity-list")
        with Horizontal(id="details-buttons"):
            yield Button("Edit", id="edit", compact=True)
            yield Button("OK", id="ok", variant="primary", disabled=True, compact=True)
            yield Button("Cancel", id="cancel", disabled=True, compact=True)

    def _supervisor_buttons(self) -> ComposeResult:
        for name in SUPERVISOR_BUTTONS:
            button = Button(name.capitalize(), id=name, disabled=True, compact=True)
            button.display = self.supervisor  # only a supervisor may lock, disable, enable
            yield button
