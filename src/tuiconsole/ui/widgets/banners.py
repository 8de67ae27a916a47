"""Permanent banners: demo data, email not configured (SPEC §2)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

DEMO_BANNER = "Demo data: this is the training database, not real customers."
EMAIL_BANNER = "Email is not configured: emails stay in the outbox"


class Banners(Vertical):
    def __init__(self, *, demo: bool, email_configured: bool) -> None:
        super().__init__(id="banners")
        self.demo = demo
        self.email_configured = email_configured

    def compose(self) -> ComposeResult:
        if self.demo:
            yield Static(DEMO_BANNER, classes="banner banner-demo", markup=False)
        if not self.email_configured:
            yield Static(EMAIL_BANNER, classes="banner banner-email", markup=False)
