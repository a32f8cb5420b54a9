"""A placed order goes out to the shop's endpoint from the window's delivery thread."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.gui.main_window import MainWindow
from tests.gui_fakes import lookup


@pytest.fixture
def shop():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Idempotency-Key"], json.loads(body)))
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/orders", received
    server.shutdown()
    server.server_close()


def test_placed_order_is_delivered_and_reported(qtbot, shop, _home):
    url, received = shop
    _home.mkdir(parents=True, exist_ok=True)
    (_home / "config.json").write_text(json.dumps({"order_endpoint": url}))
    window = MainWindow(prepare=False)
    qtbot.addWidget(window)
    window.cart_panel.lookup = lookup  # small test garments, priced without the real catalog
    window.session.add_to_cart("tee", "M", "navy", 2)
    with qtbot.waitSignal(window.cart_panel.order_placed) as placed:
        window.cart_panel.place_button.click()
    order_id = placed.args[0].order_id
    qtbot.waitUntil(lambda: "sent to the shop" in window.banner.text(), timeout=15000)
    assert received[0][0] == order_id and received[0][1]["order_id"] == order_id
    assert received[0][1]["items"][0]["quantity"] == 2
    window.close()
    assert window.delivery is None
