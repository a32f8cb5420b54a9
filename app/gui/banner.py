"""A one-line, non-modal banner for errors and notices.

Errors stay until the shopper dismisses them, a newer message replaces them, or the action they
are about succeeds (``resolve(topic)``); notices hide themselves after a few seconds. Nothing
blocks: the window stays usable underneath. The banner is one line of fixed height; the window
floats it over the top of the 3D view (``float_over``), so showing or hiding it never moves the
widgets under the pointer, and while hidden it leaves no empty strip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from avatar.errors import UserError

from .constants import BANNER_INFO_HIDE_MS

STYLES = {
    "error": "background:#fde8e8; color:#8a1c1c; border-bottom:1px solid #f3b4b4;",
    "info": "background:#e8f1fd; color:#1c3f8a; border-bottom:1px solid #b4cdf3;",
    "success": "background:#e7f6ea; color:#1d6b32; border-bottom:1px solid #b2dfbd;",
}


def error_text(exc: BaseException, otherwise: str | None = None) -> str:
    """The banner line for an exception, the one place that turns errors into words for the shopper.

    A ``UserError`` (every typed error of the core and the app) already says what is wrong and what
    to do: its message. Anything else is a fault of ours: ``otherwise`` when the caller can say what
    to do instead, else a generic line naming the error.
    """
    if isinstance(exc, UserError):
        return str(exc)
    if otherwise is not None:
        return otherwise
    return f"Something went wrong ({type(exc).__name__}: {exc}); try again, and report it if it keeps happening"


class Banner(QWidget):
    """Signals: ``dismissed()`` when the shopper closes it."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self._host: QWidget | None = None  # the widget it floats over (``float_over``)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._label = QLabel()
        self._label.setObjectName("bannerText")
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.close_button)
        # one line, always the same height, and its space kept while hidden: the layout never jumps
        self.setFixedHeight(self.sizeHint().height())
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.kind = ""
        self.topic = ""  # what the error is about ("" for none): resolve(topic) clears it
        self.info_ms = BANNER_INFO_HIDE_MS
        self.hide()

    def float_over(self, host: QWidget) -> None:
        """Show the banner over the top edge of ``host``, across its width, outside any layout."""
        self.setParent(host)
        self._host = host
        host.installEventFilter(self)
        self._place()

    def _place(self) -> None:
        self.setGeometry(0, 0, self._host.width(), self.height())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._host and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def text(self) -> str:
        """The message shown now ("" when hidden)."""
        return self._label.text()

    def show_error(self, message: str, topic: str = "") -> None:
        """Show an error until dismissed; ``topic`` names what it is about, for ``resolve``."""
        self._show("error", message, auto_hide=False)
        self.topic = topic

    def resolve(self, *topics: str) -> None:
        """Hide the error if it is about one of ``topics``: the shopper has fixed what it said."""
        if self.kind == "error" and self.topic and self.topic in topics:
            self.dismiss()

    def show_info(self, message: str) -> None:
        self._show("info", message, auto_hide=True)

    def show_success(self, message: str) -> None:
        self._show("success", message, auto_hide=True)

    def _show(self, kind: str, message: str, auto_hide: bool) -> None:
        self.kind = kind
        self.topic = ""
        self.setStyleSheet(f"#banner {{{STYLES[kind]}}} #bannerText {{font-weight:500;}}")
        prefix = {"error": "⚠  ", "info": "ℹ  ", "success": "✓  "}[kind]
        self._label.setText(prefix + " ".join(str(message).split()))
        self._label.setToolTip(str(message))
        self._timer.stop()
        if auto_hide:
            self._timer.start(self.info_ms)
        self.show()
        if self.parentWidget() is not None:
            self.raise_()  # over whatever the host drew since

    def dismiss(self) -> None:
        self._timer.stop()
        if not self.isHidden():
            self.hide()
            self._label.setText("")
            self.kind = ""
            self.topic = ""
            self.dismissed.emit()
