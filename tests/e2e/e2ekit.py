"""Drivers for the end-to-end training scenarios (docs/training.md): keys, as a trainee types them.

`ConsoleDriver` and `PortalDriver` wrap an app and its Pilot; `settle()` waits for the
thread workers (service calls) and the messages they post, never for wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from testkit import actor, customer_id, workers_done
from tuiconsole.domain.clock import FixedClock
from tuiconsole.services.container import Services
from tuiconsole.services.demo_inbox import InboxBody, demo_inbox_for
from tuiconsole.services.views import Actor

CUSTOMER_PASSWORD = "Welcome-Demo-2026!"  # seed_data/hashes.toml "customer"
MEMBER_PASSWORD = "Member-Demo-2026!"  # "member"
STAFF_PASSWORD = "Console-Demo-2026!"  # "staff"
OLD_PASSWORD = "Autumn-Leaves-77#"  # "old"
LOGIN_FAILED = (
    "username or password incorrect, or the account is locked: use Forgot password or contact support"
)
CONSOLE_SIZE = (140, 42)
PORTAL_SIZE = (100, 45)


@dataclass
class World:
    console: Services
    portal: Services
    clock: FixedClock
    mail_dir: Path

    def trainer(self) -> Actor:
        return actor(self.console, "tara.trainer")

    def customer_id(self, site: str, username: str) -> int:
        return customer_id(self.console, site, username)

    def deliver(self) -> int:
        """The dispatcher's round: every queued email into the mail folder."""
        return self.console.outbox.deliver_due().sent

    def inbox(self) -> list[InboxBody]:
        """The demo inbox as the trainer reads it, newest first."""
        box = demo_inbox_for(self.console)
        trainer = self.trainer()
        return [box.read(trainer, m.key) for m in box.list(trainer)]

    def latest_mail_to(self, address: str) -> InboxBody:
        mails = [m for m in self.inbox() if address.lower() in m.message.to.lower()]
        assert mails, f"no email to {address} in {[m.message.to for m in self.inbox()]}"
        return mails[0]


def plain(widget: Any) -> str:
    """What a Static shows, as plain text (Text, or any Rich renderable such as a Group)."""
    import io

    from rich.console import Console
    from rich.text import Text

    options = getattr(widget, "options", None)
    if options is not None:  # an OptionList: its options' text
        return "\n".join(str(getattr(o.prompt, "plain", o.prompt)) for o in options)
    content = getattr(widget, "content", None)
    if content is None:
        return str(widget.render())
    if isinstance(content, str | Text):
        return str(content)
    out = Console(file=io.StringIO(), width=200, color_system=None, legacy_windows=False)
    out.print(content)
    return out.file.getvalue()  # type: ignore[attr-defined]


class Driver:
    def __init__(self, app: App[Any], pilot: Pilot[Any]) -> None:
        self.app = app
        self.pilot = pilot

    def direct(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call into the app from the test as its own code would: with it as the active app
        (two apps run in this test; a widget's `self.app` follows the caller's context)."""
        from textual._context import active_app

        token = active_app.set(self.app)
        try:
            return fn(*args, **kwargs)
        finally:
            active_app.reset(token)

    async def settle(self) -> None:
        # A worker's callback may start the next worker (open → load → show): until none runs.
        await self.pilot.pause()
        for _ in range(10):
            if not any(not w.is_finished for w in self.app.workers):
                return
            await workers_done(self.app)
            await self.pilot.pause()

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await self.settle()

    async def type(self, text: str) -> None:
        """Type into the focused field. Pasted in one go: Pilot spends ~0.15 s a key here,
        and the field posts the same Changed message either way."""
        from textual.widgets import Input

        focused = self.app.focused
        if isinstance(focused, Input):
            self.direct(focused.insert_text_at_cursor, text)
        else:
            await self.pilot.press(*text)
        await self.settle()

    def screen_name(self) -> str:
        return type(self.app.screen).__name__


class PortalDriver(Driver):
    async def open(self, key: str) -> None:
        """From the home page: l log in, f forgot, k reset link, c change password, m membership."""
        await self.keys(key)

    async def fill(self, selector: str, text: str) -> None:
        field = self.app.screen.query_one(selector, Input)
        self.direct(field.focus)
        await self.settle()
        field.value = ""
        self.direct(field.insert_text_at_cursor, text)
        await self.settle()

    def answer(self) -> str:
        return plain(self.app.screen.query_one("#answer", Static))

    def home_message(self) -> str:
        return plain(self.app.screen.query_one("#home-message", Static))

    def who(self) -> str:
        return plain(self.app.screen.query_one("#who", Static))

    def checklist(self) -> str:
        return plain(self.app.screen.query_one("#checklist", Static))

    async def login(self, username: str, password: str) -> None:
        await self.open("l")
        await self.fill("#username", username)
        await self.keys("enter")
        await self.type(password)
        await self.keys("enter")

    async def new_password(self, password: str, retype: str | None = None) -> None:
        await self.fill("#new", password)
        await self.fill("#retype", password if retype is None else retype)
        await self.keys("ctrl+s")

    async def forgot(self, username: str) -> None:
        await self.open("f")
        await self.fill("#username", username)
        await self.keys("enter")

    async def redeem(self, link: str, password: str) -> None:
        await self.open("k")
        await self.fill("#link", link)
        await self.new_password(password)

    async def check_membership(self, username: str, offer: str, password: str) -> str:
        await self.open("m")
        await self.fill("#username", username)
        await self.fill("#offer", offer)
        await self.fill("#password", password)
        await self.keys("enter")
        return self.answer()


class ConsoleDriver(Driver):
    @property
    def main(self) -> Any:
        from tuiconsole.ui.screens.main import MainScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise AssertionError("the main screen is not open")

    @property
    def details(self) -> Any:
        return self.main.details.details

    async def reload(self) -> None:
        """What the console does after its own action: reload the open customer."""
        self.direct(self.main.details.reload)
        await self.settle()

    async def nav(self, entry_id: str) -> None:
        """The navigation panel: move to the entry, Enter."""
        from tuiconsole.ui.widgets.nav_panel import NavPanel

        panel = self.main.query_one(NavPanel)
        ids = [e.id for e in panel.entries]
        assert entry_id in ids, ids
        self.direct(panel.focus)
        await self.settle()
        panel.highlighted = ids.index(entry_id)
        await self.keys("enter")

    async def scope(self, text: str) -> None:
        """`s`, type to filter the tree, Enter selects."""
        await self.keys("s")
        await self.type(text)
        await self.keys("enter")

    async def find(self, text: str) -> None:
        """`/`, type the filter, Enter opens the first customer."""
        await self.keys("slash")
        await self.type(text)
        await self.keys("enter")

    def account_text(self) -> str:
        return "\n".join(plain(w) for w in self.main.query("#account Static").results())

    def tab_text(self, tab: str) -> str:
        pane = self.main.query_one(f"#{tab}")
        return "\n".join(plain(w) for w in pane.query("Static, Label, OptionList").results())

    async def open_reset_dialog(self) -> Any:
        """`r` in edit mode opens the Set Customer Password dialog (asserted)."""
        from tuiconsole.ui.dialogs.set_password import SetCustomerPassword

        await self.keys("r")
        await self.settle()
        screen = self.app.screen
        assert isinstance(screen, SetCustomerPassword), f"`r` did not open the dialog: {screen!r}"
        return screen

    async def dialog_ok(self, dialog: Any) -> None:
        """ctrl+s, then `y` on the confirmation."""
        await self.keys("ctrl+s")
        await self.keys("y")

    async def dialog_manual(self, dialog: Any, password: str, verified: str = "email on file") -> None:
        from textual.widgets import RadioButton

        dialog.query_one("#sp-mode-manual", RadioButton).value = True
        await self.settle()
        for selector in ("#sp-password", "#sp-retype"):
            field = dialog.query_one(selector, Input)
            self.direct(field.focus)
            self.direct(field.insert_text_at_cursor, password)
            await self.settle()
        dialog.query_one("#sp-verified", Select).value = verified
        await self.settle()


class TwoApps:
    """`async with TwoApps(world, site) as (console, portal)`: the console signed in as the
    trainer (tara.trainer, as `tuiconsole demo` does) and the portal of one site."""

    def __init__(self, world: World, site: str, console_user: str = "tara.trainer") -> None:
        from tuiconsole.ui.app import make_app
        from tuiconsole.ui.portal.app import make_portal_app
        from tuiconsole.ui.screens.demo_inbox import register_demo_inbox

        register_demo_inbox()  # what the console does at start-up
        self.console_app = make_app(world.console, actor=actor(world.console, console_user), animations=False)
        self.portal_app = make_portal_app(world.portal, site, animations=False)

    async def __aenter__(self) -> tuple[ConsoleDriver, PortalDriver]:
        self._c = self.console_app.run_test(size=CONSOLE_SIZE)
        cp = await self._c.__aenter__()
        self._p = self.portal_app.run_test(size=PORTAL_SIZE)
        pp = await self._p.__aenter__()
        console, portal = ConsoleDriver(self.console_app, cp), PortalDriver(self.portal_app, pp)
        await console.settle()
        await portal.settle()
        return console, portal

    async def __aexit__(self, *exc: object) -> None:
        await self._p.__aexit__(*exc)
        await self._c.__aexit__(*exc)


async def reset_email(console: ConsoleDriver, world: World) -> Any:
    """e, r, Send Reset Password email (the default option), ctrl+s, y: through the dialog."""
    await console.keys("e")
    dialog = await console.open_reset_dialog()
    await console.dialog_ok(dialog)
    await console.reload()
    return dialog
