"""Hostile and broken input to orders, their store, exports and delivery: one line, exit 2, nothing lost."""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
import struct
import threading
import time
import tracemalloc
import zlib
from types import SimpleNamespace

import pytest

from app.orders.delivery import DeliveryFailed, check_endpoint, deliver_pending, post_order, redact_url
from app.orders.export import csv_cell, order_csv_text
from app.orders.cart import parse_cart
from app.orders.errors import OrderError
from app.orders.pricing import build_order
from app.orders.picture import check_picture
from app.orders.store import OrderStore
from app.orders.store_errors import store_error
from tests.test_order_cli import CATALOG, TEE, _garment, run, write_cart

ESC = "\x1b"


@pytest.fixture
def catalog(monkeypatch):
    """The command line's catalog: the small fake one, plus hostile entries."""
    hostile = dict(CATALOG)
    hostile["formula"] = _garment("formula", "=HYPERLINK(\"http://evil\")", 10.0, ("+1", "@M"), ("-red",))
    nosku = _garment("nosku", "No SKU tee", 10.0, ("M",), ())
    hostile["nosku"] = SimpleNamespace(**{**vars(nosku), "sizes": (SimpleNamespace(name="M", sku=None, finished={}),)})
    monkeypatch.setattr("app.orders.pricing.default_catalog_lookup", hostile.__getitem__)
    return hostile


def one_line_error(status, out, err):
    return status == 2 and err.startswith("error: ") and err.count("\n") == 1


# -- item 4: CSV formula injection -----------------------------------------------------------


def test_csv_cells_that_would_be_formulas_are_neutralised(catalog):
    order = build_order(parse_cart({"items": [{"garment": "formula", "size": "+1", "quantity": 1}]}),
                        catalog_lookup=catalog.__getitem__)
    row = list(csv.DictReader(io.StringIO(order_csv_text(order))))[0]
    assert row["name"] == "'=HYPERLINK(\"http://evil\")" and row["size"] == "'+1" and row["colour"] == "'-red"
    assert row["sku"] == "FORMULA-+1-RED"  # a safe start is left alone
    assert [csv_cell(text) for text in ("@x", "\tx", "\rx", "-1", "x=1")] == ["'@x", "'\tx", "'\rx", "'-1", "x=1"]


# -- item 5: an order is checked whole before it is stored; one bad order blocks nothing ----


def test_garment_without_sku_stores_no_order_and_retry_adds_none(catalog, capsys, tmp_path, _home):
    cart = write_cart(tmp_path, [{"garment": "nosku", "size": "M", "quantity": 1}])
    for _ in range(2):
        status, out, err = run(capsys, "place", "--cart", cart, "--json")
        assert one_line_error(status, out, err) and "has no SKU" in err, err
    assert not (_home / "orders.sqlite3").exists() or OrderStore().list() == []


DAMAGES = ["UPDATE order_lines SET sku = '' WHERE order_id = ?",  # as an older version or a hand edit could leave it
           "UPDATE order_lines SET unit_price = 'twelve' WHERE order_id = ?",
           "UPDATE orders SET created_at = 'yesterday' WHERE order_id = ?",
           "UPDATE orders SET measurements = '{' WHERE order_id = ?"]


@pytest.mark.parametrize("damage", DAMAGES)
def test_one_damaged_order_neither_hides_nor_blocks_the_others(catalog, capsys, tmp_path, damage):
    store = OrderStore()
    good1 = store.place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__)
    bad = store.place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__)
    good2 = store.place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__)
    with sqlite3.connect(store.path) as conn:
        conn.execute(damage, (bad.order_id,))
    status, out, err = run(capsys, "show", bad.order_id)
    assert one_line_error(status, out, err) and "damaged" in err

    status, out, err = run(capsys, "list", "--json")
    assert status == 0 and {o["order_id"] for o in json.loads(out)} == {good1.order_id, good2.order_id}
    assert f"warning: order {bad.order_id} left out" in err

    sent = []
    report = deliver_pending(store, "http://127.0.0.1:9/orders",
                             post=lambda endpoint, order_id, body: sent.append(order_id) or 201)
    assert sent == [good1.order_id, good2.order_id] and report.rejected == [bad.order_id]
    assert "cannot be sent" in report.errors[bad.order_id]
    report = deliver_pending(store, "http://127.0.0.1:9/orders", post=lambda *a: pytest.fail("nothing left to send"))
    assert report.delivered == report.retrying == []


# -- item 7: one deadline for the whole request, a bounded reply ------------------------------


class RawServer:
    """A socket server on 127.0.0.1 that answers every connection with ``handler(conn)``."""

    def __init__(self, handler):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/orders"
        self.sent = 0
        self.handler = handler
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            try:
                self.handler(self, conn)
            except OSError:
                pass

    def close(self):
        self.sock.close()


def trickle(server, conn):
    conn.sendall(b"HTTP/1.1 201 Created\r\n")
    for _ in range(200):  # one header byte every 0.1 s: each read is quick, the whole answer never ends
        conn.sendall(b"X")
        server.sent += 1
        time.sleep(0.1)


def huge(server, conn):
    conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 314572800\r\n\r\n")  # 300 MiB announced
    block = b"0" * 65536
    for _ in range(4800):
        conn.sendall(block)
        server.sent += len(block)


def test_a_trickling_shop_hits_the_total_deadline():
    server = RawServer(trickle)
    try:
        start = time.monotonic()
        with pytest.raises(DeliveryFailed, match="did not answer within 1 s") as caught:
            post_order(server.url, "FR-20260101-AAAAAA", b"{}", timeout_s=1.0)
        elapsed = time.monotonic() - start
    finally:
        server.close()
    assert caught.value.retryable and 0.9 < elapsed < 2.0


def test_a_huge_reply_is_not_read_into_memory():
    server = RawServer(huge)
    try:
        tracemalloc.start()
        start = time.monotonic()
        assert post_order(server.url, "FR-20260101-AAAAAA", b"{}", timeout_s=5.0) == 201
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        server.close()
    assert peak < 4 * 1024 * 1024 and elapsed < 3.0


# -- item 8 and 13: endpoints -------------------------------------------------------------------


@pytest.mark.parametrize("url, reason", [
    ("http://[::1", "not a valid URL"),
    ("http://shop.example/ord ers", "contains a space"),
    ("http://shop.example/orders\x07", "control character"),
    ("http://shop\r\n.example/orders", "control character"),
    ("http://shop.example:abc/orders", "not a valid URL"),
    ("http://shop.example:99999/orders", "not a valid URL"),
    ("http:///orders", "is not an http"),
])
def test_bad_endpoints_are_one_line(capsys, url, reason):
    with pytest.raises(OrderError, match=reason):
        check_endpoint(url)
    status, out, err = run(capsys, "deliver", "--endpoint", url)
    assert one_line_error(status, out, err) and reason in err and "\r" not in err and "\x07" not in err


def test_credentials_in_the_endpoint_are_never_shown(catalog, monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://shopuser:s3cret-pw@127.0.0.1:{port}/orders"
    assert redact_url(url) == f"http://***@127.0.0.1:{port}/orders"
    store = OrderStore()
    order = store.place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__)
    report = deliver_pending(store, url)
    assert report.retrying == [order.order_id]
    entry = store.outbox()[0]
    assert "s3cret" not in entry.last_error and "***@127.0.0.1" in entry.last_error
    assert "s3cret" not in report.errors[order.order_id]


# -- item 8: huge numbers and deep nesting in carts and config.json ----------------------------


@pytest.mark.parametrize("text, reason", [
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": ' + "9" * 500 + "}]}", "digits"),
    ('{"items": [{"garment": "tee-classic", "size": "M", "quantity": 1e999}]}', "too large"),
    ("[" * 50000 + "]" * 50000, "nests deeper"),
    ('{"items": ' + "[" * 500 + "]" * 500 + "}", "nests deeper"),
])
def test_hostile_carts_are_one_line(catalog, capsys, tmp_path, _home, text, reason):
    cart = tmp_path / "cart.json"
    cart.write_text(text)
    status, out, err = run(capsys, "place", "--cart", cart)
    assert one_line_error(status, out, err) and reason in err, err
    assert not (_home / "orders.sqlite3").exists()


@pytest.mark.parametrize("text", ["[" * 50000, '{"order_endpoint": "http://x/", "order_backoff_s": ' + "9" * 400 + "}"])
def test_hostile_config_is_one_line(capsys, _home, text):
    _home.mkdir()
    (_home / "config.json").write_text(text)
    status, out, err = run(capsys, "deliver")
    assert one_line_error(status, out, err) and "config.json" in err, err


def test_control_characters_from_a_cart_are_not_echoed_raw(catalog, capsys, tmp_path):
    cart = write_cart(tmp_path, [{"garment": f"{ESC}]0;pwned\x07{ESC}[2J\x00", "size": "M", "quantity": 1}])
    status, out, err = run(capsys, "place", "--cart", cart)
    assert one_line_error(status, out, err)
    assert ESC not in err and "\x00" not in err and "\x07" not in err
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x00" in err


# -- item 9: store errors say what is wrong -------------------------------------------------------


@pytest.mark.parametrize("message, expected", [
    ("database or disk is full", "is full; free some space"),
    ("attempt to write a readonly database", "cannot use the order store"),
    ("unable to open database file", "cannot use the order store"),
    ("database is locked", "is busy"),
    ("disk I/O error", "check the disk"),
])
def test_store_errors_of_a_healthy_store_never_say_move_it(tmp_path, message, expected):
    error = store_error(sqlite3.OperationalError(message), tmp_path / "orders.sqlite3")
    assert expected in str(error) and "move" not in str(error) and "intact" in str(error)


def test_list_on_a_full_disk_keeps_the_store(catalog, capsys, monkeypatch):
    store = OrderStore()
    store.place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__)
    real_connect = sqlite3.connect

    class FullDisk:
        def __init__(self, *args, **kwargs):
            self.conn = real_connect(*args, **kwargs)

        def execute(self, sql, *args):
            if sql.startswith("BEGIN"):
                raise sqlite3.OperationalError("database or disk is full")
            return self.conn.execute(sql, *args)

        def close(self):
            self.conn.close()

    monkeypatch.setattr(sqlite3, "connect", FullDisk)
    status, out, err = run(capsys, "list")
    assert one_line_error(status, out, err) and "is full" in err and "move" not in err
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert len(OrderStore().list()) == 1


def test_a_damaged_file_is_still_called_damaged(tmp_path):
    damaged = tmp_path / "orders.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OrderError, match="damaged.*move the damaged file away"):
        OrderStore(damaged)


# -- item 12: the avatar picture is decoded and bounded at placement --------------------------------


def _png(width: int, height: int, rows: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    if rows is None:
        rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_picture_checks():
    assert check_picture(_png(40, 60)) == (40, 60)
    start = time.monotonic()
    with pytest.raises(OrderError, match="20000x20000 pixels"):
        check_picture(_png(20000, 20000, rows=b"\x00"))  # a tiny file claiming 400 megapixels
    assert time.monotonic() - start < 0.5
    with pytest.raises(OrderError, match="cannot be decoded"):
        check_picture(_png(40, 60, rows=b"\x00" * 10))  # too few pixels for its header
    with pytest.raises(OrderError, match="damaged PNG"):
        check_picture(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)


def test_place_refuses_a_bad_picture_and_stores_nothing(catalog, capsys, tmp_path, _home):
    picture = tmp_path / "big.png"
    picture.write_bytes(_png(20000, 20000, rows=b"\x00"))
    status, out, err = run(capsys, "place", "--cart", write_cart(tmp_path, [TEE]), "--avatar-picture", picture)
    assert one_line_error(status, out, err) and "megapixels" in err
    assert not (_home / "orders.sqlite3").exists()


# -- item 13: exports never make folders or replace files silently; delete my data ---------------


def test_export_refuses_missing_folders_and_existing_files(catalog, capsys, tmp_path):
    order = OrderStore().place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__)
    status, out, err = run(capsys, "export", order.order_id, "--format", "csv", "--out", tmp_path / "a" / "b" / "o.csv")
    assert one_line_error(status, out, err) and "does not exist" in err and not (tmp_path / "a").exists()
    target = tmp_path / "o.csv"
    target.write_text("keep me")
    status, out, err = run(capsys, "export", order.order_id, "--format", "csv", "--out", target)
    assert one_line_error(status, out, err) and "--force" in err and target.read_text() == "keep me"
    assert run(capsys, "export", order.order_id, "--format", "csv", "--out", target, "--force")[0] == 0
    assert target.read_text().startswith("order_id,")


def test_delete_my_data_removes_the_pictures_kept_with_orders(catalog, _home):
    store = OrderStore()
    order = store.place(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__, picture_png=_png(8, 8))
    assert store.picture(order.order_id) is not None
    assert store.forget_personal_data() == (0, 1)
    assert store.picture(order.order_id) is None and store.get(order.order_id) == order
    assert b"IDAT" not in b"".join(f.read_bytes() for f in _home.glob("orders.sqlite3*"))


# -- item 10: the PDF receipt wraps, paginates and writes right-to-left text ---------------------


def test_receipt_keeps_every_line_of_long_notes(qapp, tmp_path, catalog):
    from PySide6.QtPdf import QPdfDocument

    from app.orders.export import receipt_pdf_bytes

    notes = "\n".join(str(n) for n in range(1, 420))  # 419 lines of notes
    order = build_order(parse_cart({"items": [TEE]}), catalog_lookup=catalog.__getitem__, fit_notes=notes)
    path = tmp_path / "notes.pdf"
    path.write_bytes(receipt_pdf_bytes(order))
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    assert doc.pageCount() >= 5
    text = "".join("".join(doc.getAllText(page).text().split()).replace(f"Order{order.order_id}·page{page + 1}", "")
                   for page in range(doc.pageCount()))  # without blanks and the page footers
    assert "".join(str(n) for n in range(1, 420)) in text  # every line, in order


def test_receipt_text_wraps_long_words_and_aligns_right_to_left(qapp):
    from PySide6.QtGui import QFont, QImage

    from app.orders.receipt_text import is_right_to_left, layout_text

    device = QImage(800, 600, QImage.Format.Format_RGB32)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10)
    word = "x" * 300
    lines = layout_text(f"{word}\nשלום עולם, המידה קטנה\nhello", font, 400.0, device)
    wrapped = [line for _, line in lines if line.textStart() + line.textLength() <= 300 and lines[0][0] is _]
    assert len(wrapped) >= 3 and sum(line.textLength() for line in wrapped) == 300  # nothing cut off
    assert all(line.naturalTextRect().right() <= 400.5 for _, line in lines)
    hebrew, latin = lines[-2][1], lines[-1][1]
    assert hebrew.naturalTextRect().right() == pytest.approx(400, abs=1) and hebrew.naturalTextRect().left() > 200
    assert latin.naturalTextRect().left() == pytest.approx(0, abs=1)
    assert is_right_to_left("123 مرحبا") and not is_right_to_left("Anna שלום") and not is_right_to_left("42")


def test_delivery_goes_through_the_environments_proxy(monkeypatch):
    seen = []

    def proxy(server, conn):
        seen.append(True)
        conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")

    server = RawServer(proxy)
    monkeypatch.setenv("http_proxy", server.url.rsplit("/", 1)[0])
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    try:
        assert post_order("http://shop.invalid/orders", "FR-20260101-AAAAAA", b"{}", timeout_s=5.0) == 201
    finally:
        server.close()
    assert seen == [True]
