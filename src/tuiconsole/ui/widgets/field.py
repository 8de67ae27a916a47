"""A text field whose cursor blinks only when the app allows (snapshots don't)."""

from __future__ import annotations

from textual.widgets import Input


class Field(Input):
    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "blink_cursor", True))
