"""The shopper's whole desktop flow, as they see it: measurements, avatar, try-on, size, cart, order, export."""

import csv
import json

import pytest
from PySide6.QtWidgets import QFileDialog

from app.gui.main_window import TAB_CART, TAB_CATALOG, TAB_TRYON, MainWindow
from app.gui.panels.tryon import RECOMMENDED_MARK

pytestmark = pytest.mark.body


def test_whole_flow(qtbot, tmp_path, monkeypatch):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.garments) and window.session.avatar is not None, timeout=60000)

    panel = window.measurements_panel
    for name, text in (("stature", "172"), ("chest_girth", "94"), ("waist_girth", "78"), ("hip_girth", "101")):
        qtbot.keyClicks(panel.edits[name], text)
    panel.build_button.click()
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    assert "Avatar built" in panel.status.text()

    window.tabs.setCurrentIndex(TAB_CATALOG)
    qtbot.keyClicks(window.catalog_panel.search, "t-shirt")
    assert window.catalog_panel.visible_ids() == ["crew-tee"]
    window.catalog_panel.select("crew-tee")
    window.catalog_panel.try_button.click()
    assert window.tabs.currentIndex() == TAB_TRYON
    tryon = window.tryon_panel
    qtbot.waitUntil(lambda: "crew-tee" in window.session.advice, timeout=120000)
    marked = [t for t in tryon.size_texts() if t.endswith(RECOMMENDED_MARK)]
    assert len(marked) == 1  # exactly one size is marked as recommended
    assert tryon.advice_label.text() and tryon.zones.rowCount() > 0
    assert window.view.content is not None and len(window.view.content.garments) == 1

    other = next(s for s in ("S", "XL", "L") if s + RECOMMENDED_MARK not in tryon.size_texts()
                 and s in [t.split(" ")[0] for t in tryon.size_texts()])
    tryon.choose_size(other)
    qtbot.waitUntil(lambda: getattr(window.session.drapes.get("crew-tee"), "size", None) == other, timeout=120000)
    assert tryon.list_texts()[0].startswith(f"Crew-neck T-shirt — {other}")
    tryon.cart_button.click()
    assert "Added Crew-neck T-shirt" in window.banner.text()
    assert window.tabs.tabText(TAB_CART) == "Cart (1)"

    window.tabs.setCurrentIndex(TAB_CART)
    cart = window.cart_panel
    cart.quantity_box(0).setValue(2)
    assert cart.total_label.text() == "Total: 39.90 EUR"
    cart.consent.setChecked(True)
    with qtbot.waitSignal(cart.order_placed, timeout=10000) as placed:
        cart.place_button.click()
    order = placed.args[0]
    assert f"Order {order.order_id} placed" in cart.order_label.text()
    assert dict(order.measurements)["waist_girth"] == 78.0

    for fmt in ("json", "csv", "pdf"):
        out = tmp_path / f"order.{fmt}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=out, **k: (str(o), ""))
        cart.export_buttons[fmt].click()
        assert out.exists() and str(out) in window.banner.text()
    data = json.loads((tmp_path / "order.json").read_text())
    assert data["items"][0]["size"] == other and data["items"][0]["quantity"] == 2
    assert data["measurements"]["stature"] == 172.0
    rows = list(csv.DictReader((tmp_path / "order.csv").open()))
    assert len(rows) == 1 and rows[0]["size"] == other
    pdf = (tmp_path / "order.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Image" in pdf  # the receipt carries the avatar's picture
    window.close()
