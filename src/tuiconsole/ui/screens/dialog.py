"""The base of every dialog: a modal screen that `escape` closes (result None)."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from tuiconsole.ui.keys import bindings

R = TypeVar("R")


class Dialog(ModalScreen[R]):
    BINDINGS = bindings("dialog.close")

    def action_close(self) -> None:
        self.dismiss(None)
