"""The cart and the order: quantities, total, consent for measurements, place, export.

The cart lives in the session; this panel shows it priced from the catalog, places it through
``app.orders.store.OrderStore.place`` and exports the placed order with ``app.orders.export``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QToolButton,
                               QVBoxLayout, QWidget)

from app.orders.constants import MAX_QUANTITY, MIN_QUANTITY
from app.orders.cart import Cart, CartItem
from app.orders.errors import OrderError
from app.orders.pricing import price_cart
from avatar.errors import UserError

from ..banner import error_text
from ..file_dialogs import save_file
from ..session import Session

COLUMNS = ("Garment", "Size", "Colour", "Qty", "Price", "")
EXPORT_FILTERS = {"json": "Order JSON (*.json)", "csv": "CSV (*.csv)", "pdf": "PDF receipt (*.pdf)"}


def money_text(amount, currency: str) -> str:
    return f"{Decimal(str(amount)).quantize(Decimal('0.01')):,} {currency}"


class CartPanel(QWidget):
    """Signals: ``error(str)``, ``info(str)`` for the banner; ``order_placed(order)``.

    Parameters
    ----------
    lookup : garment_id -> Garment (``garments.catalog.get_garment``)
    picture : callable returning a QImage of the avatar for the receipt (or None)
    file_dialogs : False in the kiosk (exports go to the shop, not to a file)
    """

    error = Signal(str)
    info = Signal(str)
    order_placed = Signal(object)

    def __init__(self, session: Session, lookup, picture=None, parent: QWidget | None = None, *,
                 file_dialogs: bool = True, store=None):
        super().__init__(parent)
        self.session = session
        self.lookup = lookup
        self.picture = picture
        self.file_dialogs = file_dialogs
        self._store = store

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("cartTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel("Your cart is empty. Try garments on, then add them here.")
        self.empty_label.setStyleSheet("color:#666;")
        layout.addWidget(self.empty_label)

        self.total_label = QLabel()
        self.total_label.setObjectName("cartTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.total_label.setStyleSheet("font-size:15px; font-weight:600;")
        layout.addWidget(self.total_label)

        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Notes for the shop (optional)")
        layout.addWidget(self.notes)
        self.consent = QCheckBox("Include my measurements with the order (for tailoring)")
        self.consent.setObjectName("consent")
        layout.addWidget(self.consent)
        self.place_button = QPushButton("Place order")
        self.place_button.setObjectName("primary")
        self.place_button.clicked.connect(self.place_order)
        layout.addWidget(self.place_button)

        self.order_label = QLabel()
        self.order_label.setObjectName("orderLabel")
        self.order_label.setWordWrap(True)
        self.order_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.order_label)
        row = QHBoxLayout()
        self.export_buttons = {}
        for fmt in ("json", "csv", "pdf"):
            b = QPushButton(f"Export {fmt.upper()}")
            b.clicked.connect(lambda _=False, f=fmt: self.export_with_dialog(f))
            row.addWidget(b)
            self.export_buttons[fmt] = b
        self.export_row = QWidget()
        self.export_row.setLayout(row)
        self.export_row.setVisible(False)
        layout.addWidget(self.export_row)
        layout.addStretch(0)  # an empty cart (table hidden) packs the rest at the top instead of spreading it

        session.cart_changed.connect(self._sync)
        session.order_changed.connect(self._sync_order)
        self._sync()
        self._sync_order()

    @property
    def store(self):
        if self._store is None:
            from app.orders.store import OrderStore

            self._store = OrderStore()
        return self._store

    # model -> widgets -------------------------------------------------------------------------
    def _priced(self, line):
        """The order line ``price_cart`` makes of one cart line, or the OrderError that refuses it."""
        try:
            currency, (priced,), _total = price_cart(Cart((self._item(line),)), self.lookup)
        except OrderError as exc:
            return None, "", str(exc)
        return priced, currency, ""

    @staticmethod
    def _item(line) -> CartItem:
        return CartItem(line.garment_id, line.size, line.quantity, line.colour or None)

    def _sync(self) -> None:
        lines = self.session.cart
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            priced, currency, problem = self._priced(line)  # a line the order would refuse shows why
            name = priced.name if priced else line.garment_id
            cells = (name, line.size, line.colour or "—")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                self.table.setItem(row, col, item)
            spin = self.table.cellWidget(row, 3)
            if spin is None:  # kept across redraws so typing a quantity keeps the focus
                spin = QSpinBox()
                spin.setRange(MIN_QUANTITY, MAX_QUANTITY)
                spin.valueChanged.connect(lambda v, r=row: self.session.set_quantity(r, v))
                self.table.setCellWidget(row, 3, spin)
            with QSignalBlocker(spin):
                spin.setValue(line.quantity)
            price_item = QTableWidgetItem("?" if priced is None else money_text(priced.line_total, currency))
            price_item.setToolTip(problem)
            price_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 4, price_item)
            if self.table.cellWidget(row, 5) is None:
                remove = QToolButton(text="✕")
                remove.setToolTip("Remove from cart")
                remove.clicked.connect(lambda _=False, r=row: self.session.remove_line(r))
                self.table.setCellWidget(row, 5, remove)
        self.empty_label.setVisible(not lines)
        self.table.setVisible(bool(lines))
        total_text = ""
        if lines:
            try:
                currency, _priced, total = price_cart(Cart(tuple(self._item(l) for l in lines)), self.lookup)
                total_text = f"Total: {money_text(total, currency)}"
            except OrderError as exc:
                total_text = f"No total: {exc}"
        self.total_label.setText(total_text)
        self.place_button.setEnabled(bool(lines))

    def _sync_order(self) -> None:
        order = self.session.last_order
        if order is None:
            self.order_label.setText("")
            self.export_row.setVisible(False)
            return
        self.order_label.setText(f"Order {order.order_id} placed — total {money_text(order.total, order.currency)}.")
        self.export_row.setVisible(self.file_dialogs)

    def quantity_box(self, row: int) -> QSpinBox:
        return self.table.cellWidget(row, 3)

    # actions --------------------------------------------------------------------------------------
    def place_order(self) -> None:
        """Store the cart as an order (measurements only with consent), then empty the cart."""
        if not self.session.cart:
            self.error.emit("Your cart is empty; add a garment first")
            return
        consent = self.consent.isChecked()
        if consent and not self.session.measurements:
            self.error.emit("There are no measurements to include; enter them or untick the consent box")
            return
        cart = Cart(tuple(self._item(l) for l in self.session.cart))
        try:
            order = self.store.place(
                cart, catalog_lookup=self.lookup, consent=consent,
                measurements=dict(self.session.measurements) if consent else None,
                fit_notes=self.notes.text().strip() or None, picture_png=self._picture_png())
        except UserError as exc:
            self.error.emit(error_text(exc))
            return
        self.session.clear_cart()
        with QSignalBlocker(self.consent):
            self.consent.setChecked(False)
        self.notes.clear()
        self.session.set_last_order(order)
        self.info.emit(f"Order {order.order_id} placed")
        self.order_placed.emit(order)

    def _picture_png(self) -> bytes | None:
        image = self.picture() if self.picture else None
        if image is None or image.isNull():
            return None
        if image.width() > 1024:
            image = image.scaledToWidth(1024, Qt.TransformationMode.SmoothTransformation)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(buffer.data())

    def export_with_dialog(self, fmt: str) -> None:
        order = self.session.last_order
        if order is None or not self.file_dialogs:
            return
        path = save_file(self, f"Export order as {fmt.upper()}", f"{order.order_id}.{fmt}", EXPORT_FILTERS[fmt], "orders")
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path) -> Path | None:
        """Write the last placed order to ``path`` as json, csv or pdf (the PDF with the avatar's picture)."""
        from app.orders.export import export_order

        order = self.session.last_order
        if order is None:
            self.error.emit("Place an order before exporting it")
            return None
        try:
            picture = self.store.picture(order.order_id) if fmt == "pdf" else None
            out = export_order(order, fmt, path, picture=picture, overwrite=True)  # the save dialog asked
        except UserError as exc:
            self.error.emit(error_text(exc))
            return None
        self.info.emit(f"Exported {order.order_id} to {out}")
        return out


def main() -> int:  # pragma: no cover - manual preview
    import sys

    from garments.catalog import get_garment, load_catalog

    app = QApplication.instance() or QApplication(sys.argv)
    session = Session()
    for garment in list(load_catalog())[:2]:
        session.add_to_cart(garment.id, garment.sizes[0].name)
    panel = CartPanel(session, get_garment)
    panel.resize(420, 560)
    panel.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
