"""The window's side of keeping the cart and what is worn across restarts (``app.controller.remember``)."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from app.controller.remember import WardrobeKeeper, restore_wardrobe

from .constants import WARDROBE_SAVE_DELAY_MS


def keep_wardrobe(session, banner) -> WardrobeKeeper:
    """Put the saved cart and try-on list into ``session`` (``banner`` says what could not be restored) and
    keep them saved: shortly after each change, once for a quick run of changes, after the picture the
    change asked for is on its way. Call the keeper's ``flush`` on quit."""
    problem = restore_wardrobe(session)
    if problem:
        banner.show_error(problem)
    return WardrobeKeeper(session, banner.show_error, later=lambda fn: QTimer.singleShot(WARDROBE_SAVE_DELAY_MS, fn))
