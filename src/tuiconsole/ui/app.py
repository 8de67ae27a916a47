"""ConsoleApp: the console, built by `make_app` from a Services container.

Every service call runs in a thread worker (`call_service`): the UI thread never
waits on the database or on password hashing. With a mail transport configured, the
background dispatcher (services/dispatcher.py) delivers the outbox in a thread
worker of its own (group "dispatcher") until the app closes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import ModalScreen
from textual.worker import Worker, get_current_worker

from tuiconsole.domain.clock import Clock
from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.resources import styles_dir
from tuiconsole.services.container import Services
from tuiconsole.services.views import ActionResult, Actor, CustomerDetails, LoginResult, ScopeNode
from tuiconsole.ui.commands import ConsoleCommands
from tuiconsole.ui.idle import IdleTimer
from tuiconsole.ui.keys import bindings

if TYPE_CHECKING:  # the dispatcher's module loads only when a transport is configured
    from tuiconsole.services.dispatcher import Dispatcher, DispatcherState

log = logging.getLogger("tuiconsole.ui")
T = TypeVar("T")

STYLE_FILES = ("app.tcss", "login.tcss", "main.tcss", "details.tcss", "dialogs.tcss")
IDLE_CHECK_SECONDS = 15.0
# The dispatcher's first pass waits for the first screen to show (at most this long):
# the start-up keeps the CPU to itself, and a due email goes out a moment later.
FIRST_SCREEN_WAIT_SECONDS = 3.0
PRODUCT = "tuiconsole"


class DispatcherRan(Message):
    """A dispatcher pass finished (posted from its thread)."""

    def __init__(self, state: DispatcherState) -> None:
        super().__init__()
        self.state = state


class ConsoleApp(App[None]):
    TITLE = PRODUCT
    CSS_PATH = [styles_dir() / name for name in STYLE_FILES]
    BINDINGS = bindings("app.help", "app.help_f1", "app.quit")
    COMMANDS = App.COMMANDS | {ConsoleCommands}

    def __init__(
        self,
        services: Services,
        *,
        actor: Actor | None = None,
        clock: Clock | None = None,
        animations: bool = True,
        dispatcher: bool | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        # None: run the background dispatcher unless headless (tests drive delivery
        # themselves with deliver_due, and a never-ending worker would stall them).
        self.want_dispatcher = dispatcher
        self.dispatcher: Dispatcher | None = None
        self._started: Dispatcher | None = None  # the one this app runs, and stops
        self._dispatcher_stop = threading.Event()
        self._first_screen_shown = threading.Event()
        self.actor: Actor | None = actor
        self.clock: Clock = clock or services.ctx.clock
        self.idle = IdleTimer(self.clock, services.settings.console_idle_minutes)
        self.blink_cursor = animations
        if not animations:
            self.animation_level = "none"

    # --- start ------------------------------------------------------------

    @property
    def scope(self) -> ScopeNode | None:
        """The selected scope (the main screen's), for screens opened from the navigation."""
        for screen in reversed(self.screen_stack):
            scope = getattr(screen, "scope", None)
            if isinstance(scope, ScopeNode):
                return scope
        return None

    @property
    def demo(self) -> bool:
        return bool(self.services.settings.demo or self.services.ctx.demo)

    def on_mount(self) -> None:
        _register_nav_screens()
        self.start_dispatcher()
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        if self.actor is not None:
            self.signed_in(self.actor)
        else:
            from tuiconsole.ui.screens.login import LoginScreen

            self.push_screen(LoginScreen())
            self.call_after_refresh(self._first_screen_shown.set)

    def signed_in(self, actor: Actor) -> None:
        """After the login (or the demo's sign-in): open the main screen on the start scope."""
        self.actor = actor
        self.idle.touch()
        self.call_service(self.services.scopes.default_scope, actor, done=self._open_main)

    def _open_main(self, scope: ScopeNode | None) -> None:
        from tuiconsole.ui.screens.main import MainScreen

        screen = MainScreen(scope)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(self._first_screen_shown.set)

    def login_result(self, result: LoginResult) -> None:
        self.signed_in(result.actor)

    # --- the background dispatcher ------------------------------------------

    def start_dispatcher(self) -> None:
        """Deliver the outbox in the background when a transport is configured (SPEC §5)."""
        wanted = self.want_dispatcher if self.want_dispatcher is not None else not self.is_headless
        if not wanted or not self.services.outbox.configured or self.dispatcher is not None:
            return
        from tuiconsole.services.dispatcher import Dispatcher

        dispatcher = self.dispatcher = self._started = Dispatcher(self.services.outbox, on_state=self._dispatcher_ran)
        stop, shown = self._dispatcher_stop, self._first_screen_shown
        stop.clear()

        def deliver() -> None:
            shown.wait(FIRST_SCREEN_WAIT_SECONDS)
            dispatcher.run_forever(stop)  # returns at once when the app stopped meanwhile

        self.run_worker(
            deliver,
            thread=True,
            group="dispatcher",
            exclusive=True,
            exit_on_error=False,
            name="dispatcher",
        )

    def stop_dispatcher(self) -> None:
        self._dispatcher_stop.set()
        self._first_screen_shown.set()  # a thread still waiting for the first screen ends now
        if self._started is not None:
            self._started.stop()

    def poke_dispatcher(self) -> None:
        """After a reset or a retry: send the email now, not at the next pass."""
        if self.dispatcher is not None:
            self.dispatcher.poke()

    def _dispatcher_ran(self, state: DispatcherState) -> None:
        # The dispatcher's thread: post_message is thread-safe; a closed app drops it.
        try:
            self.post_message(DispatcherRan(state))
        except RuntimeError:
            pass

    def on_dispatcher_ran(self, message: DispatcherRan) -> None:
        for screen in self.screen_stack:
            changed = getattr(screen, "outbox_changed", None)
            if changed is not None:
                changed()

    def on_unmount(self) -> None:
        # Before the event loop closes: its executor waits for the dispatcher's thread.
        self.stop_dispatcher()

    # --- workers ----------------------------------------------------------

    def call_service(
        self,
        fn: Callable[..., T],
        *args: Any,
        done: Callable[[T], object],
        failed: Callable[[TuiconsoleError], object] | None = None,
        owner: Any = None,
        group: str = "service",
        exclusive: bool = False,
        **kwargs: Any,
    ) -> Worker[None]:
        """Run a service call in a thread worker; `done`/`failed` run on the UI thread."""

        def job() -> None:
            try:
                result = fn(*args, **kwargs)
            except TuiconsoleError as exc:
                self._deliver(failed or self.show_error, exc)
                return
            except Exception as exc:  # noqa: BLE001 - a bug must not kill the console
                log.exception("service call %s failed", getattr(fn, "__name__", fn))
                self._deliver(self.show_error, TuiconsoleError(f"Unexpected error ({type(exc).__name__})."))
                return
            if not get_current_worker().is_cancelled:
                self._deliver(done, result)

        node = owner if owner is not None else self
        return node.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)

    def _deliver(self, callback: Callable[[Any], object], value: Any) -> None:
        try:
            self.call_from_thread(callback, value)
        except RuntimeError:  # the app is closing
            pass

    def show_error(self, error: TuiconsoleError) -> None:
        self.notify(error.message, severity="error", markup=False)

    # --- idle lock ----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.idle.touch()
        await super().on_event(event)

    def check_idle_lock(self) -> bool:
        """Lock the console when it has been idle long enough; True when it locked."""
        from tuiconsole.ui.screens.idle_lock import IdleLockScreen

        if self.actor is None or not self.idle.is_idle():
            return False
        if any(isinstance(s, IdleLockScreen) for s in self.screen_stack):
            return False
        self.push_screen(IdleLockScreen(self.actor))
        return True

    # --- app-wide actions ---------------------------------------------------

    def action_help(self) -> None:
        from tuiconsole.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def has_unsaved_edits(self) -> bool:
        return any(getattr(s, "has_unsaved_edits", lambda: False)() for s in self.screen_stack)

    def dialog_open(self) -> bool:
        return any(isinstance(s, ModalScreen) for s in self.screen_stack)

    async def action_quit(self) -> None:
        from tuiconsole.ui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen) and self.screen.purpose == "quit":
            self.exit()
            return
        if not (self.has_unsaved_edits() or self.dialog_open()):
            self.exit()
            return
        why = "You have unsaved edits." if self.has_unsaved_edits() else "A dialog is open."
        self.push_screen(
            ConfirmScreen("Quit the console?", f"{why} Quit anyway?", purpose="quit"),
            lambda yes: self.exit() if yes else None,
        )

    # --- dialogs of the customer actions ------------------------------------

    def open_set_password(self, details: CustomerDetails) -> None:
        """Reset Password (`r`, `ctrl+r`, the Account tab's button) lands here.

        The extension point of SPEC §2 step 6: it pushes the Set Customer Password
        dialog (ui/dialogs/set_password.py); the result goes to `password_result`.
        """
        from tuiconsole.ui.dialogs.set_password import SetCustomerPassword

        if self.actor is not None:
            self.push_screen(SetCustomerPassword(self.services, self.actor, details), self.password_result)

    def password_result(self, result: ActionResult | None) -> None:
        """After the dialog: a toast, and the details panel shows the new state."""
        if result is None:
            return
        self.notify(result.summary, markup=False)
        if result.email_id is not None:
            self.poke_dispatcher()
        for screen in self.screen_stack:
            refresh = getattr(screen, "customer_changed", None)
            if refresh is not None:
                refresh(result)

    def open_new_customer(self, scope: ScopeNode | None) -> None:
        """New customer (`n`): the New customer dialog on the sites of the scope."""
        if self.actor is None or scope is None:
            return
        actor = self.actor

        def sites() -> list[ScopeNode]:
            nodes = self.services.scopes.tree(actor)
            under = {scope.id}
            for node in nodes:  # tree order: a parent comes before its children
                if node.parent_id in under:
                    under.add(node.id)
            return [n for n in nodes if n.id in under and n.kind == "site"]

        self.call_service(sites, done=self._new_customer_dialog)

    def _new_customer_dialog(self, sites: list[ScopeNode]) -> None:
        from tuiconsole.ui.dialogs.new_customer import NewCustomer

        def created(result: tuple[CustomerDetails, ActionResult | None] | None) -> None:
            if result is None:
                return
            details, action = result
            self.notify(action.summary if action else f"Created {details.username}.", markup=False)
            opener = getattr(self.screen, "open_customer", None)
            if opener is not None:
                opener(details.id)

        self.push_screen(NewCustomer(self.services, self.actor, sites), created)


def _register_nav_screens() -> None:
    # Outbox, Activity, Administration, Console users plug into the navigation here;
    # "Demo inbox" too (it shows for trainers, and opens on demo databases only).
    # Only the entries: each screen's module loads when its entry is first opened.
    try:
        from tuiconsole.ui.nav_screens import register_demo_inbox, register_screens
    except ImportError:  # a build without those screens: Customers only
        return
    register_screens()
    register_demo_inbox()


def make_app(
    services: Services,
    *,
    actor: Actor | None = None,
    clock: Clock | None = None,
    animations: bool = True,
    dispatcher: bool | None = None,
) -> ConsoleApp:
    """The console on these services; with `actor` it opens signed in (demo, tests).

    `dispatcher`: True/False forces the background dispatcher on or off; None (the
    default) runs it when a transport is configured and the app is not headless.
    """
    return ConsoleApp(services, actor=actor, clock=clock, animations=animations, dispatcher=dispatcher)
