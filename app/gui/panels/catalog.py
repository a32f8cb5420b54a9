"""The garment catalog: thumbnails, a category filter and a search box.

Thumbnails are flat-colour silhouettes drawn from the garment's category and first colour
(drawn once per garment and colour, kept in memory): quick, and they read at 96 px.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from app.render.content import garment_srgb

from ..constants import THUMBNAIL_PX

ALL = "All categories"
ROLE_ID = Qt.ItemDataRole.UserRole

# category keyword -> drawing; the first keyword found in the category (or name) wins
SHAPES = (
    (("dress", "gown"), "dress"),
    (("skirt",), "skirt"),
    (("short",), "shorts"),
    (("trouser", "pant", "jean", "legging", "bottom", "chino", "jumpsuit"), "trousers"),
    (("outerwear", "jacket", "coat", "hood", "sweat", "jumper", "cardigan", "blazer", "long"), "long_top"),
    (("shirt", "tee", "top", "blouse", "polo", "vest", "tank"), "top"),
)


def shape_of(garment) -> str:
    text = f"{garment.category} {garment.name}".lower()
    for words, shape in SHAPES:
        if any(w in text for w in words):
            return shape
    return "top"


def silhouette_path(shape: str, s: float) -> QPainterPath:
    """A garment outline in an ``s`` x ``s`` square."""
    p = QPainterPath()

    def poly(points):
        p.addPolygon([QPointF(x * s, y * s) for x, y in points])
        p.closeSubpath()

    if shape in ("top", "long_top"):
        cuff = 0.78 if shape == "long_top" else 0.42
        reach = 0.06 if shape == "long_top" else 0.12
        poly([(0.38, 0.12), (0.45, 0.17), (0.55, 0.17), (0.62, 0.12), (0.80, 0.18), (1 - reach, cuff),
              (0.80, cuff + 0.04), (0.74, 0.36), (0.74, 0.90 if shape == "long_top" else 0.86),
              (0.26, 0.90 if shape == "long_top" else 0.86), (0.26, 0.36), (0.20, cuff + 0.04), (reach, cuff),
              (0.20, 0.18)])
    elif shape == "trousers":
        poly([(0.30, 0.08), (0.70, 0.08), (0.76, 0.92), (0.56, 0.92), (0.50, 0.34), (0.44, 0.92), (0.24, 0.92)])
    elif shape == "shorts":
        poly([(0.28, 0.22), (0.72, 0.22), (0.80, 0.70), (0.54, 0.74), (0.50, 0.48), (0.46, 0.74), (0.20, 0.70)])
    elif shape == "skirt":
        poly([(0.34, 0.18), (0.66, 0.18), (0.82, 0.82), (0.18, 0.82)])
    else:  # dress
        poly([(0.40, 0.08), (0.46, 0.12), (0.54, 0.12), (0.60, 0.08), (0.68, 0.12), (0.66, 0.40), (0.82, 0.92),
              (0.18, 0.92), (0.34, 0.40), (0.32, 0.12)])
    return p


def thumbnail(garment, colour: str = "", size: int = THUMBNAIL_PX) -> QPixmap:
    """A flat silhouette of the garment in one of its colours, on a light tile."""
    r, g, b = garment_srgb(garment, colour)
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(246, 247, 249))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor.fromRgbF(r, g, b)
    painter.setBrush(fill)
    painter.setPen(fill.darker(140))
    painter.drawPath(silhouette_path(shape_of(garment), float(size)))
    painter.end()
    return pixmap


def price_text(garment) -> str:
    if garment.price is None:
        return "not priced"
    try:
        return f"{Decimal(str(garment.price)).quantize(Decimal('0.01'))} {garment.currency}"
    except InvalidOperation:  # a price that is not a finite number shows as no price
        return ""


class CatalogPanel(QWidget):
    """Signals: ``try_on(garment_id)`` when the shopper picks a garment."""

    try_on = Signal(str)
    import_requested = Signal()

    def __init__(self, garments=(), parent: QWidget | None = None, *, touch: bool = False, designer: bool = False):
        super().__init__(parent)
        self._thumbs: dict[tuple[str, str], QPixmap] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("catalogSearch")
        self.search.setPlaceholderText("Search garments…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.category = QComboBox()
        self.category.setObjectName("catalogCategory")
        self.category.currentTextChanged.connect(self._filter)
        row.addWidget(self.search, 1)
        row.addWidget(self.category)
        layout.addLayout(row)
        self.list = QListWidget()
        self.list.setObjectName("catalogList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        self.list.setGridSize(QSize(THUMBNAIL_PX + 30, THUMBNAIL_PX + 58))
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        self.list.itemActivated.connect(lambda item: self.try_on.emit(item.data(ROLE_ID)))
        self.list.currentItemChanged.connect(lambda *_: self._sync_button())
        layout.addWidget(self.list, 1)
        self.empty_label = QLabel("No garment matches; clear the search or pick another category.")
        self.empty_label.setStyleSheet("color:#666;")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.empty_label)
        self.try_button = QPushButton("Try on")
        self.try_button.setObjectName("primary")
        self.try_button.clicked.connect(self._try_current)
        row = QHBoxLayout()
        row.addWidget(self.try_button, 1)
        self.import_button = None
        if designer:
            self.import_button = QPushButton("Import garment…")
            self.import_button.setToolTip("Designers: add a garment file (OBJ, GLB, PLY, STL, MakeHuman) to your catalog")
            self.import_button.clicked.connect(self.import_requested)
            row.addWidget(self.import_button)
        layout.addLayout(row)
        self.set_garments(garments)

    def set_garments(self, garments) -> None:
        self.garments = list(garments)
        self.list.clear()
        for garment in self.garments:
            text = f"{garment.name}\n{price_text(garment)}"
            item = QListWidgetItem(QIcon(self.thumbnail(garment)), text)
            item.setData(ROLE_ID, garment.id)
            item.setToolTip(f"{garment.name} — {garment.category}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.list.addItem(item)
        categories = sorted({g.category for g in self.garments} - {""})
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(ALL, "")
        for category in categories:  # shown capitalised, filtered by the catalog's own word
            self.category.addItem(category[:1].upper() + category[1:], category)
        self.category.setCurrentIndex(max(self.category.findData(current), 0) if current else 0)
        self.category.blockSignals(False)
        self._filter()

    def thumbnail(self, garment, colour: str = "") -> QPixmap:
        key = (garment.id, colour)
        if key not in self._thumbs:
            self._thumbs[key] = thumbnail(garment, colour)
        return self._thumbs[key]

    def visible_ids(self) -> list[str]:
        """Ids of the garments the shopper sees now, in order."""
        return [self.list.item(i).data(ROLE_ID) for i in range(self.list.count()) if not self.list.item(i).isHidden()]

    def _filter(self, *_) -> None:
        words = self.search.text().lower().split()
        category = self.category.currentData() or ""
        by_id = {g.id: g for g in self.garments}
        for i in range(self.list.count()):
            item = self.list.item(i)
            g = by_id[item.data(ROLE_ID)]
            haystack = f"{g.name} {g.id} {g.category} " + " ".join(c.name for c in g.colours)
            show = (not category or g.category == category) and all(
                w in haystack.lower() for w in words)
            item.setHidden(not show)
        self.empty_label.setVisible(bool(self.garments) and not self.visible_ids())
        self._sync_button()

    def _sync_button(self) -> None:
        item = self.list.currentItem()
        self.try_button.setEnabled(item is not None and not item.isHidden())

    def select(self, garment_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ROLE_ID) == garment_id:
                self.list.setCurrentRow(i)

    def _try_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self.try_on.emit(item.data(ROLE_ID))


def main() -> int:  # pragma: no cover - manual preview
    import sys

    from garments.catalog import load_catalog

    app = QApplication.instance() or QApplication(sys.argv)
    panel = CatalogPanel(load_catalog())
    panel.try_on.connect(lambda gid: print("try on", gid))
    panel.resize(420, 640)
    panel.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
