"""The navigation panel: the entries the role may open (ui/nav.py)."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuiconsole.services.views import Actor
from tuiconsole.ui.nav import NavEntry, entries_for


class NavPanel(OptionList):
    class Chosen(Message):
        def __init__(self, entry: NavEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, actor: Actor) -> None:
        self.entries = entries_for(actor)
        super().__init__(*(Option(e.label, id=e.id) for e in self.entries), id="nav")
        self.can_focus = True

    def on_mount(self) -> None:
        self.highlighted = 0
        self.border_title = "Go to"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.entries[event.option_index]))
