"""The shopper's look and pose controls: they write the try-on controller and mirror its state.

``LookBox`` (in the Measurements panel): skin tone, hair style and colour, and "Hide hair" for a closer
look at a collar. ``PoseBox`` (beside the view buttons): the pose the dressed avatar is shown in.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QWidget)

from avatar.hair import HAIR_COLOURS, HAIR_STYLE_NAMES
from avatar.looks import SKIN_TONE_NAMES, skin_srgb
from app.controller.looks import WALK_LOOP
from avatar.pose import POSE_NAMES
from garments.movement import POSE_WORDS

from ..constants import WALK_LOOP_FPS

SWATCH_PX = 16


def _swatch(srgb) -> QIcon:
    pixmap = QPixmap(SWATCH_PX, SWATCH_PX)
    pixmap.fill(QColor.fromRgbF(*srgb))
    return QIcon(pixmap)


def _tone_label(name: str) -> str:
    return "Default" if name == "default" else f"Tone {int(name.split('-')[1])} of {len(SKIN_TONE_NAMES) - 1}"


class LookBox(QGroupBox):
    """Skin tone, hair style, hair colour and "Hide hair"; every choice goes to ``controller.set_look``."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__("Your look", parent)
        self.controller = controller
        form = QFormLayout(self)
        self.skin_box = QComboBox()
        self.skin_box.setObjectName("skinTone")
        for name in SKIN_TONE_NAMES:  # the Monk scale, lightest to darkest (avatar.looks)
            self.skin_box.addItem(_swatch(skin_srgb(name)), _tone_label(name), name)
        self.skin_box.setToolTip("your skin tone, drawn in every picture of your avatar")
        form.addRow("Skin tone", self.skin_box)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("skinToneSuggestion")
        self.use_suggestion = QPushButton("Use it")
        self.use_suggestion.setToolTip("draw your avatar in the tone your photo suggests")
        suggestion_row = QHBoxLayout()
        suggestion_row.addWidget(self.suggestion, 1)
        suggestion_row.addWidget(self.use_suggestion)
        self.suggestion_row = QWidget()
        self.suggestion_row.setLayout(suggestion_row)
        suggestion_row.setContentsMargins(0, 0, 0, 0)
        self.suggestion_row.hide()
        self._suggested = None
        form.addRow("", self.suggestion_row)
        self.hair_box = QComboBox()
        self.hair_box.setObjectName("hairStyle")
        for name in HAIR_STYLE_NAMES:
            self.hair_box.addItem(name.replace("-", " ").capitalize(), name)
        self.hair_colour_box = QComboBox()
        self.hair_colour_box.setObjectName("hairColour")
        for name, srgb in HAIR_COLOURS.items():
            self.hair_colour_box.addItem(_swatch(srgb), name.replace("-", " ").capitalize(), name)
        self.hide_hair = QCheckBox("Hide hair")
        self.hide_hair.setToolTip("take the hair away for a closer look at a collar")
        hair_row = QHBoxLayout()
        hair_row.addWidget(self.hair_box, 1)
        hair_row.addWidget(self.hair_colour_box, 1)
        hair_row.addWidget(self.hide_hair)
        form.addRow("Hair", hair_row)
        self.skin_box.currentIndexChanged.connect(
            lambda: self._set(skin_tone=None if self.skin_box.currentData() == "default" else self.skin_box.currentData()))
        self.hair_box.currentIndexChanged.connect(lambda: self._set(hair_style=self.hair_box.currentData()))
        self.hair_colour_box.currentIndexChanged.connect(
            lambda: self._set(hair_colour=self.hair_colour_box.currentData()))
        self.hide_hair.toggled.connect(lambda on: self._set(hair_hidden=on))
        self.use_suggestion.clicked.connect(lambda: self._set(skin_tone=self._suggested))
        controller.look_changed.connect(self._sync)
        controller.session.avatar_changed.connect(self._session_cleared)
        self._sync()

    def _session_cleared(self) -> None:
        if self.controller.session.avatar is None and self._suggested is not None:  # the shopper's data went
            self._suggested = None
            self._sync()

    def suggest_skin_tone(self, tone: str) -> None:
        """Offer ``tone`` (read from the shopper's photo); it is drawn only if the shopper takes it."""
        skin_srgb(tone)  # a known tone, or LookError
        self._suggested = tone
        self.suggestion.setText(f"Your photo suggests {_tone_label(tone).lower()}")
        self._sync()

    def _set(self, **changes) -> None:
        self.controller.set_look(**changes)

    def _sync(self) -> None:
        look = self.controller.look
        for box, value in ((self.skin_box, look.skin_tone or "default"), (self.hair_box, look.hair_style),
                           (self.hair_colour_box, look.hair_colour)):
            with QSignalBlocker(box):
                box.setCurrentIndex(box.findData(value))
        with QSignalBlocker(self.hide_hair):
            self.hide_hair.setChecked(look.hair_hidden)
        self.suggestion_row.setVisible(self._suggested is not None and look.skin_tone != self._suggested)
        self.hair_colour_box.setEnabled(look.hair_style != "none")
        self.hide_hair.setEnabled(look.hair_style != "none")


class PoseBox(QWidget):
    """The pose the dressed avatar is shown in; a choice goes to ``controller.set_pose``. While the controller
    shows the walk loop (``controller.loop``), a timer on the GUI thread plays it at ``WALK_LOOP_FPS``."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Pose"))
        self.pose_box = QComboBox()
        self.pose_box.setObjectName("pose")
        self.pose_box.setToolTip("see how the clothes fit when you walk, sit, reach up or bend")
        for name in POSE_NAMES:
            self.pose_box.addItem(POSE_WORDS[name].capitalize(), name)
        self.pose_box.addItem("Walking (loop)", WALK_LOOP)
        row.addWidget(self.pose_box)
        self.timer = QTimer(self)
        self.timer.setInterval(round(1000 / WALK_LOOP_FPS))
        self.timer.timeout.connect(controller.next_frame)
        self.pose_box.currentIndexChanged.connect(lambda: self.controller.set_pose(self.pose_box.currentData()))
        controller.look_changed.connect(self._sync)
        controller.look_changed.connect(self._follow_loop)
        controller.scene_changed.connect(self._follow_loop)
        self._sync()

    def _follow_loop(self, _content=None) -> None:
        """Play while the controller shows the walk loop; stop as soon as it shows anything else."""
        if self.controller.loop and not self.timer.isActive():
            self.timer.start()
        elif not self.controller.loop and self.timer.isActive():
            self.timer.stop()

    def _sync(self) -> None:
        with QSignalBlocker(self.pose_box):
            self.pose_box.setCurrentIndex(self.pose_box.findData(self.controller.pose))
