"""Catalog, try-on and cart panels, each alone, as a shopper uses them."""

import csv
import json

import pytest

from app.gui.panels.cart import CartPanel
from app.gui.panels.catalog import ALL, CatalogPanel
from app.gui.panels.tryon import RECOMMENDED_MARK, TryOnPanel
from app.gui.session import Session
from tests.gui_fakes import GARMENTS, fit, lookup


def test_catalog_filters_by_category_and_search(qtbot):
    panel = CatalogPanel(GARMENTS)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.visible_ids() == ["tee", "chino", "wrap-dress"]
    assert [panel.category.itemText(i) for i in range(panel.category.count())] == [ALL, "Dress", "Top", "Trousers"]
    panel.category.setCurrentText("Trousers")
    assert panel.visible_ids() == ["chino"]
    panel.category.setCurrentText(ALL)
    qtbot.keyClicks(panel.search, "red")  # colours are searchable too
    assert panel.visible_ids() == ["wrap-dress"]
    panel.search.clear()
    qtbot.keyClicks(panel.search, "parka")
    assert panel.visible_ids() == [] and panel.empty_label.isVisible()
    panel.search.clear()
    assert not panel.list.item(0).icon().isNull()  # a thumbnail for every garment


def test_catalog_try_on_emits_the_garment(qtbot):
    panel = CatalogPanel(GARMENTS)
    qtbot.addWidget(panel)
    panel.select("chino")
    with qtbot.waitSignal(panel.try_on) as blocker:
        panel.try_button.click()
    assert blocker.args == ["chino"]


def test_thumbnail_uses_the_garment_colour(qtbot):
    panel = CatalogPanel(GARMENTS)
    qtbot.addWidget(panel)
    image = panel.thumbnail(GARMENTS[2]).toImage()
    centre = image.pixelColor(image.width() // 2, int(image.height() * 0.6))
    assert (centre.red(), centre.green(), centre.blue()) == (0xB0, 0x2A, 0x30)


@pytest.fixture
def tryon(qtbot):
    session = Session()
    panel = TryOnPanel(session, lookup)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_tryon_lists_marks_recommended_size_and_changes_size(qtbot, tryon):
    s = tryon.session
    assert tryon.empty_label.isVisible()
    s.add_tryon("tee", "M", "navy")
    s.add_tryon("chino", "L", "sand")
    assert tryon.list_texts() == ["Cotton tee — M, navy", "Slim chino — L, sand"]
    assert s.selected == "chino"
    s.set_all_advice({"chino": fit("M", {"S": {"waist": (-4.0, 0.04, "won't close"), "hip": (1.0, 0.0, "snug")},
                                         "M": {"waist": (3.1, 0.0, "snug"), "hip": (5.0, 0.0, "comfortable")},
                                         "L": {"waist": (6.6, 0.0, "comfortable"), "hip": (9.0, 0.0, "loose")}},
                                   reasons=("M fits: waist +3.1 cm (snug); hip +5.0 cm (comfortable)",),
                                   probabilities={"S": 0.0, "M": 0.8, "L": 0.2, "none": 0.0})})
    assert tryon.size_texts() == ["S", "M" + RECOMMENDED_MARK, "L"]
    assert "We recommend M" in tryon.advice_label.text()
    assert "waist +3.1 cm (snug)" in tryon.advice_label.text()
    assert "M 80 %, L 20 %" in tryon.advice_label.text()
    tryon.choose_size("M")
    assert s.item("chino").size == "M"
    assert tryon.list_texts()[1] == "Slim chino — M, sand  ★"
    assert "M is the recommended size" in tryon.advice_label.text()
    rows = [tuple(tryon.zones.item(r, c).text() for c in range(5)) for r in range(tryon.zones.rowCount())]
    assert rows == [("Waist", "+3.1 cm", "—", "—", "snug"), ("Hip", "+5.0 cm", "—", "—", "comfortable")]
    assert "won't fit" not in tryon.advice_label.text()
    tryon.choose_size("S")  # a size too small says so, with the stretch it would need
    assert "S won't fit at the waist" in tryon.advice_label.text() and "4.0 %" in tryon.advice_label.text()
    assert tryon.zones.item(0, 4).text() == "won't close" and tryon.zones.item(0, 2).text() == "4.0 %"


def test_tryon_colour_remove_and_add_to_cart(qtbot, tryon):
    s = tryon.session
    s.add_tryon("tee", "S", "navy")
    tryon.colour_box.setCurrentIndex(1)
    tryon.colour_box.activated.emit(1)  # the shopper picks the second colour
    assert s.item("tee").colour == "white"
    with qtbot.waitSignal(tryon.info) as blocker:
        tryon.cart_button.click()
    assert blocker.args == ["Added Cotton tee (S) to the cart"]
    assert s.cart_json() == {"items": [{"garment": "tee", "size": "S", "quantity": 1, "colour": "white"}]}
    tryon.remove_button.click()
    assert s.tryon == () and tryon.empty_label.isVisible()


@pytest.fixture
def cart(qtbot):
    session = Session()
    panel = CartPanel(session, lookup)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_cart_total_quantity_and_remove(qtbot, cart):
    s = cart.session
    assert cart.empty_label.isVisible() and not cart.place_button.isEnabled()
    s.add_to_cart("tee", "M", "navy")
    s.add_to_cart("chino", "L", "sand")
    assert cart.total_label.text() == "Total: 78.90 EUR"
    cart.quantity_box(0).setValue(3)
    assert s.cart[0].quantity == 3
    assert cart.total_label.text() == "Total: 118.70 EUR"
    cart.table.cellWidget(1, 5).click()
    assert len(s.cart) == 1 and cart.table.rowCount() == 1


def test_place_order_without_consent_keeps_no_measurements_and_exports(qtbot, cart, tmp_path):
    s = cart.session
    s.set_measurements({"stature": 170.0, "waist_girth": 75.0})
    s.add_to_cart("wrap-dress", "M", "red", 2)
    with qtbot.waitSignal(cart.order_placed) as blocker:
        cart.place_button.click()
    order = blocker.args[0]
    assert order.total == pytest.approx(179.0) and order.measurements is None
    assert s.cart == () and cart.empty_label.isVisible()
    assert order.order_id in cart.order_label.text() and "179.00 EUR" in cart.order_label.text()
    assert cart.export_row.isVisible()
    cart.export("json", tmp_path / "o.json")
    data = json.loads((tmp_path / "o.json").read_text())
    assert data["order_id"] == order.order_id and "measurements" not in data
    assert data["items"][0]["sku"] == "WRAP-DRESS-M" and data["items"][0]["quantity"] == 2
    cart.export("csv", tmp_path / "o.csv")
    rows = list(csv.DictReader((tmp_path / "o.csv").open()))
    assert len(rows) == 1
    cart.export("pdf", tmp_path / "o.pdf")
    assert (tmp_path / "o.pdf").read_bytes().startswith(b"%PDF")


def test_place_order_with_consent_keeps_measurements(qtbot, cart):
    s = cart.session
    s.set_measurements({"stature": 170.0})
    s.add_to_cart("tee", "S")
    cart.consent.setChecked(True)
    with qtbot.waitSignal(cart.order_placed) as blocker:
        cart.place_button.click()
    assert dict(blocker.args[0].measurements) == {"stature": 170.0}
    assert not cart.consent.isChecked()  # consent is asked again for the next order


def test_unknown_garment_shows_error_and_keeps_cart(qtbot, cart):
    cart.session.add_to_cart("ghost", "M")
    with qtbot.waitSignal(cart.error) as blocker:
        cart.place_button.click()
    assert "ghost" in blocker.args[0] and "not in the catalog" in blocker.args[0]
    assert len(cart.session.cart) == 1


def test_cart_prices_as_the_order_does_and_a_new_cart_hides_the_last_order(qtbot, cart):
    s = cart.session
    s.add_to_cart("tee", "M", "navy")
    s.add_to_cart("ghost", "M")  # a garment gone from the catalog: shown, priced "?", with the order's reason
    assert cart.table.item(1, 4).text() == "?" and "not in the catalog" in cart.table.item(1, 4).toolTip()
    assert cart.total_label.text().startswith("No total: cart item 2")
    s.remove_line(1)
    assert cart.total_label.text() == "Total: 19.90 EUR"
    with qtbot.waitSignal(cart.order_placed):
        cart.place_button.click()
    assert cart.export_row.isVisibleTo(cart) and cart.order_label.text()
    s.add_to_cart("chino", "L", "sand")  # the next cart: the placed order's lines and exports go
    assert s.last_order is None and not cart.export_row.isVisibleTo(cart) and not cart.order_label.text()
