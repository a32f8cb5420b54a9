"""Free text on the PDF receipt (fit notes, measurements): wrapped to the column, any script, page by page.

Qt lays the text out (``QTextLayout``), which already implements the Unicode bidirectional
algorithm and shaping: Hebrew or Arabic notes come out in their reading order. Only the
paragraph's own direction is chosen here, from its first strong letter (rule P2 of the
algorithm, UAX #9), so a right-to-left paragraph starts at the right margin. A separate bidi
package would only repeat what Qt does. A word longer than the column is broken
anywhere rather than cut off at the margin.
"""

from __future__ import annotations

import unicodedata


def is_right_to_left(paragraph: str) -> bool:
    """True if the first letter with a strong direction is right-to-left (Hebrew, Arabic, ...)."""
    for ch in paragraph:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def layout_text(text: str, font, width: float, device) -> list:
    """``text`` broken into lines ``width`` device pixels wide.

    Parameters
    ----------
    text : str, paragraphs separated by newlines
    font : QFont
    width : float, device pixels
    device : QPaintDevice the lines are drawn on (its resolution sets the font's size in pixels)

    Returns
    -------
    lines : list of (QTextLayout, QTextLine), in reading order; draw each with ``draw_line``.
    The layouts are returned with their lines because a line is valid only while its layout lives.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextLayout, QTextOption

    lines = []
    for paragraph in text.split("\n"):
        rtl = is_right_to_left(paragraph)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setTextDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        # QTextLayout takes alignment as visual (it does not mirror AlignLeft for right-to-left text)
        option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
        layout = QTextLayout(paragraph, font, device)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append((layout, line))
        layout.endLayout()
    return lines


def draw_line(painter, entry, x: float, y: float) -> float:
    """Draw one ``(layout, line)`` of ``layout_text`` with its top at ``y``; returns its height."""
    from PySide6.QtCore import QPointF

    _, line = entry
    line.draw(painter, QPointF(x, y - line.y()))
    return line.height()
