"""PortalApp: the customer's side of a vendor website, for training and end-to-end tests.

It calls only `services.portal` (what a real website would call); every call runs in
a thread worker because each one hashes or verifies a password with argon2.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, get_current_worker

from tuiconsole.domain.errors import TuiconsoleError
from tuiconsole.resources import styles_dir
from tuiconsole.services.container import Services

log = logging.getLogger("tuiconsole.ui.portal")
T = TypeVar("T")


class PortalApp(App[None]):
    CSS_PATH = styles_dir() / "portal.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, id="portal.quit")]

    def __init__(self, services: Services, site: str, *, animations: bool = True) -> None:
        super().__init__()
        self.services = services
        self.site = site
        # The signed-in customer (services.portal.PortalSession), or None.
        self.session: Any = None
        self.blink_cursor = animations
        if not animations:
            self.animation_level = "none"
        self.title = f"Customer portal — {site}"
        self.sub_title = "demo" if services.settings.demo else ""

    def on_mount(self) -> None:
        from tuiconsole.ui.portal.home import HomeScreen

        self.push_screen(HomeScreen())

    # --- navigation ------------------------------------------------------------

    def go_home(self, message: str | None = None, *, error: bool = False) -> None:
        """Back to the home screen (the only screen under the forms), with a message."""
        from tuiconsole.ui.portal.home import HomeScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        home = self.screen
        if isinstance(home, HomeScreen):
            home.refresh_state(message, error=error)

    def sign_out(self) -> None:
        self.session = None
        self.go_home("You are logged out.")

    # --- workers ----------------------------------------------------------------

    def call(
        self,
        fn: Callable[..., T],
        *args: Any,
        done: Callable[[T], object],
        failed: Callable[[TuiconsoleError], object],
        owner: Any = None,
    ) -> Worker[None]:
        """Run a service call in a thread; `done` / `failed` run on the UI thread."""

        def job() -> None:
            try:
                result = fn(*args)
            except TuiconsoleError as exc:
                self._deliver(failed, exc)
                return
            except Exception as exc:  # noqa: BLE001 - a bug must not kill the portal
                log.exception("portal call %s failed", getattr(fn, "__name__", fn))
                self._deliver(failed, TuiconsoleError(f"Unexpected error ({type(exc).__name__})."))
                return
            if not get_current_worker().is_cancelled:
                self._deliver(done, result)

        node = owner if owner is not None else self
        return node.run_worker(job, thread=True, group="portal", exit_on_error=False)

    def _deliver(self, callback: Callable[[Any], object], value: Any) -> None:
        try:
            self.call_from_thread(callback, value)
        except RuntimeError:  # the app is closing
            pass


def make_portal_app(services: Services, site_code: str, *, animations: bool = True) -> PortalApp:
    """The portal of one site on these services (the site is checked by the caller)."""
    return PortalApp(services, site_code, animations=animations)
