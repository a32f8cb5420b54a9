"""Try-on and fit: the garments on the avatar, their size and colour, and how they fit.

The list shows what the avatar wears. For the selected garment: a size picker whose
recommended size is marked ("M ★ recommended"), its colour variants, "Add to cart", and
the fit: the ease at each zone and the reasons behind the size advice.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from garments.errors import GarmentError

from ..banner import error_text
from ..session import Session

RECOMMENDED_MARK = " ★ recommended"
ROLE_ID = Qt.ItemDataRole.UserRole


def size_names(garment) -> list[str]:
    return [s.name for s in garment.sizes]


def colour_names(garment) -> list[str]:
    return [c.name for c in garment.colours]


def recommended_size(advice) -> str:
    """The size a ``garments.fit_report.FitReport`` recommends ("" without one, or when no size fits)."""
    return "" if advice is None or not advice.fits else advice.recommended


def advice_reasons(advice) -> list[str]:
    return [] if advice is None else [str(r) for r in advice.reasons]


def zone_rows(advice, size: str) -> list[tuple[str, str, str, str, str]]:
    """The fit table of a size: (zone, ease, stretch needed, worn stretch, verdict) texts, as
    ``FitReport.rows`` gives them (every zone of the garment, for every size)."""
    if advice is None or not size or size not in [s.size for s in advice.sizes]:
        return []
    return advice.rows(size)


def hidden_marks(session, lookup, garment_id: str, size: str, advice) -> dict[str, str]:
    """The zones of the garment's ``size`` that won't close whose marked band a garment worn over it hides
    standing (a pose may lift it off): zone -> that garment's name (``app.render.fit_overlay.hidden_under``);
    empty while that size is not the one draped."""
    from app.render.fit_overlay import hidden_under
    from garments.outfit import layer_order

    drape = session.drapes.get(garment_id)
    if advice is None or drape is None or drape.size != size or size not in [s.size for s in advice.sizes]:
        return {}
    ids = list(session.drapes)
    garments = {gid: lookup(gid) for gid in ids}
    order = [ids[i] for i in layer_order([garments[gid] for gid in ids])]
    outer = [(garments[gid].name, session.drapes[gid].vertices) for gid in order[order.index(garment_id) + 1:]]
    return hidden_under(garments[garment_id], advice, drape, outer)


def advice_html(advice, size: str, motion=None, hidden: dict[str, str] | None = None) -> str:
    """The advice text for the size on the avatar: recommendation, reasons, between-sizes note, the chance
    each size fits, a warning in red for every zone of ``size`` that won't close (saying which garment worn
    over it hides its mark, from ``hidden``: zone -> garment name), and what the poses say of ``size`` when
    ``motion`` (its ``garments.movement.MovementTest``) tried it."""
    from html import escape

    from garments.fit_report import format_percent

    rec = recommended_size(advice)
    lines = []
    if not advice.fits:
        lines.append(f"<b>No size fits you; {escape(advice.recommended)} comes closest.</b>")
    elif rec:
        lines.append(f"<b>We recommend {escape(rec)}.</b>" if rec != size else f"<b>{escape(rec)} is the recommended size.</b>")
    lines += [f"• {escape(r)}" for r in advice_reasons(advice)]
    if advice.between:
        lines.append(f"<i>You are {escape(advice.between)}.</i>")
    if advice.probabilities:
        spread = max(advice.uncertainty_cm.values(), default=0.0)
        lines.append(f"Chance each size is yours (measurements ±{spread:.1f} cm): {escape(advice.chances_text())}")
    if size and size in [s.size for s in advice.sizes]:
        for z in advice.wont_close(size):
            where = "marked red on the garment"
            if z.zone in (hidden or {}):
                where += f"; standing, the {hidden[z.zone]} hides it"
            lines.append(f"<span style='color:#c0141e'><b>{escape(size)} won't fit at the {z.zone}</b>: it would "
                         f"need {format_percent(z.needed_stretch)} stretch, the fabric gives "
                         f"{format_percent(advice.fabric_stretch)} ({escape(where)}).</span>")
    if motion is not None and size in [s.size for s in motion.sizes]:
        lines += [f"• {escape(line, quote=False)}" for line in motion.summary(size)]
    return "<br>".join(lines)


class TryOnPanel(QWidget):
    """Signals: ``error(str)``, ``info(str)``.

    Parameters
    ----------
    session : the shopper's state
    lookup : garment_id -> Garment
    """

    error = Signal(str)
    info = Signal(str)

    def __init__(self, session: Session, lookup, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.lookup = lookup
        self._motion = lambda garment_id: None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)

        self.list = QListWidget()
        self.list.setObjectName("tryonList")
        self.list.setMaximumHeight(110)
        self.list.currentItemChanged.connect(self._picked)
        layout.addWidget(QLabel("On your avatar"))
        layout.addWidget(self.list)
        self.empty_label = QLabel("Nothing yet: pick a garment in the Catalog and press Try on.")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color:#666;")
        layout.addWidget(self.empty_label)

        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        self.name_label = QLabel()
        self.name_label.setStyleSheet("font-weight:600; font-size:14px;")
        self.size_box = QComboBox()
        self.size_box.setObjectName("sizeBox")
        self.size_box.activated.connect(self._size_picked)
        self.colour_box = QComboBox()
        self.colour_box.setObjectName("colourBox")
        self.colour_box.activated.connect(self._colour_picked)
        form.addRow(self.name_label)
        form.addRow("Size", self.size_box)
        form.addRow("Colour", self.colour_box)
        buttons = QHBoxLayout()
        self.cart_button = QPushButton("Add to cart")
        self.cart_button.setObjectName("primary")
        self.cart_button.clicked.connect(self.add_to_cart)
        self.remove_button = QPushButton("Take off")
        self.remove_button.clicked.connect(self._remove)
        buttons.addWidget(self.cart_button, 1)
        buttons.addWidget(self.remove_button)
        form.addRow(buttons)
        layout.addWidget(self.details)

        self.fit_box = QGroupBox("Fit")
        fl = QVBoxLayout(self.fit_box)
        self.advice_label = QLabel()
        self.advice_label.setObjectName("adviceLabel")
        self.advice_label.setWordWrap(True)
        fl.addWidget(self.advice_label)
        self.zones = QTableWidget(0, 5)
        self.zones.setObjectName("zoneTable")
        self.zones.setHorizontalHeaderLabels(["Zone", "Ease", "Needs", "Worn", "Fit"])
        self.zones.verticalHeader().hide()
        self.zones.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.zones.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        fl.addWidget(self.zones)
        fl.addStretch(1)
        self._fit_layout = fl
        layout.addWidget(self.fit_box, 1)

        session.tryon_changed.connect(self._sync)
        session.advice_changed.connect(self._sync)
        session.drapes_changed.connect(self._sync)
        self._sync()

    # widgets -> model -------------------------------------------------------------------------------
    def show_motion(self, motion, changed) -> None:
        """Say in the size advice what the poses say of the size: ``motion`` is garment_id ->
        ``garments.movement.MovementTest`` or None, ``changed`` an event it emits when that changes."""
        self._motion = motion
        changed.connect(self._motion_changed)
        self._sync()

    def _motion_changed(self, _garment_id: str) -> None:
        self._sync()

    def add_fit_section(self, widget: QWidget) -> None:
        """Show ``widget`` (e.g. the fit in motion) in the Fit box, under the zones."""
        self._fit_layout.insertWidget(self._fit_layout.count() - 1, widget)

    def _picked(self, item, _previous=None) -> None:
        if item is not None:
            self.session.select(item.data(ROLE_ID))

    def _size_picked(self, index: int) -> None:
        gid = self.session.selected
        if gid:
            self.session.set_size(gid, self.size_box.itemData(index))

    def _colour_picked(self, index: int) -> None:
        gid = self.session.selected
        if gid:
            self.session.set_colour(gid, self.colour_box.itemData(index))

    def choose_size(self, size: str) -> None:
        """Pick a size as the shopper would in the size box."""
        index = self.size_box.findData(size)
        if index < 0:
            raise ValueError(f"no size {size!r} in the size box")
        self.size_box.setCurrentIndex(index)
        self._size_picked(index)

    def _remove(self) -> None:
        if self.session.selected:
            self.session.remove_tryon(self.session.selected)

    def add_to_cart(self) -> None:
        item = self.session.item(self.session.selected)
        if item is None:
            return
        if not item.size:
            self.error.emit("Wait a moment: the recommended size is being worked out")
            return
        self.session.add_to_cart(item.garment_id, item.size, item.colour)
        self.info.emit(f"Added {self._name(item.garment_id)} ({item.size}) to the cart")

    def _name(self, gid: str) -> str:
        try:
            return self.lookup(gid).name
        except GarmentError:  # a garment removed from the catalog since: its id still names it
            return gid

    # model -> widgets -------------------------------------------------------------------------------
    def _sync(self) -> None:
        s = self.session
        with QSignalBlocker(self.list):
            self.list.clear()
            for t in s.tryon:
                advice = s.advice.get(t.garment_id)
                rec = recommended_size(advice)
                mark = "  ★" if rec and rec == t.size else ""
                colour = f", {t.colour}" if t.colour else ""
                size = t.size or "size…"
                item = QListWidgetItem(f"{self._name(t.garment_id)} — {size}{colour}{mark}")
                item.setData(ROLE_ID, t.garment_id)
                self.list.addItem(item)
                if t.garment_id == s.selected:
                    self.list.setCurrentItem(item)
        has = bool(s.tryon)
        self.empty_label.setVisible(not has)
        self.details.setVisible(has)
        self.fit_box.setVisible(has)
        item = s.item(s.selected)
        if item is None:
            return
        try:
            garment = self.lookup(item.garment_id)
        except Exception as exc:
            self.error.emit(error_text(exc))
            return
        advice = s.advice.get(item.garment_id)
        rec = recommended_size(advice)
        self.name_label.setText(garment.name)
        with QSignalBlocker(self.size_box):
            self.size_box.clear()
            for name in size_names(garment):
                self.size_box.addItem(name + (RECOMMENDED_MARK if name == rec else ""), name)
            self.size_box.setCurrentIndex(self.size_box.findData(item.size) if item.size else -1)
        with QSignalBlocker(self.colour_box):
            self.colour_box.clear()
            for name in colour_names(garment):
                self.colour_box.addItem(name, name)
            if item.colour:
                self.colour_box.setCurrentIndex(max(0, self.colour_box.findData(item.colour)))
        self.colour_box.setEnabled(self.colour_box.count() > 1)

        if advice is None:
            self.advice_label.setText("Working out the fit…" if s.avatar is not None else "Build your avatar to see the fit.")
        else:
            hidden = hidden_marks(s, self.lookup, item.garment_id, item.size, advice)
            self.advice_label.setText(advice_html(advice, item.size, self._motion(item.garment_id), hidden)
                                      or "No advice for this garment.")
        rows = zone_rows(advice, item.size)
        self.zones.setRowCount(len(rows))
        self.zones.setVisible(bool(rows))
        self.zones.setFixedHeight(self.zones.horizontalHeader().height() + 2
                                  + sum(self.zones.rowHeight(r) for r in range(len(rows))) + 2)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text.capitalize() if c == 0 else text)
                if c in (1, 2, 3):
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.zones.setItem(r, c, cell)

    def size_texts(self) -> list[str]:
        """What the size box lists, as the shopper reads it."""
        return [self.size_box.itemText(i) for i in range(self.size_box.count())]

    def list_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


def main() -> int:  # pragma: no cover - manual preview
    import sys

    from garments.catalog import get_garment, load_catalog

    app = QApplication.instance() or QApplication(sys.argv)
    session = Session()
    for garment in list(load_catalog())[:2]:
        session.add_tryon(garment.id, size_names(garment)[0])
    panel = TryOnPanel(session, get_garment)
    panel.resize(420, 640)
    panel.show()
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
