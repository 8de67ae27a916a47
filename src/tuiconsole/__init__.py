"""tuiconsole: a keyboard-driven console for finding a customer and fixing their access."""

__version__ = "0.1.0"
