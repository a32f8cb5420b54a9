"""The measurements form: the profile picker, body and units, the fields (``measurement_fields``), Build.

The fields write the session as they are typed; the profiles are saved, loaded, renamed and deleted
here, and unsaved values are never thrown away without asking. The avatar is built by
whoever listens to ``build_requested`` (the main window runs the fit in a worker).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QHBoxLayout, QInputDialog, QLabel,
                               QMessageBox, QPushButton, QScrollArea, QToolButton, QVBoxLayout, QWidget)

from avatar.errors import UserError
from avatar.measurements import MEASUREMENTS

from ..banner import error_text
from ..session import Session
from .measurement_fields import MAIN_FIELDS, MeasurementFields

UNSAVED = "— unsaved —"
MODIFIED_MARK = " (changed, not saved)"


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

        self.fields = MeasurementFields(session)
        self.fields.fields_valid.connect(self.fields_valid)
        self.edits, self.errors, self.units_labels = self.fields.edits, self.fields.errors, self.fields.units_labels
        self.more_button = self.fields.more_button
        scroll = QScrollArea()
        scroll.setWidget(self.fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(scroll, 1)

        self.keypad = None
        if keypad:
            from ..keypad import NumericKeypad

            self.keypad = NumericKeypad()
            layout.addWidget(self.keypad)

        self._sections = layout  # ``add_section`` puts more controls here, above the Build button
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

        session.measurements_changed.connect(self._sync_choices)
        session.units_changed.connect(self._sync_choices)
        session.profile_changed.connect(self._sync_profiles)
        session.measurements_changed.connect(self._sync_modified)
        session.avatar_changed.connect(self._sync_status)
        self._sync_choices()
        self._sync_profiles()
        self._sync_status()

    def add_section(self, widget: QWidget) -> None:
        """Show ``widget`` (e.g. the look controls) above the Build button."""
        self._sections.insertWidget(self._sections.indexOf(self.build_button), widget)

    # user -> model ------------------------------------------------------------------------
    def invalid_fields(self) -> dict[str, str]:
        """Field name -> message for every field whose text cannot be used."""
        return self.fields.invalid_fields()

    def request_build(self) -> None:
        """Check every field; build if all are usable, else show the messages and a banner."""
        bad = self.invalid_fields()
        for name, edit in self.edits.items():
            self.fields.show_error(name, bad.get(name, ""))
        if bad:
            if any(n not in MAIN_FIELDS for n in bad):
                self.more_button.setChecked(True)
            first = next(iter(bad))
            self.edits[first].setFocus()
            self.error.emit(f"{MEASUREMENTS[first].label}: {bad[first]}; fix the field marked in red"
                            + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
            return
        self.build_requested.emit()

    # profiles ------------------------------------------------------------------------------
    def _load_selected(self, index: int) -> None:
        name = self.profile_box.itemText(index).removesuffix(MODIFIED_MARK)
        if name == UNSAVED or name == self.session.profile:
            return
        if not self.keep_or_discard_changes(replacing=True):
            self._sync_profiles()
            return
        self.load_profile(name)

    def keep_or_discard_changes(self, replacing: bool = False, closing: bool = False) -> bool:
        """When the loaded profile has unsaved changes, ask to save them; False when the shopper cancels.

        ``replacing``: another profile is about to replace the measurements; ``closing``: the window is about to
        close. Either way values entered without a profile (typed or estimated from photos) are unsaved work
        too: offer to save them as a profile."""
        if self.store is None:
            return True
        buttons = QMessageBox.StandardButton
        choice = buttons.Save | buttons.Discard | buttons.Cancel
        if not self.session.profile and (replacing or closing) and self.session.measurements:
            before = "closing" if closing else "loading another"
            answer = QMessageBox.question(self, "Unsaved measurements",
                                          f"Save the measurements you entered as a profile before {before}?",
                                          choice, buttons.Save)
            if answer == buttons.Save:
                self.save_profile()
                return bool(self.session.profile)
            return answer == buttons.Discard
        if not self.session.profile_modified:
            return True
        name = self.session.profile
        answer = QMessageBox.question(self, "Unsaved changes", f"Save the changed measurements to '{name}' first?",
                                      choice, buttons.Save)
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
    def _sync_choices(self, *_) -> None:
        with QSignalBlocker(self.units_box), QSignalBlocker(self.sex_box):
            self.units_box.setCurrentText(self.session.units)
            self.sex_box.setCurrentText(self.session.sex)

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
