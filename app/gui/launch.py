"""Open the fitting room: ``fitting-room`` (desktop) or ``fitting-room --kiosk`` (store)."""

from __future__ import annotations

import sys


def launch(kiosk: bool = False, idle_timeout: float | None = None) -> int:
    """Create the application and its window, run the event loop; returns the exit status."""
    from avatar.errors import UserError

    if idle_timeout is not None and not kiosk:
        raise UserError("--idle-timeout applies to the kiosk; add --kiosk")
    if idle_timeout is not None and not (idle_timeout > 0 and idle_timeout < float("inf")):
        raise UserError(f"--idle-timeout must be a positive number of seconds, not {idle_timeout:g}")
    from app.render.scene import use_egl_without_display

    use_egl_without_display()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Fitting Room")
    app.setOrganizationName("fitting-room")
    if kiosk:
        from .kiosk import KioskWindow
        from .constants import IDLE_TIMEOUT_S

        window = KioskWindow(idle_timeout=IDLE_TIMEOUT_S if idle_timeout is None else idle_timeout)
        window.setGeometry(app.primaryScreen().geometry())  # also without a window manager
        window.showFullScreen()
    else:
        from .main_window import MainWindow

        window = MainWindow()
        window.show()
    return int(app.exec())
