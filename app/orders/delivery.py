"""Delivery of placed orders to a shop's HTTP endpoint, from the store's outbox.

Every order enters the outbox in the transaction that stores it, so an order is never lost:
it stays ``pending`` until the shop answers 2xx. Each attempt POSTs the order JSON (the order
schema) with the header ``Idempotency-Key: <order_id>``, the same key on every retry, so a shop
that saw an attempt whose answer got lost can drop the repeat. An order marked ``delivered`` is
never sent again, and a deliverer leases an order before sending it, so two deliverers (the
app's background thread and ``fitting-room order deliver``) never post the same order at once.

Failures: no connection, a timeout, 408, 425, 429 and 5xx are retried with exponential backoff
(``base * 2**(attempts-1)``, capped); any other answer (3xx, 4xx) marks the order ``rejected``: it
stays in the outbox and is sent again after ``OrderStore.requeue_rejected`` (``order deliver
--retry-rejected``).

Each attempt has one deadline for the whole exchange (connecting, sending, the shop's answer),
well inside the lease, so a shop that trickles its answer cannot keep an order leased past it;
at most DELIVERY_MAX_REPLY_BYTES of the answer are read.

The endpoint is given by the caller or read from ``config.json`` under the data root
(key ``order_endpoint``; ``order_backoff_s`` sets the backoff base). A user name and password in
the URL are sent as HTTP Basic authentication and never shown: messages and the outbox hold the
URL with them replaced by ``***``.
"""

from __future__ import annotations

import base64
import http.client
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from avatar.safe_json import UnsafeJsonError, load_json_text
from avatar.storage import data_root

from .constants import (
    DELIVERY_BACKOFF_BASE_S, DELIVERY_BACKOFF_MAX_S, DELIVERY_LEASE_S, DELIVERY_MAX_REPLY_BYTES, DELIVERY_TIMEOUT_S,
)
from .export import order_json_text
from .errors import OrderError
from .store import OrderStore

CONFIG_NAME = "config.json"
ENDPOINT_KEY = "order_endpoint"
BACKOFF_KEY = "order_backoff_s"
RETRYABLE_STATUS = frozenset({408, 425, 429})
USER_AGENT = "fitting-room-orders/1"


class DeliveryFailed(Exception):
    """One attempt failed; ``retryable`` says whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool, retry_after_s: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s


@dataclass
class DeliveryReport:
    """Order numbers by what happened in one or more delivery passes."""

    delivered: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"delivered": self.delivered, "retrying": self.retrying, "rejected": self.rejected,
                "errors": self.errors}


# -- configuration -------------------------------------------------------------------------


def config_path():
    return data_root() / CONFIG_NAME


def load_config() -> dict:
    """``config.json`` under the data root as a dict ({} when there is none)."""
    path = config_path()
    try:
        data = load_json_text(path.read_text(encoding="utf-8"), what="the file")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, UnsafeJsonError) as exc:
        raise OrderError(f"cannot read {path} ({getattr(exc, 'strerror', None) or exc}); fix it or remove it") from None
    if not isinstance(data, dict):
        raise OrderError(f"{path} must hold a JSON object like {{\"{ENDPOINT_KEY}\": \"https://...\"}}; fix it")
    return data


_URL_EXAMPLE = "give one like https://shop.example/orders"
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f]")  # controls and blanks: a URL never holds them raw


def redact_url(url: str) -> str:
    """``url`` with any user name and password replaced by ``***`` (for messages and the outbox)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unreadable URL>"
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def check_endpoint(url: str) -> str:
    """``url`` if it is an http(s) URL a request can be sent to; OrderError naming what is wrong."""
    shown = redact_url(url)
    bad = _BAD_URL_CHARS.search(url)
    if bad:
        what = "a space" if bad.group() == " " else f"the control character {bad.group()!r}"
        raise OrderError(f"order endpoint {shown!r} contains {what}; {_URL_EXAMPLE} (spaces as %20)")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OrderError(f"order endpoint {shown!r} is not a valid URL ({exc}); {_URL_EXAMPLE}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OrderError(f"order endpoint {shown!r} is not an http(s) URL; {_URL_EXAMPLE}")
    if port == 0:
        raise OrderError(f"order endpoint {shown!r} has port 0; give the shop's port (1-65535) or none")
    return url


class NoEndpointError(OrderError):
    """No order endpoint is given or configured: orders stay in the local store."""


def resolve_endpoint(endpoint: str | None = None) -> str:
    """``endpoint`` if given, else ``order_endpoint`` from config.json; NoEndpointError if neither."""
    if endpoint:
        return check_endpoint(endpoint)
    configured = load_config().get(ENDPOINT_KEY)
    if not configured:
        raise NoEndpointError(f"no order endpoint; pass --endpoint URL or set \"{ENDPOINT_KEY}\" in {config_path()}")
    if not isinstance(configured, str):
        raise OrderError(f"\"{ENDPOINT_KEY}\" in {config_path()} must be a URL string; fix it")
    return check_endpoint(configured)


def configured_backoff_s() -> float:
    value = load_config().get(BACKOFF_KEY, DELIVERY_BACKOFF_BASE_S)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise OrderError(f"\"{BACKOFF_KEY}\" in {config_path()} must be a positive number of seconds; fix it")
    return float(value)


def backoff_delay(attempts: int, base_s: float, cap_s: float = DELIVERY_BACKOFF_MAX_S) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: base, 2 base, 4 base, ... up to ``cap_s``."""
    return min(cap_s, base_s * 2.0 ** max(0, attempts - 1))


# -- one HTTP attempt ----------------------------------------------------------------------


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _cut_off(conn: http.client.HTTPConnection, fired: threading.Event) -> None:
    """At the deadline: shut the connection's socket, which wakes a read blocked in another thread."""
    fired.set()
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _connection(parts: urllib.parse.SplitResult, timeout_s: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the shop (through the ``http_proxy``/``https_proxy`` of the environment unless
    ``no_proxy`` names the host) and the request target to send on it."""
    import urllib.request

    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname):
        via = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parts.scheme == "https":  # a tunnel through the proxy, TLS with the shop itself
            conn = http.client.HTTPSConnection(via.hostname, via.port or 8080, timeout=timeout_s)
            conn.set_tunnel(parts.hostname, parts.port or 443)
            return conn, target
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        return (http.client.HTTPConnection(via.hostname, via.port or 8080, timeout=timeout_s),
                f"http://{host}{target}")
    connection = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return connection(parts.hostname, parts.port, timeout=timeout_s), target


def post_order(endpoint: str, order_id: str, body: bytes, *, timeout_s: float = DELIVERY_TIMEOUT_S,
               max_reply_bytes: int = DELIVERY_MAX_REPLY_BYTES) -> int:
    """POST one order within ``timeout_s`` for the whole exchange; returns the 2xx status or raises DeliveryFailed.

    Redirects are not followed (a POST would become a GET); at most ``max_reply_bytes`` of the
    answer are read (the status decides, the body is not needed).
    """
    check_endpoint(endpoint)
    parts = urllib.parse.urlsplit(endpoint)
    shown = redact_url(endpoint)
    headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": order_id,
               "User-Agent": USER_AGENT}
    if parts.username is not None:
        credentials = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")
    conn, target = _connection(parts, timeout_s)
    fired = threading.Event()
    deadline = threading.Timer(timeout_s, _cut_off, args=(conn, fired))
    deadline.daemon = True
    deadline.start()
    try:
        conn.request("POST", target, body=body, headers=headers)
        response = conn.getresponse()
        response.read(max_reply_bytes)  # then the connection is closed, whatever the shop still sends
        status, answer_headers = response.status, response.headers
    except (http.client.HTTPException, OSError, ValueError) as exc:
        if fired.is_set():
            raise DeliveryFailed(f"{shown} did not answer within {timeout_s:g} s", retryable=True) from None
        reason = getattr(exc, "strerror", None) or exc
        raise DeliveryFailed(f"cannot reach {shown} ({reason})", retryable=True) from None
    finally:
        deadline.cancel()
        conn.close()
    if fired.is_set():  # the answer came in part only: the shop may or may not have the order, so retry
        raise DeliveryFailed(f"{shown} did not answer within {timeout_s:g} s", retryable=True)
    if 200 <= status < 300:
        return status
    if status in RETRYABLE_STATUS or status >= 500:
        raise DeliveryFailed(f"shop answered {status}", retryable=True, retry_after_s=_retry_after(answer_headers))
    if 300 <= status < 400:
        location = redact_url(answer_headers.get("Location") or "")
        raise DeliveryFailed(f"shop answered {status} (redirect to {location}); configure the final URL",
                             retryable=False)
    raise DeliveryFailed(f"shop refused the order with {status}", retryable=False)


# -- the outbox ----------------------------------------------------------------------------


def deliver_pending(
    store: OrderStore | None = None,
    endpoint: str | None = None,
    *,
    backoff_base_s: float | None = None,
    due_only: bool = True,
    clock: Callable[[], float] = time.time,
    post: Callable[..., int] = post_order,
) -> DeliveryReport:
    """One pass over the outbox: try each pending order once (only those due, unless ``due_only``
    is False) and record the outcome. Never raises for a failed attempt."""
    store = store or OrderStore()
    endpoint = resolve_endpoint(endpoint)
    base = configured_backoff_s() if backoff_base_s is None else float(backoff_base_s)
    report = DeliveryReport()
    tried: set[str] = set()
    while True:
        claim = store.claim_next(now=clock(), lease_s=DELIVERY_LEASE_S, due_only=due_only, skip=tried)
        if claim is None:
            return report
        order_id, token = claim
        tried.add(order_id)
        try:
            body = order_json_text(store.get(order_id)).encode("utf-8")
        except OrderError as exc:  # a damaged order: set aside, the others still go out
            message = f"order cannot be sent ({exc})"
            store.mark_failed(order_id, token, message, retry_at=None)
            report.errors[order_id] = message
            report.rejected.append(order_id)
            continue
        try:
            post(endpoint, order_id, body)
        except DeliveryFailed as exc:
            report.errors[order_id] = str(exc)
            if exc.retryable:
                hint = exc.retry_after_s or 0.0
                store.mark_failed(order_id, token, str(exc), retry_at=lambda attempts: clock() + min(
                    max(backoff_delay(attempts, base), hint), DELIVERY_BACKOFF_MAX_S))
                report.retrying.append(order_id)
            else:
                store.mark_failed(order_id, token, str(exc), retry_at=None)
                report.rejected.append(order_id)
        else:
            store.mark_delivered(order_id, redact_url(endpoint))
            report.delivered.append(order_id)


def deliver_until_done(
    store: OrderStore | None = None,
    endpoint: str | None = None,
    *,
    max_wait_s: float,
    backoff_base_s: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    post: Callable[..., int] = post_order,
) -> DeliveryReport:
    """Try every pending order now, then keep retrying failures on their backoff schedule for
    up to ``max_wait_s`` seconds. ``retrying`` lists the orders still pending at the end."""
    store = store or OrderStore()
    deadline = clock() + max_wait_s
    total = DeliveryReport()
    due_only = False
    while True:
        report = deliver_pending(store, endpoint, backoff_base_s=backoff_base_s, due_only=due_only, clock=clock,
                                 post=post)
        due_only = True
        total.delivered += report.delivered
        total.rejected += report.rejected
        total.errors.update(report.errors)
        next_due = store.next_due()
        if next_due is None or next_due > deadline:
            total.retrying = [entry.order_id for entry in store.outbox(("pending",))]
            for order_id in total.delivered:
                total.errors.pop(order_id, None)
            return total
        sleep(max(0.0, next_due - clock()))


class DeliveryWorker:
    """A background thread that delivers the outbox: after ``wake()`` (an order was placed) and
    whenever a retry is due. ``stop()`` ends it; an order being sent then stays pending."""

    def __init__(self, endpoint: str, store: OrderStore | None = None, *, backoff_base_s: float | None = None,
                 on_report: Callable[[DeliveryReport], None] | None = None):
        self.endpoint = check_endpoint(endpoint)
        self.store = store or OrderStore()
        self.backoff_base_s = configured_backoff_s() if backoff_base_s is None else backoff_base_s
        self.on_report = on_report
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="order-delivery", daemon=True)

    def start(self) -> DeliveryWorker:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout_s: float = DELIVERY_TIMEOUT_S + 1.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            next_due = None
            try:
                report = deliver_pending(self.store, self.endpoint, backoff_base_s=self.backoff_base_s)
                next_due = self.store.next_due()
            except Exception as exc:  # the store is busy, full or damaged: try again on the next wake or timeout
                report = DeliveryReport(errors={"*": str(exc)})
            if self.on_report is not None and (report.delivered or report.retrying or report.rejected or report.errors):
                self.on_report(report)
            wait = DELIVERY_BACKOFF_MAX_S if next_due is None else max(0.0, next_due - time.time())
            self._wake.wait(min(wait, DELIVERY_BACKOFF_MAX_S))
