"""The estimate under the camera: the shopper's height and weight, Estimate, and what the photos gave.

The estimate (``avatar.estimate.estimate_measurements``) fills the session's measurements, which the
shopper checks and corrects in the Measurements panel before the avatar is built; the front photo
also suggests a skin tone, offered and never applied.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QGridLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from avatar.errors import UserError
from avatar.measurements import MEASUREMENTS, STATURE_RANGE_CM

from ..session import Session
from ..tasks import TaskRunner

_HEIGHT_HINT = "{:g}–{:g}".format(*STATURE_RANGE_CM)  # the heights an avatar can have, cm


class EstimateForm(QWidget):
    """Signals: ``error(str)``, ``info(str)``, ``estimated()`` once measurements are in the session,
    ``skin_tone_suggested(str)`` (see ``capture.CapturePanel``).

    Parameters
    ----------
    session : the shopper's state (receives the estimated measurements; its stature pre-fills the height)
    runner : the window's task runner (the estimate runs there)
    photos : () -> the photos taken so far, step -> RGB array ("front", "side", maybe "background")
    """

    error = Signal(str)
    info = Signal(str)
    estimated = Signal()
    skin_tone_suggested = Signal(str)

    def __init__(self, session: Session, runner: TaskRunner, photos: Callable[[], dict[str, np.ndarray]],
                 parent: QWidget | None = None, *, keypad: bool = False):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.photos = photos
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        self.height_edit = QLineEdit()
        self.height_edit.setObjectName("captureHeight")
        self.height_edit.setPlaceholderText(_HEIGHT_HINT)
        self.weight_edit = QLineEdit()
        self.weight_edit.setPlaceholderText("optional")
        grid.addWidget(QLabel("Your height (cm) *"), 0, 0)
        grid.addWidget(self.height_edit, 0, 1)
        grid.addWidget(QLabel("Weight (kg)"), 1, 0)
        grid.addWidget(self.weight_edit, 1, 1)
        layout.addLayout(grid)
        if keypad:  # the kiosk has no keyboard
            from ..keypad import NumericKeypad

            layout.addWidget(NumericKeypad())
        self.estimate_button = QPushButton("Estimate my measurements")
        self.estimate_button.clicked.connect(self.estimate)
        layout.addWidget(self.estimate_button)
        self.results = QTableWidget(0, 2)
        self.results.setObjectName("estimateTable")
        self.results.setHorizontalHeaderLabels(["Measurement", "Estimate"])
        self.results.verticalHeader().hide()
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results.hide()
        layout.addWidget(self.results)
        session.measurements_changed.connect(self._prefill_height)
        self._prefilled = ""
        self._prefill_height()

    def _prefill_height(self, *_) -> None:
        """The height field shows the profile's stature (cm) until the shopper types their own."""
        stature = self.session.measurements.get("stature")
        typed = self.height_edit.text().strip()
        if stature is None or (typed and typed != self._prefilled):
            return
        self._prefilled = f"{stature:.1f}".rstrip("0").rstrip(".")
        self.height_edit.setText(self._prefilled)

    def estimate(self) -> None:
        """Estimate the measurements from the front and side photos (in a worker), scaled by the height."""
        from avatar.estimate.estimate import estimate_measurements

        try:
            height = float(self.height_edit.text().replace(",", "."))
        except ValueError:
            self.error.emit(f"Enter your height in cm ({_HEIGHT_HINT}): it gives the photos their scale")
            return
        weight_text = self.weight_edit.text().strip().replace(",", ".")
        try:
            weight = float(weight_text) if weight_text else None
        except ValueError:
            self.error.emit(f"'{weight_text}' is not a weight; enter kilograms or leave it empty")
            return
        task = self.runner.start("estimate", "Estimating your measurements", estimate_measurements,
                                 self.photos()["front"], self.photos()["side"], height,
                                 background_rgb=self.photos().get("background"), weight_kg=weight)
        task.finished.connect(self.show_estimate)
        task.failed.connect(lambda exc: self.error.emit(str(exc) if isinstance(exc, UserError) else
                                                        f"The estimate failed ({exc}); retake the photos"))

    def show_estimate(self, estimate) -> None:
        """Put an estimate (``avatar.estimate.estimate.Estimate``) in the session and the results table."""
        values = {n: v for n, v in estimate.values().items() if n in MEASUREMENTS}
        kept = {}
        for name, value in values.items():
            spec = MEASUREMENTS[name]
            kept[name] = float(np.clip(value, spec.low, spec.high))
        self.session.set_measurements(kept, uncertainty={n: u for n, (_v, u) in estimate.measurements.items()
                                                          if n in kept})
        self.results.setRowCount(len(estimate.measurements))
        for row, (name, (value, unc)) in enumerate(estimate.measurements.items()):
            label = MEASUREMENTS[name].label if name in MEASUREMENTS else name
            unit = MEASUREMENTS[name].unit if name in MEASUREMENTS else "cm"
            self.results.setItem(row, 0, QTableWidgetItem(label))
            self.results.setItem(row, 1, QTableWidgetItem(f"{value:.1f} ± {unc:.1f} {unit}"))
        self.results.show()
        note = "; ".join(estimate.warnings)
        self.info.emit("Measurements estimated: check and correct them, then build your avatar"
                       + (f" ({note})" if note else ""))
        self.estimated.emit()
        self._suggest_skin_tone()

    def _suggest_skin_tone(self) -> None:
        from avatar.estimate.skin_tone import suggest_skin_tone

        front = self.photos().get("front")
        if front is None:  # measurements given without a photo: nothing to read a tone from
            return
        task = self.runner.start("skin", "Reading your skin tone", suggest_skin_tone, front,
                                 self.photos().get("background"), progress=False)
        task.finished.connect(lambda guess: self.skin_tone_suggested.emit(guess.tone))

    def forget(self) -> None:
        """Drop what the photos gave and the height and weight typed (session cleared)."""
        self.runner.forget("estimate")
        self.runner.forget("skin")
        self.height_edit.clear()
        self._prefilled = ""
        self.weight_edit.clear()
        self.results.setRowCount(0)
        self.results.hide()
