"""The measurements form: units, inline validation per field, and the profile picker.

Every field writes the session as soon as its text is a valid value (an invalid one shows
its message under the field and leaves the session as it was). The avatar is built by
whoever listens to ``build_requested`` (the main window runs the fit in a worker).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QGridLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QScrollArea, QToolButton, QVBoxLayout, QWidget)

from avatar.errors import UserError
from avatar.measurements import MEASUREMENTS

from ..banner import error_text
from ..session import Session, from_display, to_display, unit_label

#: Shown first; the others fold under "More measurements".
MAIN_FIELDS = ("stature", "chest_girth", "waist_girth", "hip_girth", "body_mass")
UNSAVED = "— unsaved —"
MODIFIED_MARK = " (changed, not saved)"


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


class MeasurementsPanel(QWidget):
    """Signals: ``build_requested()``; ``error(str)`` and ``info(str)`` for the banner;
    ``fields_valid()`` when an edit leaves every field usable (a validation error is fixed)."""

    build_requested = Signal()
    delete_data_requested = Signal()
    error = Signal(str)
    info = Signal(str)
    fields_valid = Signal()

    def __init__(self, session: Session, store=None, parent: QWidget | None = None, *, keypad: bool = False):
        super().__init__(parent)
        self.session = session
        self.store = store  # avatar.profiles.ProfileStore, or None (kiosk: nothing saved)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.units_labels: dict[str, QLabel] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)

        if store is not None:
            row = QHBoxLayout()
            self.profile_box = QComboBox()
            self.profile_box.setObjectName("profileBox")
            self.profile_box.setMinimumContentsLength(12)
            self.profile_box.activated.connect(self._load_selected)
            row.addWidget(QLabel("Profile"))
            row.addWidget(self.profile_box, 1)
            self.save_button = QToolButton(text="Save")
            self.rename_button = QToolButton(text="Rename")
            self.delete_button = QToolButton(text="Delete")
            self.save_button.clicked.connect(self.save_profile)
            self.rename_button.clicked.connect(self.rename_profile)
            self.delete_button.clicked.connect(self.delete_profile)
            from .profile_share import ProfileSharing

            self.sharing = ProfileSharing(self)  # Export, Import and the QR code
            for b in (self.save_button, self.rename_button, self.delete_button):
                row.addWidget(b)
            layout.addLayout(row)
            row = QHBoxLayout()  # under Save: the values taken along, as a file or a code
            row.addStretch(1)
            for b in (self.sharing.export_button, self.sharing.import_button, self.sharing.code_button):
                row.addWidget(b)
            layout.addLayout(row)
        else:
            self.profile_box = None
            self.sharing = None

        row = QHBoxLayout()
        self.sex_box = QComboBox()
        self.sex_box.addItems(["female", "male"])
        self.sex_box.currentTextChanged.connect(self.session.set_sex)
        self.units_box = QComboBox()
        self.units_box.addItems(["cm", "in"])
        self.units_box.setToolTip("Units you type in (in: inches and pounds)")
        self.units_box.currentTextChanged.connect(self.session.set_units)
        row.addWidget(QLabel("Body"))
        row.addWidget(self.sex_box, 1)
        row.addSpacing(12)
        row.addWidget(QLabel("Units"))
        row.addWidget(self.units_box)
        layout.addLayout(row)

        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        r = 0
        self.more_button = QToolButton(text="More measurements ▸")
        self.more_button.setCheckable(True)
        self.more_button.setAutoRaise(True)
        self.more_button.toggled.connect(self._show_more)
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
        form.setObjectName("measurementForm")
        form.setStyleSheet("#measurementForm { background:white; }")
        scroll = QScrollArea()
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(scroll, 1)
        self._show_more(False)

        self.keypad = None
        if keypad:
            from ..keypad import NumericKeypad

            self.keypad = NumericKeypad()
            layout.addWidget(self.keypad)

        self.build_button = QPushButton("Build my avatar")
        self.build_button.setObjectName("primary")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(self.request_build)
        layout.addWidget(self.build_button)
        self.status = QLabel()
        self.status.setObjectName("fitStatus")
        self.status.setWordWrap(True)
        # two lines always: a shorter status must not move the Build button under the pointer
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing())
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.status)
        if store is not None:
            self.delete_data_button = QPushButton("Delete my data…")
            self.delete_data_button.setToolTip("Remove every saved profile and measurement from this computer")
            self.delete_data_button.setFlat(True)
            self.delete_data_button.setStyleSheet("color:#8a1c1c; text-align:left;")
            self.delete_data_button.clicked.connect(self.delete_data_requested)
            layout.addWidget(self.delete_data_button)

        session.measurements_changed.connect(self._sync_values)
        session.units_changed.connect(self._sync_values)
        session.profile_changed.connect(self._sync_profiles)
        session.measurements_changed.connect(self._sync_modified)
        session.avatar_changed.connect(self._sync_status)
        self._sync_values()
        self._sync_profiles()
        self._sync_status()

    # user -> model ------------------------------------------------------------------------
    def _edited(self, name: str, text: str) -> None:
        message, value = field_error(name, text, self.session.units)
        self._show_error(name, message)
        # a field that cannot be read holds no value: the one before is not what the shopper sees any more
        self.session.set_measurement(name, None if message else value)
        if not message:
            if not self.invalid_fields():
                self.fields_valid.emit()

    def _show_error(self, name: str, message: str) -> None:
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

    def request_build(self) -> None:
        """Check every field; build if all are usable, else show the messages and a banner."""
        bad = self.invalid_fields()
        for name, edit in self.edits.items():
            self._show_error(name, bad.get(name, ""))
        if bad:
            if any(n not in MAIN_FIELDS for n in bad):
                self.more_button.setChecked(True)
            first = next(iter(bad))
            self.edits[first].setFocus()
            self.error.emit(f"{MEASUREMENTS[first].label}: {bad[first]}; fix the field marked in red"
                            + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
            return
        self.build_requested.emit()

    def _show_more(self, on: bool) -> None:
        self.more_button.setText("Fewer measurements ▾" if on else "More measurements ▸")
        for w in self._more_widgets:
            w.setVisible(on)
        for name, err in self.errors.items():
            if name not in MAIN_FIELDS:
                _keep_space(err, on)  # a collapsed row takes no room
                err.setVisible(on and bool(err.text()))

    # profiles ------------------------------------------------------------------------------
    def _load_selected(self, index: int) -> None:
        name = self.profile_box.itemText(index).removesuffix(MODIFIED_MARK)
        if name == UNSAVED or name == self.session.profile:
            return
        if not self.keep_or_discard_changes():
            self._sync_profiles()
            return
        self.load_profile(name)

    def keep_or_discard_changes(self) -> bool:
        """When the loaded profile has unsaved changes, ask to save them; False when the shopper cancels."""
        if not self.session.profile_modified or self.store is None:
            return True
        name = self.session.profile
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self, "Unsaved changes", f"Save the changed measurements to '{name}' first?",
                                      buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            self.save_as(name)
            return not self.session.profile_modified
        return answer == buttons.Discard

    def load_profile(self, name: str) -> None:
        """Put a saved profile's measurements in the session and ask for its avatar."""
        try:
            profile = self.store.load(name)
        except UserError as exc:
            self.error.emit(error_text(exc))
            self._sync_profiles()
            return
        self.session.set_units(profile.units if profile.units in ("cm", "in") else self.session.units)
        self.session.set_measurements(profile.measurements, profile.sex or self.session.sex,
                                      uncertainty=profile.uncertainty)
        self.session.set_profile(name)
        self.info.emit(f"Loaded profile '{name}'")
        self.build_requested.emit()

    def save_profile(self) -> None:
        name = self.session.profile
        if not name:
            name, ok = QInputDialog.getText(self, "Save profile", "Profile name:")
            if not ok:
                return
            if not name.strip():
                self.error.emit("Not saved: type a name for the profile, then press Save again")
                return
            name = name.strip()
        self.save_as(name)

    def save_as(self, name: str) -> None:
        if "stature" not in self.session.measurements:
            self.error.emit("Enter at least your height before saving a profile")
            return
        from avatar.profiles import Profile, name_key

        # re-saving the loaded profile updates it; any other existing name is replaced only when confirmed
        current = bool(self.session.profile) and name_key(self.session.profile) == name_key(name)
        replace = current
        try:
            if not current and self.store.exists(name):
                if not self._confirm_replace(name):
                    self.info.emit(f"Not saved: a profile named '{name}' already exists")
                    return
                replace = True
            self.store.save(Profile(name, dict(self.session.measurements), self.session.sex, self.session.units,
                                    uncertainty=dict(self.session.uncertainty)), overwrite=replace)
        except UserError as exc:
            self.error.emit(error_text(exc))
            return
        self.session.set_profile(name)
        self._sync_profiles()
        self.info.emit(f"Saved profile '{name}'")

    def _confirm_replace(self, name: str) -> bool:
        answer = QMessageBox.question(self, "Replace profile",
                                      f"A profile named '{name}' already exists. Replace its measurements?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def rename_profile(self) -> None:
        old = self.session.profile
        if not old:
            self.error.emit("Choose a saved profile to rename")
            return
        new, ok = QInputDialog.getText(self, "Rename profile", "New name:", text=old)
        if ok and new.strip() and new.strip() != old:
            self.rename_to(new.strip())

    def rename_to(self, new: str) -> None:
        try:
            self.store.rename(self.session.profile, new)
        except UserError as exc:
            self.error.emit(error_text(exc))
            return
        self.session.set_profile(new)
        self._sync_profiles()

    def delete_profile(self, confirm: bool = True) -> None:
        name = self.session.profile
        if not name:
            self.error.emit("Choose a saved profile to delete")
            return
        if confirm and QMessageBox.question(self, "Delete profile", f"Delete the profile '{name}'?") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.delete(name)
        except UserError as exc:
            self.error.emit(error_text(exc))
            return
        self.session.set_profile("")
        self._sync_profiles()
        self.info.emit(f"Deleted profile '{name}'")

    # model -> widgets ----------------------------------------------------------------------
    def _sync_values(self, *_) -> None:
        units = self.session.units
        with QSignalBlocker(self.units_box), QSignalBlocker(self.sex_box):
            self.units_box.setCurrentText(units)
            self.sex_box.setCurrentText(self.session.sex)
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
                    self._show_error(name, field_error(name, "", units)[0] if edit.hasFocus() else "")
                continue
            if current_value is not None and abs(current_value - value) < 1e-6:
                continue  # the text the shopper typed already says this; leave it alone
            edit.setText(f"{to_display(value, units, spec.kind):.1f}".rstrip("0").rstrip("."))
            self._show_error(name, "")

    def _sync_profiles(self, *_) -> None:
        if self.profile_box is None:
            return
        with QSignalBlocker(self.profile_box):
            self.profile_box.clear()
            self.profile_box.addItem(UNSAVED)
            try:
                names = self.store.names()
            except UserError as exc:
                names = []
                self.error.emit(error_text(exc))
            self.profile_box.addItems(names)
            self.profile_box.setCurrentText(self.session.profile or UNSAVED)
        self._sync_modified()
        self.rename_button.setEnabled(bool(self.session.profile))
        self.delete_button.setEnabled(bool(self.session.profile))

    def _sync_modified(self, *_) -> None:
        """Mark the loaded profile's name while the measurements differ from it."""
        box, name = self.profile_box, self.session.profile
        if box is None or not name or box.currentIndex() < 0:
            return
        text = name + MODIFIED_MARK if self.session.profile_modified else name
        if box.currentText() != text:
            box.setItemText(box.currentIndex(), text)

    def _sync_status(self) -> None:
        fit = self.session.fit
        if self.session.avatar is None:
            self.status.setText("Enter your height (and any other measurements you know), then build your avatar.")
        elif fit is None:
            self.status.setText("Showing an average body; build your avatar to match your measurements.")
        else:
            missed = fit.missed
            given = len(self.session.measurements)
            if missed:
                names = ", ".join(MEASUREMENTS[n].label.lower() for n in missed if n in MEASUREMENTS)
                self.status.setText(f"Avatar built. Not matched within tolerance: {names}.")
            else:
                self.status.setText(f"Avatar built: {'your measurement' if given == 1 else f'all {given} of your measurements'} "
                                    "matched.")


def main() -> int:  # pragma: no cover - manual preview
    import sys

    app = QApplication.instance() or QApplication(sys.argv)
    session = Session()
    panel = MeasurementsPanel(session, store=_preview_store())
    panel.error.connect(lambda m: print("error:", m))
    panel.build_requested.connect(lambda: print("build", session.measurements, session.sex))
    panel.resize(380, 640)
    panel.show()
    return app.exec()


def _preview_store():
    from avatar.profiles import ProfileStore

    return ProfileStore()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
