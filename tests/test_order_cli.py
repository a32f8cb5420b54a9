"""``fitting-room order``: place, list, show, export and deliver, as a shopper or a shop would run them."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.cli import main
from app.orders.schema import validate_order

REPO = Path(__file__).resolve().parents[1]


def _garment(gid, name, price, sizes, colours):
    return SimpleNamespace(id=gid, name=name, category="top", price=price, currency="EUR",
                           sizes=tuple(SimpleNamespace(name=s, sku=f"{gid.upper()}-{s}", finished={}) for s in sizes),
                           colours=tuple(SimpleNamespace(name=c, rgb=(0.2, 0.2, 0.2)) for c in colours))


CATALOG = {
    "tee-classic": _garment("tee-classic", "Classic tee", 19.9, ("XS", "S", "M", "L", "XL"), ("white", "navy")),
    "chino": _garment("chino", "Chino trousers", 49.5, ("30", "32", "34"), ("sand",)),
}


def fake_lookup(garment_id):
    return CATALOG[garment_id]


@pytest.fixture
def catalog(monkeypatch):
    """The command line's catalog replaced by a small fake one."""
    monkeypatch.setattr("app.orders.pricing.default_catalog_lookup", fake_lookup)
    return CATALOG


def run(capsys, *argv):
    status = main(["order", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def write_cart(tmp_path, items, name="cart.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"items": items}))
    return path


TEE = {"garment": "tee-classic", "size": "M", "colour": "navy", "quantity": 2}
CHINO = {"garment": "chino", "size": "32", "quantity": 1}


def test_place_prints_the_order_and_list_show_agree(catalog, capsys, tmp_path, _home):
    status, out, err = run(capsys, "place", "--cart", write_cart(tmp_path, [TEE, CHINO]), "--notes", "long legs", "--json")
    assert status == 0 and err == ""
    order = json.loads(out, parse_float=Decimal)
    validate_order(order)
    assert [i["sku"] for i in order["items"]] == ["TEE-CLASSIC-M-NAVY", "CHINO-32-SAND"]
    assert order["total"] == Decimal("89.30") and order["currency"] == "EUR" and order["fit_notes"] == "long legs"
    assert "measurements" not in order
    assert (_home / "orders.sqlite3").exists()

    status, out, _ = run(capsys, "show", order["order_id"], "--json")
    assert status == 0 and json.loads(out, parse_float=Decimal) == order
    status, out, _ = run(capsys, "list", "--json")
    assert status == 0 and json.loads(out, parse_float=Decimal) == [order]


def test_list_is_newest_first(catalog, capsys, tmp_path):
    ids = []
    for n in (1, 2, 3):
        _, out, _ = run(capsys, "place", "--cart", write_cart(tmp_path, [{**TEE, "quantity": n}]), "--json")
        ids.append(json.loads(out)["order_id"])
    status, out, _ = run(capsys, "list", "--json")
    listed = json.loads(out)
    assert status == 0 and [o["order_id"] for o in listed] == ids[::-1]
    assert [o["items"][0]["quantity"] for o in listed] == [3, 2, 1]
    status, out, _ = run(capsys, "list")
    assert status == 0 and out.splitlines()[0].startswith(ids[2]) and "pending" in out


def test_measurements_only_with_consent(catalog, capsys, tmp_path, _home):
    measurements = tmp_path / "me.json"
    measurements.write_text(json.dumps({"measurements": {"stature": 172, "chest_girth": 94}, "sex": "female"}))
    cart = write_cart(tmp_path, [TEE])
    status, out, err = run(capsys, "place", "--cart", cart, "--measurements", measurements, "--json")
    assert status == 2 and out == ""
    assert err.startswith("error: measurements are kept with an order only with the shopper's consent")
    assert not (_home / "orders.sqlite3").exists()

    status, out, _ = run(capsys, "place", "--cart", cart, "--consent", "--measurements", measurements, "--json")
    assert status == 0
    assert json.loads(out)["measurements"] == {"stature": 172.0, "chest_girth": 94.0}


@pytest.mark.parametrize("content, expected", [
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": 1}', "is not valid JSON (Expecting ',' delimiter: line 1"),
    ('{"items": []}', "has no items"),
    ('{"items": [{"garment": "tee-classic", "size": "M"}]}', 'cart item 1: missing field "quantity"'),
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": 1}, {"garment": "hat", "size": "M", "quantity": 1}]}',
     'cart item 2: garment "hat" is not in the catalog'),
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": 1}, {"garment": "tee-classic", "size": "XXL", '
     '"quantity": 1}]}', 'cart item 2: size "XXL" is not offered for tee-classic; choose one of XS, S, M, L, XL'),
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": 0}]}', "cart item 1: quantity 0 is below 1"),
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": 500}]}', "cart item 1: quantity 500 is more than 99"),
    ('{"items": [{"garment": "tee-classic", "size": "M", "colour": "red", "quantity": 1}]}',
     'cart item 1: colour "red" is not offered for tee-classic; choose one of white, navy'),
])
def test_bad_carts_exit_2_with_one_line_and_write_nothing(catalog, capsys, tmp_path, _home, content, expected):
    cart = tmp_path / "cart.json"
    cart.write_text(content)
    status, out, err = run(capsys, "place", "--cart", cart, "--json")
    assert status == 2 and out == ""
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1
    assert not _home.exists() or list(_home.iterdir()) == []


def test_export_json_csv_pdf_with_the_stored_picture(catalog, capsys, tmp_path, qapp):
    from PIL import Image

    picture = tmp_path / "avatar.png"
    Image.new("RGB", (200, 300), (255, 0, 255)).save(picture)
    _, out, _ = run(capsys, "place", "--cart", write_cart(tmp_path, [TEE, CHINO]), "--avatar-picture", picture, "--json")
    order_id = json.loads(out)["order_id"]

    assert run(capsys, "export", order_id, "--format", "json", "--out", tmp_path / "o.json")[0] == 0
    assert json.loads((tmp_path / "o.json").read_text()) == json.loads(out)
    assert run(capsys, "export", order_id, "--format", "csv", "--out", tmp_path / "o.csv")[0] == 0
    rows = (tmp_path / "o.csv").read_text().splitlines()
    assert len(rows) == 3 and rows[0].startswith("order_id,") and "CHINO-32" in rows[2]
    status, _, err = run(capsys, "export", order_id, "--format", "pdf", "--out", tmp_path / "sub" / "o.pdf")
    assert status == 2 and "folder" in err and "does not exist" in err  # no folder chains made silently
    (tmp_path / "sub").mkdir()
    status, _, err = run(capsys, "export", order_id, "--format", "pdf", "--out", tmp_path / "sub" / "o.pdf")
    assert status == 0 and "wrote" in err
    pdf = tmp_path / "sub" / "o.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")

    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    doc.load(str(pdf))
    assert doc.pageCount() == 1 and order_id in doc.getAllText(0).text()
    image = doc.render(0, QSize(210, 297))
    pixels = [image.pixelColor(x, y).getRgb() for x in range(210) for y in range(0, 297, 2)]
    magenta = sum(r > 200 and b > 200 and g < 80 for r, g, b, _ in pixels)
    assert magenta > 100  # the picture kept with the order is on the receipt


def test_unknown_order_and_bad_format(catalog, capsys, tmp_path):
    status, _, err = run(capsys, "export", "FR-20260101-AAAAAA", "--format", "json", "--out", tmp_path / "x.json")
    assert status == 2 and "there is no order FR-20260101-AAAAAA" in err and not (tmp_path / "x.json").exists()
    with pytest.raises(SystemExit) as info:
        main(["order", "export", "FR-20260101-AAAAAA", "--format", "xml", "--out", str(tmp_path / "x")])
    assert info.value.code == 2
    assert run(capsys, "show", "nope")[0] == 2


class _Shop(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Idempotency-Key"], json.loads(body)["order_id"]))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def shop(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    _Shop.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Shop)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}/orders", received=_Shop.received)
    server.shutdown()
    server.server_close()


def test_deliver_from_the_config_endpoint(catalog, capsys, tmp_path, _home, shop):
    status, _, err = run(capsys, "deliver")
    assert status == 2 and "no order endpoint" in err
    _, out, _ = run(capsys, "place", "--cart", write_cart(tmp_path, [TEE]), "--json")
    order_id = json.loads(out)["order_id"]
    (_home / "config.json").write_text(json.dumps({"order_endpoint": shop.url}))
    status, out, _ = run(capsys, "deliver", "--json")
    assert status == 0 and json.loads(out)["delivered"] == [order_id]
    assert shop.received == [(order_id, order_id)]
    status, out, _ = run(capsys, "deliver", "--json")  # nothing is sent twice
    assert status == 0 and json.loads(out)["delivered"] == [] and len(shop.received) == 1


def test_deliver_reports_pending_orders_with_status_1(catalog, capsys, tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _, out, _ = run(capsys, "place", "--cart", write_cart(tmp_path, [TEE]), "--json")
    order_id = json.loads(out)["order_id"]
    status, out, _ = run(capsys, "deliver", "--endpoint", f"http://127.0.0.1:{port}/orders")
    assert status == 1 and out.startswith(f"pending   {order_id}  cannot reach")


def test_real_process_exits_2_without_a_traceback(tmp_path):
    cart = tmp_path / "cart.json"
    cart.write_text('{"items": [{"garment": "tee-classic", "size": "M", "quantity": -1}]}')
    result = subprocess.run([sys.executable, "-m", "app", "order", "place", "--cart", str(cart), "--json"],
                            cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "error: cart item 1: quantity -1 is below 1; use a whole number from 1 to 99 (remove the item instead)\n"


# -- with the real built-in catalog ----------------------------------------------------------------


def run_process(*argv, home):
    env = {**__import__("os").environ, "FITTING_ROOM_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "app", "order", *map(str, argv)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_real_catalog_order_is_priced_from_the_catalog(tmp_path, _home):
    from garments.catalog import get_garment
    from garments.skus import variant_sku

    tee, chino = get_garment("crew-tee"), get_garment("slim-chino")
    size_tee, size_chino = tee.sizes[len(tee.sizes) // 2], chino.sizes[0]
    cart = write_cart(tmp_path, [
        {"garment": "crew-tee", "size": size_tee.name, "colour": tee.colours[-1].name, "quantity": 2},
        {"garment": "slim-chino", "size": size_chino.name, "quantity": 1},
    ])
    result = run_process("place", "--cart", cart, "--json", home=_home)
    assert result.returncode == 0, result.stderr
    order = json.loads(result.stdout, parse_float=Decimal)
    validate_order(order)
    first, second = order["items"]
    assert (first["sku"], first["name"], first["colour"]) == (variant_sku(size_tee.sku, tee.colours[-1].name), tee.name,
                                                           tee.colours[-1].name)
    assert (second["sku"], second["colour"]) == (variant_sku(size_chino.sku, chino.colours[0].name), chino.colours[0].name)
    unit_tee = Decimal(repr(tee.price)).quantize(Decimal("0.01"))
    unit_chino = Decimal(repr(chino.price)).quantize(Decimal("0.01"))
    assert first["unit_price"] == unit_tee and first["line_total"] == 2 * unit_tee
    assert order["total"] == 2 * unit_tee + unit_chino and order["currency"] == tee.currency

    listed = run_process("list", "--json", home=_home)
    assert [o["order_id"] for o in json.loads(listed.stdout)] == [order["order_id"]]


def test_real_catalog_refusals_name_item_field_and_choices(tmp_path, _home):
    from garments.catalog import get_garment

    offered = ", ".join(s.name for s in get_garment("crew-tee").sizes)
    ok = {"garment": "crew-tee", "size": get_garment("crew-tee").sizes[0].name, "quantity": 1}
    for items, expected in [
        ([ok, {**ok, "size": "XXXL"}], f'error: cart item 2: size "XXXL" is not offered for crew-tee; choose one of {offered}\n'),
        ([{**ok, "garment": "crew-tea"}], 'error: cart item 1: garment "crew-tea" is not in the catalog; '
                                          "see 'fitting-room garment list' for the ids\n"),
        ([{**ok, "colour": "tartan"}], 'error: cart item 1: colour "tartan" is not offered for crew-tee; choose one of '
                                       + ", ".join(c.name for c in get_garment("crew-tee").colours) + "\n"),
    ]:
        result = run_process("place", "--cart", write_cart(tmp_path, items), "--json", home=_home)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", expected)
    assert not _home.exists() or not (_home / "orders.sqlite3").exists()


def test_pdf_export_needs_no_display_and_exits_cleanly(tmp_path, _home):
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["FITTING_ROOM_HOME"] = str(_home)
    cart = write_cart(tmp_path, [{"garment": "crew-tee", "size": "M", "quantity": 1}] * 40)  # two pages of lines

    def order(*argv):
        return subprocess.run([sys.executable, "-m", "app", "order", *map(str, argv)], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)

    placed = order("place", "--cart", cart, "--json")
    assert placed.returncode == 0, placed.stderr
    order_id = json.loads(placed.stdout)["order_id"]
    result = order("export", order_id, "--format", "pdf", "--out", tmp_path / "r.pdf")
    assert (result.returncode, result.stderr) == (0, f"wrote {tmp_path / 'r.pdf'}\n")  # no Qt abort at exit
    data = (tmp_path / "r.pdf").read_bytes()
    import re

    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?![a-z])", data)) >= 2
