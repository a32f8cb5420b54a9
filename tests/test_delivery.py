"""Delivery of orders to a shop endpoint, against a local HTTP server on 127.0.0.1: retries with
backoff, one idempotency key per order, never lost, never sent again after success."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.orders.constants import DELIVERY_LEASE_S
from app.orders.delivery import (
    DeliveryWorker,
    NoEndpointError,
    backoff_delay,
    deliver_pending,
    deliver_until_done,
    resolve_endpoint,
)
from app.orders.cart import parse_cart
from app.orders.errors import OrderError
from app.orders.schema import validate_order
from app.orders.store import OrderStore
from garments.catalog import Colour, Garment, SizeSpec

BASE_S = 0.05  # backoff base for tests: real schedules, short waits


def _garment(gid, price):
    return Garment(id=gid, name=gid.title(), category="top", sizes=tuple(SizeSpec(s, f"{gid}-{s}") for s in ("S", "M", "L")),
                   price=price, currency="EUR", colours=(Colour("black", (0.0, 0.0, 0.0)),), stretch=0.03, layer=1,
                   fits="unisex", source="builtin")


CATALOG = {"tee": _garment("tee", 12.5), "skirt": _garment("skirt", 39.0)}


def place(store, n=1):
    c = parse_cart({"items": [{"garment": "tee", "size": "M", "quantity": n}, {"garment": "skirt", "size": "S", "quantity": 1}]})
    return store.place(c, catalog_lookup=CATALOG.__getitem__)


class Shop:
    """A shop endpoint: answers ``script`` statuses in turn (then 201), records every request."""

    def __init__(self, script=(), delay_s=0.0, headers=None):
        self.script = list(script)
        self.delay_s = delay_s
        self.headers = headers or {}
        self.requests = []  # (monotonic time, method, Idempotency-Key, body, status)
        self.lock = threading.Lock()
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(shop.delay_s)
                with shop.lock:
                    status = shop.script.pop(0) if shop.script else 201
                    shop.requests.append((time.monotonic(), "POST", self.headers.get("Idempotency-Key"), body, status))
                self.send_response(status)
                for key, value in shop.headers.get(status, {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                with shop.lock:
                    shop.requests.append((time.monotonic(), "GET", None, b"", 200))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/orders"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def successes(self) -> Counter:
        return Counter(key for _, method, key, _, status in self.requests if method == "POST" and 200 <= status < 300)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def shop_factory(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    shops = []

    def make(*args, **kw):
        shops.append(Shop(*args, **kw))
        return shops[-1]

    yield make
    for shop in shops:
        shop.close()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/orders"


def test_server_errors_are_retried_with_backoff_then_delivered_once(shop_factory):
    shop = shop_factory(script=[500, 500])
    store = OrderStore()
    order = place(store, n=3)
    report = deliver_until_done(store, shop.url, max_wait_s=10, backoff_base_s=BASE_S)
    assert report.delivered == [order.order_id] and report.retrying == [] and report.rejected == []

    assert [r[4] for r in shop.requests] == [500, 500, 201]
    assert {r[2] for r in shop.requests} == {order.order_id}  # the same Idempotency-Key every time
    assert len({r[3] for r in shop.requests}) == 1  # and the same body
    body = json.loads(shop.requests[0][3], parse_float=Decimal)
    validate_order(body)
    assert body["order_id"] == order.order_id and body["total"] == Decimal("76.50")
    times = [r[0] for r in shop.requests]
    assert times[1] - times[0] >= BASE_S * 0.9 and times[2] - times[1] >= 2 * BASE_S * 0.9  # exponential

    (entry,) = store.outbox()
    assert (entry.state, entry.attempts, entry.endpoint) == ("delivered", 3, shop.url)

    for _ in range(2):  # delivered orders are never sent again
        assert deliver_pending(store, shop.url, backoff_base_s=BASE_S, due_only=False).delivered == []
    deliver_until_done(store, shop.url, max_wait_s=0, backoff_base_s=BASE_S)
    assert len(shop.requests) == 3 and shop.successes() == Counter({order.order_id: 1})


def test_order_stays_in_the_outbox_while_the_shop_is_down(shop_factory):
    store = OrderStore()
    order = place(store)
    down = closed_port_url()
    before = time.time()
    report = deliver_pending(store, down, backoff_base_s=30.0)
    assert report.retrying == [order.order_id] and "cannot reach" in report.errors[order.order_id]
    (entry,) = store.outbox()
    assert entry.state == "pending" and entry.attempts == 1 and entry.next_attempt_at >= before + 30.0

    assert deliver_pending(store, down, backoff_base_s=30.0).retrying == []  # not due yet: no attempt
    assert store.outbox()[0].attempts == 1
    report = deliver_until_done(store, down, max_wait_s=0, backoff_base_s=30.0)  # a manual run tries now
    assert report.retrying == [order.order_id] and store.outbox()[0].attempts == 2
    assert store.outbox()[0].next_attempt_at >= time.time() + 59.0  # 2 x base after the second failure

    shop = shop_factory()  # the shop is back (at a new address)
    report = deliver_until_done(store, shop.url, max_wait_s=0, backoff_base_s=30.0)
    assert report.delivered == [order.order_id]
    assert shop.successes() == Counter({order.order_id: 1})
    assert store.get(order.order_id) == order


def test_refused_orders_wait_for_a_requeue(shop_factory):
    shop = shop_factory(script=[422])
    store = OrderStore()
    order = place(store)
    report = deliver_pending(store, shop.url, backoff_base_s=BASE_S)
    assert report.rejected == [order.order_id] and "422" in report.errors[order.order_id]
    assert deliver_until_done(store, shop.url, max_wait_s=0.2, backoff_base_s=BASE_S).delivered == []
    assert len(shop.requests) == 1 and store.outbox()[0].state == "rejected"
    assert store.requeue_rejected() == 1
    assert deliver_pending(store, shop.url, backoff_base_s=BASE_S).delivered == [order.order_id]
    assert shop.successes() == Counter({order.order_id: 1})


def test_a_redirect_is_not_followed_as_a_get(shop_factory):
    target = shop_factory()
    shop = shop_factory(script=[302], headers={302: {"Location": target.url}})
    store = OrderStore()
    order = place(store)
    report = deliver_pending(store, shop.url, backoff_base_s=BASE_S)
    assert report.rejected == [order.order_id] and "redirect" in report.errors[order.order_id]
    assert target.requests == []


def test_retry_after_is_honoured(shop_factory):
    shop = shop_factory(script=[429], headers={429: {"Retry-After": "120"}})
    store = OrderStore()
    place(store)
    now = time.time()
    deliver_pending(store, shop.url, backoff_base_s=BASE_S)
    assert store.outbox()[0].next_attempt_at >= now + 119


def test_two_deliverers_never_post_the_same_order(shop_factory):
    shop = shop_factory(delay_s=0.05)
    store = OrderStore()
    orders = [place(store) for _ in range(6)]
    threads = [threading.Thread(target=deliver_pending, args=(OrderStore(), shop.url), kwargs={"backoff_base_s": BASE_S})
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert shop.successes() == Counter({o.order_id: 1 for o in orders})
    assert len(shop.requests) == len(orders)
    assert {e.state for e in store.outbox()} == {"delivered"}


def test_an_order_held_by_a_killed_deliverer_is_sent_after_its_lease(shop_factory):
    shop = shop_factory()
    store = OrderStore()
    order = place(store)
    assert store.claim_next(now=time.time(), lease_s=DELIVERY_LEASE_S) is not None  # then the deliverer dies
    assert deliver_pending(store, shop.url, backoff_base_s=BASE_S).delivered == []  # leased: left alone
    later = time.time() + DELIVERY_LEASE_S + 1
    assert deliver_pending(store, shop.url, backoff_base_s=BASE_S, clock=lambda: later).delivered == [order.order_id]


def test_background_worker_delivers_after_a_wake(shop_factory):
    shop = shop_factory(script=[503])
    store = OrderStore()
    delivered = threading.Event()
    worker = DeliveryWorker(shop.url, store, backoff_base_s=BASE_S,
                            on_report=lambda report: report.delivered and delivered.set()).start()
    try:
        order = place(store)
        worker.wake()
        assert delivered.wait(10), "the worker did not deliver"
    finally:
        worker.stop()
    assert [r[4] for r in shop.requests] == [503, 201]
    assert shop.successes() == Counter({order.order_id: 1})
    assert store.outbox()[0].state == "delivered"


def test_endpoint_from_the_config_file(_home):
    with pytest.raises(OrderError, match="no order endpoint; pass --endpoint URL or set \"order_endpoint\""):
        resolve_endpoint(None)
    with pytest.raises(NoEndpointError):  # the window tells "none configured" from "broken" by type
        resolve_endpoint(None)
    _home.mkdir(parents=True, exist_ok=True)
    (_home / "config.json").write_text(json.dumps({"order_endpoint": "https://shop.example/api/orders"}))
    assert resolve_endpoint(None) == "https://shop.example/api/orders"
    assert resolve_endpoint("http://127.0.0.1:9/x") == "http://127.0.0.1:9/x"  # the argument wins
    with pytest.raises(OrderError, match="not an http"):
        resolve_endpoint("ftp://shop.example/orders")
    (_home / "config.json").write_text("{not json")
    with pytest.raises(OrderError, match="cannot read .*config.json"):
        resolve_endpoint(None)


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_delay(n, 2.0, cap_s=20.0) for n in (1, 2, 3, 4, 5)] == [2.0, 4.0, 8.0, 16.0, 20.0]
