"""The window's status bar: what is being done, its progress and Cancel while the shopper waits."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from .session import Session
from .tasks import TaskRunner

#: Work the shopper did not ask for and does not wait on: not shown in the status bar.
BACKGROUND_TASKS = ("silhouette", "field", "prepare")


def idle_text(session: Session) -> str:
    """What the status bar says while nothing the shopper waits on runs."""
    if session.avatar is None:
        return "Ready"
    if session.fit is None:
        return "Average body shown — enter your measurements to build your avatar"
    return "Your avatar is ready"


class StatusBar(QWidget):
    """Mirrors the runner's newest foreground task (its message and progress, with Cancel), else the avatar's
    state. ``cancel_button`` is for the window to connect: cancelling is its decision."""

    def __init__(self, runner: TaskRunner, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.setObjectName("statusBar")
        h = QHBoxLayout(self)
        h.setContentsMargins(10, 4, 10, 4)
        self.status_label = QLabel("Ready")
        self.status_label.setObjectName("statusLabel")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(240)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        for shown_when_busy in (self.progress, self.cancel_button):  # the bar keeps its height when they hide
            policy = shown_when_busy.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            shown_when_busy.setSizePolicy(policy)
        h.addWidget(self.status_label, 1)
        h.addWidget(self.progress)
        h.addWidget(self.cancel_button)
        runner.activity.connect(self.sync)
        session.avatar_changed.connect(self.sync)
        self.sync()

    def sync(self, *_) -> None:
        tasks = [t for t in self.runner.current() if t.key not in BACKGROUND_TASKS]
        if tasks:
            task = tasks[-1]
            self.status_label.setText(task.message or task.label)
            self.progress.setValue(int(1000 * max(0.0, min(1.0, task.fraction))))
            self.progress.show()
            self.cancel_button.show()
        else:
            self.status_label.setText(idle_text(self.session))
            self.progress.hide()
            self.cancel_button.hide()
