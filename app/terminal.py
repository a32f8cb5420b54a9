"""Text from users' files made safe to print on a terminal.

A cart, a catalog entry or fit notes can hold NUL, ESC and other control characters; printed raw,
ESC sequences move the cursor, rewrite earlier lines or retitle the window, and NUL cuts logs.
Every such character is shown as its escape (``\\x1b``) instead.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, and the bidirectional overrides and isolates (they reorder what
# follows them on the line, so "txt.exe" can be shown as "exe.txt").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written as an escape (newlines kept if ``keep_newlines``)."""

    def escape(match: re.Match) -> str:
        ch = match.group()
        if keep_newlines and ch == "\n":
            return ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)
