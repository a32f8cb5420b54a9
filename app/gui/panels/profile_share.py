"""Export, Import and "Show as QR code…" under Save in the measurements panel.

Export writes the chosen values as a portable profile file (``avatar.portable``); Import reads one,
saves it as a profile here and builds its avatar; the code shows the chosen values as a QR code for a
kiosk's camera. Before exporting or showing a code the shopper ticks what goes (stature always).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QToolButton, QWidget

from avatar.errors import UserError
from avatar.portable import PortableProfile

from ..share_dialog import ChooseValuesDialog, CodeDialog


def _ask_save_path(parent: QWidget, suggested: str) -> str:
    return QFileDialog.getSaveFileName(parent, "Export profile", suggested, "Profiles (*.json)")[0]


def _ask_open_path(parent: QWidget) -> str:
    return QFileDialog.getOpenFileName(parent, "Import profile", "", "Profiles (*.json)")[0]


class ProfileSharing(QObject):
    """The buttons and what they do, for a ``MeasurementsPanel`` with a profile store.

    ``ask_save_path`` / ``ask_open_path`` are the file choosers (replaceable, e.g. in tests);
    ``dialog`` is the open tick list or code, if any.
    """

    def __init__(self, panel):
        super().__init__(panel)
        self.panel = panel
        self.ask_save_path = lambda suggested: _ask_save_path(panel, suggested)
        self.ask_open_path = lambda: _ask_open_path(panel)
        self.dialog = None
        self.export_button = QToolButton(text="Export…")
        self.export_button.setToolTip("Write the values you choose to a file, to take to another fitting room")
        self.import_button = QToolButton(text="Import…")
        self.import_button.setToolTip("Read an exported profile file and save it here")
        self.code_button = QToolButton(text="Show as QR code…")
        self.code_button.setToolTip("Show the values you choose as a QR code for a store kiosk's camera")
        self.export_button.clicked.connect(self.export_profile)
        self.import_button.clicked.connect(self.import_profile)
        self.code_button.clicked.connect(self.show_code)

    def current(self) -> PortableProfile | None:
        """The session's values as a portable profile (None, with a banner, before a height is entered)."""
        session = self.panel.session
        if "stature" not in session.measurements:
            self.panel.error.emit("Enter at least your height before exporting or showing a code")
            return None
        return PortableProfile(dict(session.measurements), session.sex, dict(session.uncertainty),
                               session.profile)

    def _choose(self, action: str, then) -> ChooseValuesDialog | None:
        profile = self.current()
        if profile is None:
            return None
        self.dialog = ChooseValuesDialog(profile, action, self.panel)
        self.dialog.accepted.connect(lambda d=self.dialog: then(d.chosen()))
        self.dialog.open()
        return self.dialog

    # export / import ------------------------------------------------------------------------------------
    def export_profile(self) -> ChooseValuesDialog | None:
        """Tick the values, then choose the file."""
        return self._choose("Export…", self._export_chosen)

    def _export_chosen(self, profile: PortableProfile) -> None:
        path = self.ask_save_path(f"{profile.name or 'my-profile'}.json")
        if path:
            self.export_to(path, profile)

    def export_to(self, path: str | Path, profile: PortableProfile) -> None:
        from avatar.portable import write_portable_file

        try:
            write_portable_file(profile, Path(path))
        except (UserError, OSError) as exc:
            self.panel.error.emit(str(exc) if isinstance(exc, UserError) else
                                  f"Cannot write {path} ({exc.strerror}); choose another folder")
            return
        self.panel.info.emit(f"Exported {len(profile.fields())} values to {Path(path).name}")

    def import_profile(self) -> None:
        path = self.ask_open_path()
        if path:
            self.import_from(path)

    def import_from(self, path: str | Path, name: str | None = None) -> bool:
        """Read an exported profile, save it as a profile here (never over another one) and build its avatar."""
        from avatar.portable import read_portable_file
        from avatar.profiles import Profile

        try:
            portable = read_portable_file(Path(path))
        except UserError as exc:
            self.panel.error.emit(str(exc))
            return False
        store, session = self.panel.store, self.panel.session
        name = (name or portable.name or Path(path).stem).strip()
        while store.exists(name):
            name, ok = QInputDialog.getText(self.panel, "Import profile",
                                            f"A profile named '{name}' exists already. Save the imported one as:",
                                            text=f"{name} (imported)")
            name = name.strip()
            if not ok or not name:
                return False
        try:
            store.save(Profile(name, portable.measurements, portable.sex, uncertainty=portable.uncertainty),
                       overwrite=False)
        except UserError as exc:
            self.panel.error.emit(str(exc))
            return False
        session.set_measurements(portable.measurements, portable.sex or session.sex)
        session.set_uncertainty(portable.uncertainty)
        session.set_profile(name)
        self.panel.info.emit(f"Imported profile '{name}'")
        self.panel.build_requested.emit()
        return True

    # the code ------------------------------------------------------------------------------------------
    def show_code(self) -> ChooseValuesDialog | None:
        """Tick the values, then show them as a QR code."""
        return self._choose("Show code", self._code_chosen)

    def _code_chosen(self, profile: PortableProfile) -> None:
        try:
            self.dialog = CodeDialog(profile, self.panel)
        except UserError as exc:
            self.panel.error.emit(str(exc))
            return
        self.dialog.open()
