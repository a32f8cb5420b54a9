"""The measurement fields of the form: one per measurement, in the shopper's units, each checked as typed.

Every field writes the session as soon as its text is a valid value; a field whose text cannot be
used shows its message under it and holds no value in the session (the one before is not what the
shopper sees any more). The main measurements come first; the others fold under "More measurements".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QToolButton, QWidget

from avatar.measurements import MEASUREMENTS

from ..session import Session, from_display, to_display, unit_label

#: Shown first; the others fold under "More measurements".
MAIN_FIELDS = ("stature", "chest_girth", "waist_girth", "hip_girth", "body_mass")


def field_error(name: str, text: str, units: str) -> tuple[str, float | None]:
    """Check one field's text. Returns (message, value in cm/kg); message "" when valid, value None when empty."""
    spec = MEASUREMENTS[name]
    text = text.strip().replace(",", ".")
    if not text:
        return ("Required: the avatar is scaled to your height" if name == "stature" else ""), None
    try:
        shown = float(text)
    except ValueError:
        return f"'{text}' is not a number", None
    if shown != shown or shown in (float("inf"), float("-inf")):
        return f"'{text}' is not a number", None
    value = from_display(shown, units, spec.kind)
    if not spec.low <= value <= spec.high:
        low, high = to_display(spec.low, units, spec.kind), to_display(spec.high, units, spec.kind)
        return f"Enter {low:.0f}–{high:.0f} {unit_label(units, spec.kind)}", None
    return "", value


def _keep_space(widget: QWidget, keep: bool) -> None:
    """Whether the layout keeps ``widget``'s room while it is hidden."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(keep)
    widget.setSizePolicy(policy)


class MeasurementFields(QWidget):
    """The fields, their units and their messages, mirroring the session's measurements.

    Signals: ``fields_valid()`` when an edit leaves every field usable (a validation error is fixed).
    Attributes ``edits``, ``errors`` and ``units_labels``: measurement name -> its QLineEdit, message QLabel
    and unit QLabel.
    """

    fields_valid = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.units_labels: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        r = 0
        self.more_button = QToolButton(text="More measurements ▸")
        self.more_button.setCheckable(True)
        self.more_button.setAutoRaise(True)
        self.more_button.toggled.connect(self.show_more)
        self._more_widgets: list[QWidget] = []
        ordered = list(MAIN_FIELDS) + [n for n in MEASUREMENTS if n not in MAIN_FIELDS]
        for name in ordered:
            spec = MEASUREMENTS[name]
            if name == ordered[len(MAIN_FIELDS)]:
                grid.addWidget(self.more_button, r, 0, 1, 3)
                r += 1
            label = QLabel(spec.label + (" *" if name == "stature" else ""))
            label.setToolTip(spec.definition)
            edit = QLineEdit()
            edit.setObjectName(f"field_{name}")
            edit.setToolTip(spec.definition)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textEdited.connect(lambda text, n=name: self._edited(n, text))
            unit = QLabel()
            unit.setMinimumWidth(22)
            err = QLabel()
            err.setObjectName(f"error_{name}")
            err.setStyleSheet("color:#b3261e; font-size:11px;")
            err.setText("Xg")  # one line of the message's font, with or without a message
            err.setFixedHeight(err.sizeHint().height())
            err.setText("")
            err.hide()
            _keep_space(err, name in MAIN_FIELDS)  # a message appearing must not push the fields below down
            grid.addWidget(label, r, 0)
            grid.addWidget(edit, r, 1)
            grid.addWidget(unit, r, 2)
            grid.addWidget(err, r + 1, 1, 1, 2)
            self.edits[name], self.errors[name], self.units_labels[name] = edit, err, unit
            if name not in MAIN_FIELDS:
                self._more_widgets += [label, edit, unit]
            r += 2
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(r, 1)
        self.setObjectName("measurementForm")
        self.setStyleSheet("#measurementForm { background:white; }")
        self.show_more(False)
        session.measurements_changed.connect(self.sync_values)
        session.units_changed.connect(self.sync_values)
        self.sync_values()

    # user -> model ------------------------------------------------------------------------
    def _edited(self, name: str, text: str) -> None:
        message, value = field_error(name, text, self.session.units)
        self.show_error(name, message)
        # a field that cannot be read holds no value: the one before is not what the shopper sees any more
        self.session.set_measurement(name, None if message else value)
        if not message:
            if not self.invalid_fields():
                self.fields_valid.emit()

    def show_error(self, name: str, message: str) -> None:
        err, edit = self.errors[name], self.edits[name]
        err.setText(message)
        err.setVisible(bool(message) and (name in MAIN_FIELDS or self.more_button.isChecked()))
        edit.setProperty("invalid", bool(message))
        if message and not edit.styleSheet():  # the red border must not shrink the field and move the ones below
            edit.setMinimumHeight(max(edit.minimumHeight(), edit.sizeHint().height()))
        edit.setStyleSheet("border:1px solid #b3261e;" if message else "")

    def invalid_fields(self) -> dict[str, str]:
        """Field name -> message for every field whose text cannot be used."""
        out = {}
        for name, edit in self.edits.items():
            message, _ = field_error(name, edit.text(), self.session.units)
            if message:
                out[name] = message
        return out

    def show_more(self, on: bool) -> None:
        self.more_button.setText("Fewer measurements ▾" if on else "More measurements ▸")
        for w in self._more_widgets:
            w.setVisible(on)
        for name, err in self.errors.items():
            if name not in MAIN_FIELDS:
                _keep_space(err, on)  # a collapsed row takes no room
                err.setVisible(on and bool(err.text()))

    # model -> widgets ----------------------------------------------------------------------
    def sync_values(self, *_) -> None:
        units = self.session.units
        for name, edit in self.edits.items():
            spec = MEASUREMENTS[name]
            self.units_labels[name].setText(unit_label(units, spec.kind))
            low, high = to_display(spec.low, units, spec.kind), to_display(spec.high, units, spec.kind)
            edit.setPlaceholderText(f"{low:.0f}–{high:.0f}")
            value = self.session.measurements.get(name)
            current_message, current_value = field_error(name, edit.text(), units)
            if value is None:
                if not current_message or not edit.text().strip():
                    edit.setText("")
                    self.show_error(name, field_error(name, "", units)[0] if edit.hasFocus() else "")
                continue
            if current_value is not None and abs(current_value - value) < 1e-6:
                continue  # the text the shopper typed already says this; leave it alone
            edit.setText(f"{to_display(value, units, spec.kind):.1f}".rstrip("0").rstrip("."))
            self.show_error(name, "")
