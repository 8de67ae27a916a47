"""The portal's forms by name (the home screen's buttons)."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from tuiconsole.ui.portal.change_password import ChangePasswordForm
from tuiconsole.ui.portal.forgot import ForgotForm
from tuiconsole.ui.portal.login import LoginForm
from tuiconsole.ui.portal.membership import MembershipForm
from tuiconsole.ui.portal.reset_link import ResetLinkForm

FORMS: dict[str, Callable[[], Screen[None]]] = {
    "login": LoginForm,
    "forgot": ForgotForm,
    "reset": ResetLinkForm,
    "change": ChangePasswordForm,
    "membership": MembershipForm,
}
