"""Orders: cart checks against a catalog, money, the JSON Schema, the SQLite store (also under
kill -9) and the exports (JSON, CSV, PDF receipt)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.orders import constants
from app.orders.export import export_order, order_csv_text, order_json_text, receipt_pdf_bytes
from app.orders.cart import Cart, CartItem, load_cart, parse_cart
from app.orders.errors import OrderError
from app.orders.pricing import build_order, price_cart
from app.orders.schema import DRAFT_2020_12, OrderSchemaError, order_schema, schema_errors, validate_order
from app.orders.store import OrderStore

REPO = Path(__file__).resolve().parents[1]


def _garment(gid, name, price, currency="EUR", sizes=("XS", "S", "M", "L", "XL"), colours=("white", "navy")):
    return SimpleNamespace(
        id=gid, name=name, category="top", price=price, currency=currency,
        sizes=tuple(SimpleNamespace(name=s, sku=f"{gid.upper()}-{s}", finished={}) for s in sizes),
        colours=tuple(SimpleNamespace(name=c, rgb=(0.5, 0.5, 0.5)) for c in colours),
    )


CATALOG = {
    "tee-classic": _garment("tee-classic", "Classic tee", 19.9),
    "jeans-slim": _garment("jeans-slim", "Slim jeans", 59.95, sizes=("28", "30", "32", "34"), colours=("indigo",)),
    "coat-wool": _garment("coat-wool", "Wool coat", 0.1, colours=()),
    "dress-usd": _garment("dress-usd", "Summer dress", 45.0, currency="USD"),
}


def lookup(garment_id):
    return CATALOG[garment_id]  # KeyError for an unknown id, as the real catalog's GarmentNotFound


def cart(*items):
    return parse_cart({"items": [dict(item) for item in items]})


# -- carts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, expected", [
    ([], "must be a JSON object"),
    ({"lines": []}, "must be a JSON object with an \"items\" list"),
    ({"items": []}, "has no items"),
    ({"items": {}}, "\"items\" must be a list"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": 1}], "extra": 1}, "unknown field \"extra\""),
    ({"items": ["tee"]}, "cart item 1 must be an object"),
    ({"items": [{"garment": "tee-classic", "quantity": 1}]}, "cart item 1: missing field \"size\""),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": 1}, {"size": "M", "quantity": 1}]},
     "cart item 2: missing field \"garment\""),
    ({"items": [{"garment": "tee-classic", "size": "M"}]}, "cart item 1: missing field \"quantity\""),
    ({"items": [{"garment": "tee-classic", "size": "M", "qty": 1, "quantity": 1}]}, "cart item 1: unknown field \"qty\""),
    ({"items": [{"garment": 7, "size": "M", "quantity": 1}]}, "cart item 1: garment must be a non-empty string"),
    ({"items": [{"garment": "tee-classic", "size": "", "quantity": 1}]}, "cart item 1: size must be a non-empty"),
    ({"items": [{"garment": "tee-classic", "size": "M", "colour": 3, "quantity": 1}]}, "cart item 1: colour must be"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": 0}]}, "cart item 1: quantity 0 is below 1"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": -2}]}, "quantity -2 is below 1"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": 100}]}, "quantity 100 is more than 99"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": 1.5}]}, "quantity 1.5 is not a whole number"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": 2.0}]}, "must be written as a whole number"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": "2"}]}, "quantity \"2\" is not a whole number"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": True}]}, "quantity true is not a whole number"),
    ({"items": [{"garment": "tee-classic", "size": "M", "quantity": None}]}, "quantity null is not a whole number"),
])
def test_malformed_carts_name_the_item_and_field(data, expected):
    with pytest.raises(OrderError) as info:
        parse_cart(data)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_too_many_lines_are_refused():
    item = {"garment": "tee-classic", "size": "M", "quantity": 1}
    with pytest.raises(OrderError, match=f"more than {constants.MAX_CART_LINES}"):
        parse_cart({"items": [item] * (constants.MAX_CART_LINES + 1)})


def test_cart_file_errors(tmp_path):
    with pytest.raises(OrderError, match="does not exist"):
        load_cart(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"items": [ {"garment": "tee-classic",, } ]}')
    with pytest.raises(OrderError, match=r"is not valid JSON \(.*line 1 column \d+"):
        load_cart(broken)
    good = tmp_path / "cart.json"
    good.write_text(json.dumps({"items": [{"garment": "tee-classic", "size": "M", "colour": "navy", "quantity": 2}]}))
    assert load_cart(good) == Cart((CartItem("tee-classic", "M", 2, "navy"),))
    assert load_cart(good).to_json() == json.loads(good.read_text())


@pytest.mark.parametrize("item, expected", [
    ({"garment": "tee-clasic", "size": "M", "quantity": 1},
     'cart item 1: garment "tee-clasic" is not in the catalog; see \'fitting-room garment list\' for the ids'),
    ({"garment": "tee-classic", "size": "XXL", "quantity": 1},
     'cart item 1: size "XXL" is not offered for tee-classic; choose one of XS, S, M, L, XL'),
    ({"garment": "tee-classic", "size": "M", "colour": "red", "quantity": 1},
     'cart item 1: colour "red" is not offered for tee-classic; choose one of white, navy'),
    ({"garment": "coat-wool", "size": "M", "colour": "red", "quantity": 1},
     'cart item 1: colour "red" is not offered for coat-wool; leave colour out'),
])
def test_catalog_checks_name_item_field_and_fix(item, expected):
    with pytest.raises(OrderError) as info:
        price_cart(cart(item), lookup)
    assert str(info.value) == expected


def test_second_item_is_named_and_currencies_do_not_mix():
    ok = {"garment": "tee-classic", "size": "M", "quantity": 1}
    with pytest.raises(OrderError, match=r'^cart item 2: size "XXL" is not offered for tee-classic'):
        price_cart(cart(ok, {**ok, "size": "XXL"}), lookup)
    with pytest.raises(OrderError, match=r"^cart item 2: dress-usd is priced in USD but the items before it in EUR"):
        price_cart(cart(ok, {"garment": "dress-usd", "size": "S", "quantity": 1}), lookup)


def test_pricing_is_exact_decimal_with_catalog_names_and_defaults():
    currency, lines, total = price_cart(cart(
        {"garment": "tee-classic", "size": "m", "colour": "NAVY", "quantity": 3},
        {"garment": "jeans-slim", "size": "32", "quantity": 1},
        {"garment": "coat-wool", "size": "L", "quantity": 3},
    ), lookup)
    assert currency == "EUR"
    tee, jeans, coat = lines
    assert (tee.size, tee.colour, tee.sku, tee.name) == ("M", "navy", "TEE-CLASSIC-M-NAVY", "Classic tee")
    assert tee.unit_price == Decimal("19.90") and tee.line_total == Decimal("59.70")
    assert jeans.colour == "indigo"  # no colour given: the garment's first (default) colour
    assert coat.colour is None and coat.line_total == Decimal("0.30")  # 0.1 * 3 exactly, not 0.30000000000000004
    assert total == Decimal("119.95")
    assert str(total) == "119.95"


def test_price_rounding_half_up():
    CATALOG["odd"] = _garment("odd", "Odd price", 10.005)
    try:
        (line,) = price_cart(cart({"garment": "odd", "size": "M", "quantity": 1}), lookup)[1]
    finally:
        del CATALOG["odd"]
    assert line.unit_price == Decimal("10.01")


def test_measurements_only_with_consent():
    c = cart({"garment": "tee-classic", "size": "M", "quantity": 1})
    with pytest.raises(OrderError, match="only with the shopper's consent"):
        build_order(c, catalog_lookup=lookup, measurements={"chest_girth": 96.0})
    with pytest.raises(OrderError, match="consent was given but no measurements"):
        build_order(c, catalog_lookup=lookup, consent=True)
    without = build_order(c, catalog_lookup=lookup)
    assert "measurements" not in without.to_json()
    withm = build_order(c, catalog_lookup=lookup, consent=True, measurements={"chest_girth": 96, "stature": 170.5})
    assert withm.to_json()["measurements"] == {"chest_girth": 96.0, "stature": 170.5}
    with pytest.raises(OrderError, match="give a positive number"):
        build_order(c, catalog_lookup=lookup, consent=True, measurements={"chest_girth": float("nan")})


def test_order_ids_follow_the_pattern_and_differ():
    c = cart({"garment": "tee-classic", "size": "M", "quantity": 1})
    moment = datetime(2026, 11, 22, 23, 59, 59, tzinfo=timezone.utc)
    ids = {build_order(c, catalog_lookup=lookup, now=moment).order_id for _ in range(2000)}
    assert len(ids) == 2000
    import re

    assert all(re.match(constants.ORDER_ID_PATTERN, i) and i.startswith("FR-20261122-") for i in ids)


# -- schema ------------------------------------------------------------------------------------


def sample_order(**kw):
    c = cart({"garment": "tee-classic", "size": "M", "quantity": 2}, {"garment": "jeans-slim", "size": "30", "quantity": 1})
    return build_order(c, catalog_lookup=lookup, **kw)


def test_schema_is_draft_2020_12_and_matches_the_limits():
    schema = order_schema()
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["properties"]["order_id"]["pattern"] == constants.ORDER_ID_PATTERN
    line = schema["$defs"]["line"]
    assert line["properties"]["quantity"]["maximum"] == constants.MAX_QUANTITY
    assert line["properties"]["quantity"]["minimum"] == constants.MIN_QUANTITY
    assert schema["properties"]["items"]["maxItems"] == constants.MAX_CART_LINES
    assert schema["properties"]["fit_notes"]["maxLength"] == constants.MAX_NOTES_CHARS
    assert set(line["required"]) == {"sku", "garment_id", "name", "size", "colour", "quantity", "unit_price", "line_total"}


def test_exported_json_follows_the_schema_with_two_decimals():
    order = sample_order(fit_notes="Roomy in the chest", consent=True, measurements={"chest_girth": 96})
    text = order_json_text(order)
    assert '"unit_price": 19.90' in text and '"total": 99.75' in text
    obj = json.loads(text, parse_float=Decimal)
    validate_order(obj)
    assert obj["total"] == Decimal("99.75") and isinstance(json.loads(text)["total"], float)
    assert obj["created_at"].endswith("Z")
    assert obj["fit_notes"] == "Roomy in the chest"
    assert [i["sku"] for i in obj["items"]] == ["TEE-CLASSIC-M-WHITE", "JEANS-SLIM-30-INDIGO"]


@pytest.mark.parametrize("mutate, expected", [
    (lambda o: o.pop("total"), 'missing required field "total"'),
    (lambda o: o.update(extra=1), 'unknown field "extra"'),
    (lambda o: o.update(created_at="2026-11-22 19:40"), "order.created_at"),
    (lambda o: o.update(created_at="2026-11-22T19:40:00+01:00"), "order.created_at"),
    (lambda o: o.update(currency="eur"), "order.currency"),
    (lambda o: o.update(order_id="FR-2026-1"), "order.order_id"),
    (lambda o: o.update(items=[]), "order.items: needs at least 1"),
    (lambda o: o["items"][0].pop("sku"), 'order.items[0]: missing required field "sku"'),
    (lambda o: o["items"][0].update(quantity=0), "order.items[0].quantity: 0 is below the minimum 1"),
    (lambda o: o["items"][0].update(quantity=1.5), "order.items[0].quantity"),
    (lambda o: o["items"][1].update(unit_price="59.95"), "order.items[1].unit_price"),
    (lambda o: o.update(measurements={}), "order.measurements: needs at least 1"),
    (lambda o: o.update(measurements={"chest_girth": -3}), "order.measurements.chest_girth"),
    (lambda o: o.update(total=Decimal("99.70")), "order.total: 99.70 is not the sum"),
    (lambda o: o["items"][0].update(line_total=Decimal("39.81")), "order.items[0].line_total"),
    (lambda o: o["items"][0].update(unit_price=19.901), "has more than two decimals"),
])
def test_schema_rejects_broken_orders(mutate, expected):
    obj = json.loads(order_json_text(sample_order()), parse_float=Decimal)
    mutate(obj)
    with pytest.raises(OrderSchemaError) as info:
        validate_order(obj)
    assert expected in str(info.value)


def test_schema_validator_refuses_unknown_keywords():
    from app.orders import schema as schema_module

    with pytest.raises(ValueError, match="not supported"):
        schema_module._check_keywords({"type": "object", "properties": {"a": {"oneOf": []}}}, "#")
    assert schema_errors(1.0, {"type": "integer"}) == []  # 2020-12: 1.0 is an integer
    assert schema_errors(True, {"type": "number"}) != []


# -- store -------------------------------------------------------------------------------------


def test_store_is_wal_under_data_root_and_round_trips(_home):
    store = OrderStore()
    assert store.path == _home / "orders.sqlite3"
    order = store.place(cart({"garment": "tee-classic", "size": "S", "colour": "navy", "quantity": 4}),
                        catalog_lookup=lookup, fit_notes="  snug  ", consent=True, measurements={"waist_girth": 80})
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = OrderStore().get(order.order_id)
    assert again == order
    assert again.fit_notes == "snug"
    assert order_json_text(again) == order_json_text(order)
    assert store.check_integrity() == []
    with pytest.raises(OrderError, match="there is no order FR-20000101-AAAAAA"):
        store.get("FR-20000101-AAAAAA")


def test_delete_my_data_erases_measurements_kept_with_orders(_home):
    store = OrderStore()
    order = store.place(cart({"garment": "tee-classic", "size": "S", "quantity": 1}), catalog_lookup=lookup,
                        consent=True, measurements={"waist_girth": 83.17})
    plain = store.place(cart({"garment": "tee-classic", "size": "M", "quantity": 1}), catalog_lookup=lookup)
    assert store.forget_personal_data() == (1, 0)
    assert store.get(order.order_id).measurements is None
    assert store.get(plain.order_id) == plain
    assert len(store.get(order.order_id).lines) == 1
    leftovers = b"".join(f.read_bytes() for f in _home.glob("orders.sqlite3*"))
    assert b"83.17" not in leftovers


def test_list_is_newest_first():
    store = OrderStore()
    start = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
    c = cart({"garment": "tee-classic", "size": "M", "quantity": 1})
    placed = [store.place(c, catalog_lookup=lookup, now=start + timedelta(hours=h)) for h in (5, 1, 9)]
    same_second = [store.place(c, catalog_lookup=lookup, now=start + timedelta(hours=20)) for _ in range(2)]
    listed = [o.order_id for o in store.list()]
    expected = [same_second[1], same_second[0], placed[2], placed[0], placed[1]]
    assert listed == [o.order_id for o in expected]
    assert [o.order_id for o in store.list(limit=2)] == listed[:2]


def test_a_failure_inside_the_transaction_leaves_nothing(monkeypatch):
    from app.orders import store as store_module

    store = OrderStore()
    kept = store.place(cart({"garment": "tee-classic", "size": "M", "quantity": 1}), catalog_lookup=lookup)
    original = store_module._insert_line

    def failing(conn, order_id, line_no, line):
        if line_no == 2:
            raise sqlite3.OperationalError("disk I/O error")
        original(conn, order_id, line_no, line)

    monkeypatch.setattr(store_module, "_insert_line", failing)
    with pytest.raises(OrderError, match="disk I/O error.*nothing was stored"):
        store.place(cart({"garment": "tee-classic", "size": "M", "quantity": 1},
                         {"garment": "jeans-slim", "size": "30", "quantity": 1}), catalog_lookup=lookup, picture_png=PNG_1PX)
    assert [o.order_id for o in store.list()] == [kept.order_id]
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM order_lines").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM order_pictures").fetchone()[0] == 0
    assert store.check_integrity() == []


def test_taken_order_number_is_redrawn():
    store = OrderStore()
    first = store.place(cart({"garment": "tee-classic", "size": "M", "quantity": 1}), catalog_lookup=lookup)
    twin = replace(sample_order(), order_id=first.order_id)
    stored = store.add_new(twin)
    assert stored.order_id != first.order_id and stored.order_id.startswith("FR-")
    assert len(store.list()) == 2


def test_picture_is_kept_with_the_order_and_checked():
    store = OrderStore()
    order = store.place(cart({"garment": "tee-classic", "size": "M", "quantity": 1}), catalog_lookup=lookup,
                        picture_png=PNG_1PX)
    assert store.picture(order.order_id) == PNG_1PX
    with pytest.raises(OrderError, match="not a PNG"):
        store.place(cart({"garment": "tee-classic", "size": "M", "quantity": 1}), catalog_lookup=lookup,
                    picture_png=b"GIF89a")


def _png_bytes(size=(2, 2), colour=(255, 0, 255)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


PNG_1PX = _png_bytes()

# A child that places orders forever; with PAUSE_AT_LINE it stops inside the transaction of the
# second order after writing that many lines, and tells the parent by creating a file.
CRASH_CHILD = textwrap.dedent("""
    import os, sys, time
    from decimal import Decimal
    from datetime import datetime, timezone
    from app.orders import store as store_module
    from app.orders.model import Order, OrderLine, new_order_id

    pause_at = int(os.environ.get("PAUSE_AT_LINE", "0"))
    marker = os.environ["MARKER"]
    original = store_module._insert_line
    placed = 0

    def insert_line(conn, order_id, line_no, line):
        original(conn, order_id, line_no, line)
        if pause_at and placed == 1 and line_no == pause_at:
            open(marker, "w").close()
            time.sleep(60)

    store_module._insert_line = insert_line
    store = store_module.OrderStore()
    open(marker + ".ready", "w").close()
    while True:
        n = placed % 7 + 1
        lines = tuple(OrderLine(f"SKU-{i}", "tee", "Tee", "M", None, i + 1, Decimal("1.25"), Decimal("1.25") * (i + 1))
                      for i in range(n))
        now = datetime.now(timezone.utc)
        order = Order(new_order_id(now), now.replace(microsecond=0), "EUR", lines, sum(l.line_total for l in lines))
        store.add_new(order)
        placed += 1
""")


def _spawn_child(tmp_path, home, pause_at=0):
    marker = tmp_path / f"marker-{time.monotonic_ns()}"
    env = {**os.environ, "FITTING_ROOM_HOME": str(home), "PAUSE_AT_LINE": str(pause_at), "MARKER": str(marker)}
    proc = subprocess.Popen([sys.executable, "-c", CRASH_CHILD], cwd=REPO, env=env)
    return proc, marker


def _wait_for(path: Path, proc, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, "the child died early"
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


def _assert_whole(home):
    store = OrderStore(home / "orders.sqlite3")
    assert store.check_integrity() == []
    orders = store.list()
    for order in orders:  # reading checks the line count against the header too
        assert order.total == sum(line.line_total for line in order.lines)
        assert len(order.lines) >= 1
    return orders


def test_kill_9_inside_the_transaction_leaves_no_partial_order(tmp_path, _home):
    proc, marker = _spawn_child(tmp_path, _home, pause_at=2)
    try:
        _wait_for(marker, proc)  # the second order has 2 of its lines written, not committed
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    orders = _assert_whole(_home)
    assert len(orders) == 1 and len(orders[0].lines) == 1  # the first order only; nothing of the second
    with sqlite3.connect(_home / "orders.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM order_lines").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 1


def test_kill_9_at_random_moments_keeps_every_order_whole(tmp_path, _home):
    import random

    rng = random.Random(4)
    counts = []
    for _ in range(6):
        proc, marker = _spawn_child(tmp_path, _home)
        try:
            _wait_for(Path(str(marker) + ".ready"), proc)
            time.sleep(rng.uniform(0.02, 0.25))  # kill at an arbitrary moment of the write loop
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            proc.kill()
        counts.append(len(_assert_whole(_home)))
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0  # orders were written and none vanished


# -- exports -----------------------------------------------------------------------------------


def test_csv_has_one_row_per_line():
    import csv
    import io

    order = sample_order()
    rows = list(csv.DictReader(io.StringIO(order_csv_text(order))))
    assert len(rows) == len(order.lines) == 2
    assert rows[0]["sku"] == "TEE-CLASSIC-M-WHITE" and rows[0]["quantity"] == "2"
    assert rows[0]["unit_price"] == "19.90" and rows[0]["line_total"] == "39.80"
    assert rows[1]["colour"] == "indigo" and rows[1]["line_no"] == "2"
    assert {r["order_total"] for r in rows} == {"99.75"} and {r["order_id"] for r in rows} == {order.order_id}


def test_exports_are_atomic_and_refuse_unknown_formats(tmp_path):
    order = sample_order()
    out = tmp_path / "out" / "order.json"
    out.parent.mkdir()
    export_order(order, "json", out)
    before = out.read_bytes()
    with pytest.raises(OrderError, match="unknown export format \"xml\""):
        export_order(order, "xml", out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["order.json"]
    export_order(order, "csv", tmp_path / "out" / "order.csv")
    assert (tmp_path / "out" / "order.csv").read_text().count("\n") == 3


def _avatar_png(tmp_path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 450), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 40, 240, 420), fill=(255, 0, 255))  # a loud magenta the receipt has nowhere else
    path = tmp_path / "avatar.png"
    image.save(path)
    return path


def _pdf(path):
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc


def _magenta_pixels(doc, page=0) -> int:
    from PySide6.QtCore import QSize

    image = doc.render(page, QSize(420, 594))
    count = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            r, g, b, _ = image.pixelColor(x, y).getRgb()
            count += r > 200 and b > 200 and g < 80
    return count


def test_pdf_receipt_lists_lines_total_number_and_picture(qapp, tmp_path):
    order = sample_order(fit_notes="Tight at the shoulders", consent=True, measurements={"chest_girth": 96})
    out = export_order(order, "pdf", tmp_path / "receipt.pdf", picture=_avatar_png(tmp_path))
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    doc = _pdf(out)
    assert doc.pageCount() == 1
    text = doc.getAllText(0).text()
    for expected in (order.order_id, "Classic tee", "TEE-CLASSIC-M", "Slim jeans", "JEANS-SLIM-30", "39.80",
                     "59.95", "99.75 EUR", "Tight at the shoulders", "chest girth 96 cm"):
        assert expected in text, expected
    assert _magenta_pixels(doc) > 200  # the avatar picture is on the page

    plain = _pdf(export_order(order, "pdf", tmp_path / "plain.pdf"))
    assert _magenta_pixels(plain) == 0
    assert "chest girth" not in _pdf(export_order(sample_order(), "pdf", tmp_path / "nc.pdf")).getAllText(0).text()


def test_receipt_takes_a_qimage(qapp, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(120, 160, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 0, 255))
    path = tmp_path / "q.pdf"
    path.write_bytes(receipt_pdf_bytes(sample_order(), image))
    assert _magenta_pixels(_pdf(path)) > 200


def test_long_orders_continue_on_more_pages(qapp, tmp_path):
    many = cart(*[{"garment": "tee-classic", "size": "M", "quantity": 1}] * 60)
    order = build_order(many, catalog_lookup=lookup)
    data = receipt_pdf_bytes(order, PNG_1PX)
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    doc = _pdf(path)
    assert doc.pageCount() >= 3
    last = doc.getAllText(doc.pageCount() - 1).text()
    assert "Total 1,194.00 EUR" in last and f"page {doc.pageCount()}" in last


def test_unreadable_picture_is_a_clear_error(qapp, tmp_path):
    with pytest.raises(OrderError, match="does not exist"):
        receipt_pdf_bytes(sample_order(), tmp_path / "nope.png")
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(OrderError, match="cannot be read as an image"):
        receipt_pdf_bytes(sample_order(), bad)


def test_damaged_or_newer_stores_are_refused_with_a_message(tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OrderError, match="cannot open the order store .* move the damaged file away"):
        OrderStore(damaged)
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(OrderError, match="written by a newer fitting-room"):
        OrderStore(newer)


def test_a_navy_l_and_a_white_l_tee_have_their_own_skus_in_cart_order_store_and_exports(qapp, _home, tmp_path):
    import csv
    import io

    c = cart({"garment": "tee-classic", "size": "L", "colour": "navy", "quantity": 1},
             {"garment": "tee-classic", "size": "L", "colour": "white", "quantity": 1})
    skus = ["TEE-CLASSIC-L-NAVY", "TEE-CLASSIC-L-WHITE"]
    assert [line.sku for line in price_cart(c, lookup)[1]] == skus                       # the cart
    order = OrderStore().place(c, catalog_lookup=lookup)
    assert [line.sku for line in OrderStore().get(order.order_id).lines] == skus         # the order, stored
    assert [i["sku"] for i in json.loads(order_json_text(order))["items"]] == skus       # JSON export
    assert [r["sku"] for r in csv.DictReader(io.StringIO(order_csv_text(order)))] == skus  # CSV export
    text = _pdf(export_order(order, "pdf", tmp_path / "receipt.pdf")).getAllText(0).text()
    assert all(sku in text for sku in skus)                                              # the receipt


def test_an_order_placed_before_skus_named_the_colour_still_reads(_home):
    store = OrderStore()
    order = store.place(cart({"garment": "tee-classic", "size": "L", "colour": "navy", "quantity": 1}),
                        catalog_lookup=lookup)
    with sqlite3.connect(store.path) as conn:  # as an older version wrote it: the size's SKU only
        conn.execute("UPDATE order_lines SET sku = 'TEE-CLASSIC-L' WHERE order_id = ?", (order.order_id,))
    (line,) = OrderStore().get(order.order_id).lines
    assert (line.sku, line.colour) == ("TEE-CLASSIC-L", "navy")
    validate_order(json.loads(order_json_text(OrderStore().get(order.order_id))))
