"""What every portal form shares: a title, fields, a primary button, one answer line."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, Static

from tuiconsole.domain.errors import TuiconsoleError


class PortalForm(Screen[None]):
    HEADING = ""
    INTRO = ""
    SUBMIT = "OK"
    BINDINGS = [
        Binding("escape", "back", "Back", id="portal.back"),
        Binding("ctrl+s", "submit", "OK", priority=True, id="portal.submit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def fields(self) -> Iterable[Widget]:
        """The form's own widgets, between the intro and the buttons."""
        return ()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(classes="portal-box"):
            yield Static(Text(self.HEADING, style="bold"), classes="portal-heading")
            if self.INTRO:
                yield Static(Text(self.INTRO), classes="portal-intro")
            yield from self.fields()
            with Horizontal(classes="portal-buttons"):
                yield Button(self.SUBMIT, variant="primary", id="submit")
                yield Button("Back", id="back")
            yield Static(id="answer", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        inputs = list(self.query(Input).results())
        if inputs:
            inputs[0].focus()

    # --- answers ---------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        answer = self.query_one("#answer", Static)
        answer.set_class(error, "error")
        answer.set_class(not error, "ok")
        answer.update(Text(text))

    def answer_text(self) -> str:
        return str(self.query_one("#answer", Static).render())

    def refused(self, error: TuiconsoleError) -> None:
        self.busy = False
        self.say(error.message, error=True)

    # --- keys and buttons ----------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it submits."""
        event.stop()
        inputs = [i for i in self.query(Input).results() if not i.disabled]
        if event.input in inputs and inputs.index(event.input) < len(inputs) - 1:
            inputs[inputs.index(event.input) + 1].focus()
        else:
            self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            event.stop()
            self.action_submit()
        elif event.button.id == "back":
            event.stop()
            self.action_back()

    def action_back(self) -> None:
        self.app.go_home()  # type: ignore[attr-defined]

    def action_submit(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.say("Checking…")
        self.submit()

    def submit(self) -> None:
        """Start the service call; `done` or `refused` clear `busy`."""
        raise NotImplementedError

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def clear(self, *selectors: str) -> None:
        for selector in selectors:
            self.query_one(selector, Input).value = ""
