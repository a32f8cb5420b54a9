"""A progress bar for the terminal (stderr), quiet when stderr is not a terminal."""

from __future__ import annotations

import sys


class TerminalProgress:
    """Callable ``(fraction, message)`` that draws a one-line bar on stderr (nothing when not a terminal)."""

    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_message = None

    def __call__(self, fraction: float, message: str = "") -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        if self.interactive:
            filled = int(round(self.WIDTH * fraction))
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {fraction * 100:3.0f}% {message[:60]:<60}")
            self.stream.flush()
        self._last_message = message

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
        return False
