"""The local order store: SQLite (standard library) under the user data root, in WAL mode.

An order, all its lines, its receipt picture and its outbox entry are written in one
transaction, so after any crash (kill -9 included) an order is either whole or absent. Each
call opens its own connection, so the store can be used from any thread or process.

Tables (``PRAGMA user_version`` = SCHEMA_VERSION):

- ``orders``: one row per order; ``line_count`` and ``total`` are kept with the header so a
  reader can check the lines it sees are all of them.
- ``order_lines``: ``(order_id, line_no)`` with SKU, name, size, colour, quantity and prices
  (money as text, two decimals, exact).
- ``order_pictures``: the avatar picture (PNG) shown on the receipt, if one was given.
- ``outbox``: delivery state per order (see ``app.orders.delivery``).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from avatar.storage import data_root

from .cart import Cart
from .constants import DB_BUSY_TIMEOUT_S, MONEY_QUANTUM
from .errors import OrderError
from .model import Order, OrderLine, format_timestamp, new_order_id, parse_timestamp
from .picture import check_picture
from .pricing import CatalogLookup, build_order
from .store_errors import store_error
from .store_tables import DDL

DB_NAME = "orders.sqlite3"
SCHEMA_VERSION = 1
# Placing an order draws a fresh number when the drawn one exists already (about 1 in 1e9 per day).
ID_ATTEMPTS = 5


class DuplicateOrderError(OrderError):
    """An order with this number is in the store already."""


@dataclass(frozen=True)
class OutboxEntry:
    """Delivery state of one order: ``state`` is pending, delivered or rejected; times are Unix seconds."""

    order_id: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    delivered_at: str | None
    endpoint: str | None


def default_db_path() -> Path:
    return data_root() / DB_NAME


def _insert_line(conn: sqlite3.Connection, order_id: str, line_no: int, line: OrderLine) -> None:
    conn.execute(
        "INSERT INTO order_lines (order_id, line_no, sku, garment_id, name, size, colour, quantity, unit_price,"
        " line_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (order_id, line_no, line.sku, line.garment_id, line.name, line.size, line.colour, line.quantity,
         str(line.unit_price), str(line.line_total)),
    )


class OrderStore:
    """Orders kept in ``path`` (default ``data_root()/orders.sqlite3``)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OrderError(f"cannot create the folder of the order store {self.path.parent} "
                             f"({exc.strerror or exc}); set FITTING_ROOM_HOME to a writable folder") from None
        with self._connect() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OrderError(f"order store {self.path} was written by a newer fitting-room "
                                 f"(format {version}); update the app")
            if version < SCHEMA_VERSION:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in DDL.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection; SQLite's errors (but a broken constraint) become an OrderError saying what is wrong."""
        try:
            with closing(sqlite3.connect(self.path, timeout=DB_BUSY_TIMEOUT_S, isolation_level=None)) as conn:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")  # a placed order survives power loss too
                conn.execute("PRAGMA foreign_keys = ON")
                yield conn
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            raise store_error(exc, self.path) from None

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: BEGIN IMMEDIATE for writers (no lock upgrade races), a snapshot for readers."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------------

    def add(self, order: Order, picture_png: bytes | None = None) -> Order:
        """Store ``order`` (and its receipt picture) with a pending outbox entry, in one transaction.

        The order is checked whole first (totals and the order schema), so an order that could not
        be exported or delivered is never stored.
        """
        from .schema import validate_order

        _check_order(order)
        validate_order(order.to_json())
        if picture_png is not None:
            check_picture(picture_png)
        measurements = None if order.measurements is None else json.dumps(dict(order.measurements))
        try:
            with self._transaction(write=True) as conn:
                conn.execute(
                    "INSERT INTO orders (order_id, created_at, currency, total, line_count, fit_notes, measurements)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (order.order_id, order.created_at_iso, order.currency, str(order.total), len(order.lines),
                     order.fit_notes, measurements),
                )
                for line_no, line in enumerate(order.lines, start=1):
                    _insert_line(conn, order.order_id, line_no, line)
                if picture_png is not None:
                    conn.execute("INSERT INTO order_pictures (order_id, png) VALUES (?, ?)",
                                 (order.order_id, picture_png))
                conn.execute("INSERT INTO outbox (order_id) VALUES (?)", (order.order_id,))
        except sqlite3.IntegrityError as exc:
            if "orders.order_id" in str(exc):
                raise DuplicateOrderError(f"order {order.order_id} exists already; place it under a new number") from None
            raise
        except OrderError as exc:  # from the store: full disk, read-only folder, busy
            raise OrderError(f"{exc}; nothing was stored") from None
        return order

    def place(
        self,
        cart: Cart,
        *,
        catalog_lookup: CatalogLookup | None = None,
        consent: bool = False,
        measurements: Mapping[str, float] | None = None,
        fit_notes: str | None = None,
        picture_png: bytes | None = None,
        now: datetime | None = None,
    ) -> Order:
        """Price ``cart`` from the catalog and store it as a new order; returns the stored order."""
        order = build_order(cart, catalog_lookup=catalog_lookup, consent=consent, measurements=measurements,
                            fit_notes=fit_notes, now=now)
        return self.add_new(order, picture_png)

    def add_new(self, order: Order, picture_png: bytes | None = None) -> Order:
        """Store a newly built order; if its number is taken already, under a freshly drawn one."""
        for _ in range(ID_ATTEMPTS - 1):
            try:
                return self.add(order, picture_png)
            except DuplicateOrderError:
                order = replace(order, order_id=build_order_id(order))
        return self.add(order, picture_png)

    # -- reading ---------------------------------------------------------------------------

    def get(self, order_id: str) -> Order:
        with self._transaction(write=False) as conn:
            row = conn.execute("SELECT * FROM orders WHERE order_id = ?", (order_id,)).fetchone()
            if row is None:
                raise OrderError(f"there is no order {order_id}; see 'fitting-room order list' for the numbers")
            return self._order_checked(conn, row)

    def list(self, limit: int | None = None) -> list[Order]:
        """Orders, newest first; OrderError if one of them is damaged (see ``list_readable``)."""
        orders, problems = self.list_readable(limit)
        if problems:
            raise OrderError(next(iter(problems.values())))
        return orders

    def list_readable(self, limit: int | None = None) -> tuple[list[Order], dict[str, str]]:
        """Orders newest first, leaving out damaged ones: (orders, {order_id: what is wrong})."""
        orders, problems = [], {}
        with self._transaction(write=False) as conn:
            rows = conn.execute("SELECT * FROM orders ORDER BY created_at DESC, seq DESC LIMIT ?",
                                (-1 if limit is None else int(limit),)).fetchall()
            for row in rows:
                try:
                    orders.append(self._order_checked(conn, row))
                except OrderError as exc:
                    problems[str(row[1])] = str(exc)
        return orders, problems

    def picture(self, order_id: str) -> bytes | None:
        """The avatar picture (PNG bytes) kept with the order, or None."""
        with self._connect() as conn:
            row = conn.execute("SELECT png FROM order_pictures WHERE order_id = ?", (order_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def _order(self, conn: sqlite3.Connection, row: tuple) -> Order:
        _, order_id, created_at, currency, total, line_count, fit_notes, measurements = row
        lines = tuple(
            OrderLine(sku=sku, garment_id=garment_id, name=name, size=size, colour=colour, quantity=quantity,
                      unit_price=Decimal(unit_price), line_total=Decimal(line_total))
            for sku, garment_id, name, size, colour, quantity, unit_price, line_total in conn.execute(
                "SELECT sku, garment_id, name, size, colour, quantity, unit_price, line_total FROM order_lines"
                " WHERE order_id = ? ORDER BY line_no", (order_id,))
        )
        if len(lines) != line_count:
            raise OrderError(f"order {order_id} in {self.path} has {len(lines)} of its {line_count} lines; "
                             "the store is damaged, restore it from a backup")
        return Order(order_id=order_id, created_at=parse_timestamp(created_at), currency=currency, lines=lines,
                     total=Decimal(total), fit_notes=fit_notes,
                     measurements=None if measurements is None else json.loads(measurements))

    def _order_checked(self, conn: sqlite3.Connection, row: tuple) -> Order:
        """``_order``, and the order follows the schema; OrderError naming it if it is damaged in any way."""
        from .schema import validate_order

        def damaged(exc: Exception) -> OrderError:
            return OrderError(f"order {row[1]} in {self.path} is damaged ({exc}); restore the store from a backup")

        try:
            order = self._order(conn, row)  # its own OrderError says what is missing
        except (ArithmeticError, ValueError, TypeError, AttributeError) as exc:  # text where money or a date belongs
            raise damaged(exc) from None
        try:
            validate_order(order.to_json())
        except OrderError as exc:
            raise damaged(exc) from None
        return order

    def check_integrity(self) -> list[str]:
        """Problems found: SQLite's own check, then every order whole (line count, line and order totals)."""
        problems = []
        with self._transaction(write=False) as conn:
            problems += [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            headers = conn.execute("SELECT order_id, total, line_count FROM orders").fetchall()
            for order_id, total, line_count in headers:
                rows = conn.execute("SELECT quantity, unit_price, line_total FROM order_lines WHERE order_id = ?",
                                    (order_id,)).fetchall()
                if len(rows) != line_count:
                    problems.append(f"{order_id}: {len(rows)} lines, header says {line_count}")
                if any(Decimal(unit) * qty != Decimal(line) for qty, unit, line in rows):
                    problems.append(f"{order_id}: a line total is not unit price x quantity")
                if sum((Decimal(line) for _, _, line in rows), Decimal("0.00")) != Decimal(total):
                    problems.append(f"{order_id}: lines add up to something else than the total {total}")
            orphans = conn.execute("SELECT COUNT(*) FROM order_lines WHERE order_id NOT IN"
                                   " (SELECT order_id FROM orders)").fetchone()[0]
            if orphans:
                problems.append(f"{orphans} line(s) belong to no order")
            missing = conn.execute("SELECT COUNT(*) FROM orders WHERE order_id NOT IN"
                                   " (SELECT order_id FROM outbox)").fetchone()[0]
            if missing:
                problems.append(f"{missing} order(s) have no outbox entry")
        return problems

    # -- outbox ----------------------------------------------------------------------------

    def outbox(self, states: tuple[str, ...] = ("pending", "delivered", "rejected")) -> list[OutboxEntry]:
        """Outbox entries in the given states, oldest order first."""
        marks = ", ".join("?" * len(states))
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT b.order_id, state, attempts, next_attempt_at, last_error, delivered_at, endpoint"
                f" FROM outbox b JOIN orders o ON o.order_id = b.order_id WHERE state IN ({marks}) ORDER BY o.seq",
                states,
            ).fetchall()
        return [OutboxEntry(*row) for row in rows]

    def claim_next(self, *, now: float, lease_s: float, due_only: bool = True,
                   skip: frozenset[str] | set[str] = frozenset()) -> tuple[str, str] | None:
        """Lease the oldest pending order no other deliverer holds: (order_id, lease token) or None.

        ``due_only`` leaves out orders whose backoff has not run out; ``skip`` leaves out orders
        already tried in this pass.
        """
        token = uuid.uuid4().hex
        with self._transaction(write=True) as conn:
            rows = conn.execute(
                "SELECT b.order_id FROM outbox b JOIN orders o ON o.order_id = b.order_id"
                " WHERE state = 'pending' AND lease_until <= ? AND (? = 0 OR next_attempt_at <= ?) ORDER BY o.seq",
                (now, int(due_only), now),
            ).fetchall()
            for (order_id,) in rows:
                if order_id in skip:
                    continue
                conn.execute("UPDATE outbox SET lease_until = ?, lease_token = ? WHERE order_id = ?",
                             (now + lease_s, token, order_id))
                return order_id, token
        return None

    def mark_delivered(self, order_id: str, endpoint: str) -> None:
        with self._transaction(write=True) as conn:
            conn.execute(
                "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, endpoint = ?,"
                " last_attempt_at = ?, last_error = NULL, lease_until = 0, lease_token = NULL WHERE order_id = ?",
                (_now_iso(), endpoint, _now_iso(), order_id),
            )

    def mark_failed(self, order_id: str, token: str, error: str, *,
                    retry_at: Callable[[int], float] | None) -> int:
        """Record a failed attempt of the lease holder ``token``.

        ``retry_at(attempts)`` gives when to try again (Unix seconds) from the number of attempts
        made so far; None rejects the order (no automatic retry). Returns the attempts so far.
        """
        with self._transaction(write=True) as conn:
            row = conn.execute("SELECT attempts FROM outbox WHERE order_id = ? AND lease_token = ? AND state = 'pending'",
                               (order_id, token)).fetchone()
            if row is None:  # the lease ran out and another deliverer holds the order now
                return 0
            attempts = int(row[0]) + 1
            conn.execute(
                "UPDATE outbox SET attempts = ?, last_error = ?, last_attempt_at = ?, next_attempt_at = ?,"
                " state = ?, lease_until = 0, lease_token = NULL WHERE order_id = ?",
                (attempts, error[:500], _now_iso(), 0.0 if retry_at is None else float(retry_at(attempts)),
                 "pending" if retry_at is not None else "rejected", order_id),
            )
        return attempts

    def forget_personal_data(self) -> tuple[int, int]:
        """Erase the shopper's measurements and avatar pictures from every stored order ("delete my
        data"); returns (orders whose measurements were erased, pictures deleted).

        Secure delete overwrites the freed pages and the checkpoint empties the write-ahead log, so the
        values do not linger in the file either. The orders themselves stay (the shop needs them).
        """
        if not self.path.exists():
            return 0, 0
        with self._connect() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = conn.execute("UPDATE orders SET measurements = NULL WHERE measurements IS NOT NULL").rowcount
                pictures = conn.execute("DELETE FROM order_pictures").rowcount
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count, pictures

    def requeue_rejected(self) -> int:
        """Put rejected orders back in the queue (after the shop fixed its side); returns how many."""
        with self._transaction(write=True) as conn:
            return conn.execute("UPDATE outbox SET state = 'pending', next_attempt_at = 0 WHERE state = 'rejected'"
                                ).rowcount

    def next_due(self) -> float | None:
        """When the earliest pending order is due (Unix seconds), or None if nothing is pending."""
        with self._connect() as conn:
            row = conn.execute("SELECT MIN(MAX(next_attempt_at, lease_until)) FROM outbox WHERE state = 'pending'"
                               ).fetchone()
        return None if row[0] is None else float(row[0])


def _now_iso() -> str:
    return format_timestamp(datetime.now(timezone.utc))


def build_order_id(order: Order) -> str:
    return new_order_id(order.created_at)


def _check_order(order: Order) -> None:
    """Refuse an order that would not read back whole (no lines, totals that do not add up)."""
    if not order.lines:
        raise OrderError(f"order {order.order_id} has no lines; add at least one garment")
    total = sum((line.line_total for line in order.lines), Decimal("0.00")).quantize(MONEY_QUANTUM)
    if total != order.total or any(line.unit_price * line.quantity != line.line_total for line in order.lines):
        raise OrderError(f"order {order.order_id}: the line totals do not add up to {order.total}; price the cart again")


