"""The Textual console: screens, widgets, keys and the command palette (SPEC §2)."""
