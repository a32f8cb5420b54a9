"""Designers: import a garment file into the user catalog, preview it on the body, keep or discard it.

The import is ``garments.importers.import_garment``, the same function as
``fitting-room garment import``; it runs in a worker with progress. The preview shows the
imported size on the reference body it was registered on, front and side (flat pictures drawn in a
worker); units, up axis, authoring pose, a height nudge and a scale mirror ``garment import``'s options.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDoubleSpinBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from avatar.errors import UserError
from garments.colourways import COLOURWAY_FORMS, colourway_list
from garments.import_options import ImportOptions
from garments.registration_constants import OFFSET_CM_RANGE, SCALE_RANGE

from .banner import Banner, error_text
from .file_dialogs import open_file
from .tasks import TaskRunner
from .view import SilhouetteView, silhouette_image

FILE_FILTER = "Garment files (*.obj *.glb *.gltf *.ply *.stl *.mhclo);;All files (*)"


# The controls' "from the file" choice: the importer detects units and up axis itself.
DETECTED = "detect"
POSES = (("auto", "read from the sleeves"), ("t", "T-pose (arms out)"), ("a", "A-pose (arms down)"))


def _side_on(vertices):
    """(n, 3) metres turned a quarter about Y so the flat front drawing shows the body's left side."""
    import numpy as np

    v = np.asarray(vertices, float)
    return np.stack([-v[:, 2], v[:, 1], v[:, 0]], axis=1)


def preview_scene(garment, size: str, side: bool = False):
    """The garment's rest mesh of ``size`` on the reference body it was registered on (seen from the side
    when ``side``)."""
    import dataclasses

    from app.render.content import garment_srgb
    from app.render.scene import GarmentLayer, SceneContent
    from avatar.avatar import reference_avatar
    from garments.catalog import rest_mesh

    mesh = rest_mesh(garment, size)
    body = reference_avatar(mesh.sex)
    vertices = mesh.vertices
    if side:
        body = dataclasses.replace(body, vertices=_side_on(body.vertices))
        vertices = _side_on(vertices)
    layer = GarmentLayer(name=garment.id, vertices=vertices, faces=mesh.faces, colour=garment_srgb(garment))
    return SceneContent.from_avatar(body, garments=[layer])


def _import_and_draw(path, options, *, progress, cancelled):
    import numpy as np

    from garments.importers import import_garment

    garment = import_garment(path, options, progress=lambda f, m="": progress(0.9 * f, m), cancelled=cancelled)
    progress(0.92, "Drawing the preview")
    size = garment.sizes[0].name
    image = np.hstack([silhouette_image(preview_scene(garment, size, side)) for side in (False, True)])
    return garment, image


class ImportDialog(QDialog):
    """Signals: ``imported(garment)`` when the designer keeps an import; ``try_on(garment_id)``."""

    imported = Signal(object)
    try_on = Signal(str)

    def __init__(self, parent: QWidget | None = None, runner: TaskRunner | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import a garment")
        self.runner = runner or TaskRunner(self)
        self.garment = None
        from garments.catalog import CATEGORIES
        from garments.catalog_entry import FITS

        outer = QVBoxLayout(self)
        self.banner = Banner()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        left = QVBoxLayout()
        body.addLayout(left, 1)
        form = QFormLayout()
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText("OBJ, GLB/glTF, PLY, STL or MakeHuman .mhclo")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("File", row)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("from the file name")
        self.category_box = QComboBox()
        self.category_box.addItems(list(CATEGORIES))
        self.size_edit = QLineEdit("M")
        self.sku_edit = QLineEdit()
        self.sku_edit.setPlaceholderText("generated")
        self.price_box = QDoubleSpinBox()
        self.price_box.setDecimals(2)
        self.price_box.setRange(-0.01, 100000)  # the minimum stands for "no price yet": a price is required
        self.price_box.setSpecialValueText("required")
        self.price_box.setValue(self.price_box.minimum())
        self.currency_edit = QLineEdit("EUR")
        self.currency_edit.setMaxLength(3)
        self.fits_box = QComboBox()
        self.fits_box.addItems(list(FITS))
        self.fits_box.setCurrentText("unisex")
        form.addRow("Name", self.name_edit)
        form.addRow("Category", self.category_box)
        form.addRow("Size", self.size_edit)
        form.addRow("SKU", self.sku_edit)
        form.addRow("Price", self.price_box)
        form.addRow("Currency", self.currency_edit)
        form.addRow("Made for", self.fits_box)
        self.colours_edit = QLineEdit()
        self.colours_edit.setObjectName("importColours")
        self.colours_edit.setPlaceholderText("navy=#1F2A44; sand=sand.png (optional)")
        self.colours_edit.setToolTip(f"Colourways besides the file's own, separated by ';': {COLOURWAY_FORMS}. "
                                     "#RRGGBB tints the print keeping its light and dark; a PNG swaps it "
                                     "(a path relative to the garment file's folder)")
        form.addRow("Colourways", self.colours_edit)
        self.units_box = QComboBox()
        self.units_box.addItems([DETECTED, "mm", "cm", "dm", "m"])
        self.up_box = QComboBox()
        self.up_box.addItems([DETECTED, "y", "z"])
        self.pose_box = QComboBox()
        for key, label in POSES:
            self.pose_box.addItem(label, key)
        self.offset_box = QDoubleSpinBox()
        self.offset_box.setRange(*OFFSET_CM_RANGE)
        self.offset_box.setDecimals(1)
        self.offset_box.setSuffix(" cm")
        self.offset_box.setToolTip("Move the placed garment up (positive) or down")
        self.scale_box = QDoubleSpinBox()
        self.scale_box.setRange(*SCALE_RANGE)
        self.scale_box.setSingleStep(0.05)
        self.scale_box.setValue(1.0)
        form.addRow("Units", self.units_box)
        form.addRow("Up axis", self.up_box)
        form.addRow("Authored in", self.pose_box)
        form.addRow("Height nudge", self.offset_box)
        form.addRow("Scale", self.scale_box)
        left.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        left.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        left.addWidget(self.status)
        left.addStretch(1)
        self.preview = SilhouetteView()
        self.preview.setMinimumSize(220, 320)
        self.preview.setText("The preview appears here after the import")
        body.addWidget(self.preview, 1)

        buttons = QHBoxLayout()
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.start_import)
        self.try_button = QPushButton("Try on my avatar")
        self.try_button.clicked.connect(self._try)
        self.discard_button = QPushButton("Discard")
        self.discard_button.clicked.connect(self.discard)
        self.keep_button = QPushButton("Keep")
        self.keep_button.clicked.connect(self.keep)
        for b in (self.try_button, self.discard_button, self.keep_button):
            b.setEnabled(False)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for b in (self.import_button, self.try_button, self.discard_button, self.keep_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer.addLayout(buttons)
        self.resize(900, 560)

    def browse(self) -> None:
        path = open_file(self, "Garment file", FILE_FILTER, "garments")
        if path:
            self.path_edit.setText(path)

    def options(self) -> ImportOptions:
        """The form as the import's options; GarmentImportError when a colourway is malformed."""
        folder = Path(self.path_edit.text().strip()).parent
        return ImportOptions(
            name=self.name_edit.text().strip() or None, category=self.category_box.currentText(),
            size=self.size_edit.text().strip() or "M", sku=self.sku_edit.text().strip() or None,
            price=f"{self.price_box.value():.2f}", currency=self.currency_edit.text().strip().upper() or "EUR",
            fits=self.fits_box.currentText(),
            units=None if self.units_box.currentText() == DETECTED else self.units_box.currentText(),
            up=None if self.up_box.currentText() == DETECTED else self.up_box.currentText(),
            pose=self.pose_box.currentData(), offset_cm=self.offset_box.value(), scale=self.scale_box.value(),
            colours=colourway_list(self.colours_edit.text(), folder))

    def start_import(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            self.banner.show_error("Choose a garment file first (Browse…)")
            return
        if not Path(path).is_file():
            self.banner.show_error(f"{path} does not exist; check the path")
            return
        if self.price_box.value() < 0:
            self.banner.show_error("Enter the garment's price in the Price field; a garment without one cannot be sold")
            self.price_box.setFocus()
            return
        try:
            options = self.options()
        except UserError as exc:
            self.banner.show_error(f"Colourways: {error_text(exc)}")
            self.colours_edit.setFocus()
            return
        self.banner.dismiss()
        self.import_button.setEnabled(False)
        self.progress.show()
        task = self.runner.start("import", "Importing", _import_and_draw, Path(path), options)
        task.progress.connect(lambda f, m: (self.progress.setValue(int(1000 * f)), self.status.setText(m)))
        task.finished.connect(self._imported)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._failed)

    def _failed(self, exc=None) -> None:
        self.progress.hide()
        self.import_button.setEnabled(True)
        self.status.setText("")
        if exc is not None:
            self.banner.show_error(error_text(
                exc, otherwise="The file could not be imported; export it again or try another format"))

    def _imported(self, result) -> None:
        self.garment, image = result
        self.progress.hide()
        self.preview.show_image(image)
        self.status.setText(f"Imported as '{self.garment.id}' ({self.garment.category}, size "
                            f"{self.garment.sizes[0].name}). Keep it in your catalog, or discard it.")
        for b in (self.try_button, self.discard_button, self.keep_button):
            b.setEnabled(True)

    def keep(self) -> None:
        if self.garment is not None:
            self.imported.emit(self.garment)
            self.banner.show_success(f"'{self.garment.name}' is in your catalog")
            self._reset()

    def _try(self) -> None:
        if self.garment is not None:
            self.imported.emit(self.garment)
            self.try_on.emit(self.garment.id)

    def discard(self) -> None:
        from garments.user_catalog import remove_garment

        if self.garment is None:
            return
        try:
            remove_garment(self.garment.id)
        except UserError as exc:
            self.banner.show_error(error_text(exc))
            return
        self.banner.show_info(f"'{self.garment.name}' was discarded")
        self._reset()

    def _reset(self) -> None:
        self.garment = None
        self.import_button.setEnabled(True)
        for b in (self.try_button, self.discard_button, self.keep_button):
            b.setEnabled(False)

    def done(self, result: int) -> None:
        self.runner.forget("import")
        super().done(result)


def main() -> int:  # pragma: no cover - manual preview
    import sys

    app = QApplication.instance() or QApplication(sys.argv)
    dialog = ImportDialog()
    dialog.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
