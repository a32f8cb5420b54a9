"""Orders as plain data: a cart priced at one moment, its lines, money and order ids.

An order is a cart priced from the catalog at one moment (``app.orders.pricing``): every line
carries its SKU, name and prices, so an order stays the same when the catalog changes later.
Money is ``Decimal`` with two decimals.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .constants import MONEY_QUANTUM, ORDER_ID_ALPHABET, ORDER_ID_PREFIX, ORDER_ID_RANDOM_CHARS
from .errors import OrderError


@dataclass(frozen=True)
class OrderLine:
    sku: str
    garment_id: str
    name: str
    size: str
    colour: str | None
    quantity: int
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class Order:
    """A placed order.

    Attributes
    ----------
    order_id : str, ``FR-YYYYMMDD-XXXXXX``
    created_at : datetime, UTC
    currency : str, ISO 4217 code shared by every line
    lines : tuple of OrderLine
    total : Decimal, the sum of the lines' totals
    fit_notes : str or None
    measurements : name -> value (cm; body_mass in kg), or None; only with the shopper's consent
    """

    order_id: str
    created_at: datetime
    currency: str
    lines: tuple[OrderLine, ...]
    total: Decimal
    fit_notes: str | None = None
    measurements: Mapping[str, float] | None = field(default=None)

    @property
    def created_at_iso(self) -> str:
        return format_timestamp(self.created_at)

    def to_json(self) -> dict:
        """The order as the JSON object of ``order.schema.json`` (money as ``Decimal``; write it
        with ``app.orders.export.dumps`` to keep two decimals)."""
        obj: dict[str, Any] = {
            "order_id": self.order_id,
            "created_at": self.created_at_iso,
            "currency": self.currency,
            "items": [
                {
                    "sku": line.sku,
                    "garment_id": line.garment_id,
                    "name": line.name,
                    "size": line.size,
                    "colour": line.colour,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "line_total": line.line_total,
                }
                for line in self.lines
            ],
            "total": self.total,
        }
        if self.fit_notes:
            obj["fit_notes"] = self.fit_notes
        if self.measurements is not None:
            obj["measurements"] = dict(self.measurements)
        return obj

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Order:
        """The inverse of ``to_json`` (numbers may be float or Decimal); validate with the schema first."""
        lines = tuple(
            OrderLine(
                sku=item["sku"], garment_id=item["garment_id"], name=item["name"], size=item["size"],
                colour=item.get("colour"), quantity=int(item["quantity"]),
                unit_price=money(item["unit_price"]), line_total=money(item["line_total"]),
            )
            for item in obj["items"]
        )
        measurements = obj.get("measurements")
        return cls(
            order_id=obj["order_id"], created_at=parse_timestamp(obj["created_at"]), currency=obj["currency"],
            lines=lines, total=money(obj["total"]), fit_notes=obj.get("fit_notes"),
            measurements=None if measurements is None else {k: float(v) for k, v in measurements.items()},
        )


def money(value) -> Decimal:
    """A price as ``Decimal`` with two decimals, half-up (floats go through their shortest repr)."""
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        raise OrderError(f"price {value!r} is not a number; fix the catalog entry") from None
    if not amount.is_finite():
        raise OrderError(f"price {value!r} is not a finite number; fix the catalog entry")
    return amount.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP)


def format_timestamp(moment: datetime) -> str:
    """UTC ISO 8601 with a ``Z``: ``2026-11-22T19:40:12Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def new_order_id(moment: datetime) -> str:
    """``FR-YYYYMMDD-XXXXXX``: the UTC date and six random characters without look-alikes."""
    day = moment.astimezone(timezone.utc).strftime("%Y%m%d")
    tail = "".join(secrets.choice(ORDER_ID_ALPHABET) for _ in range(ORDER_ID_RANDOM_CHARS))
    return f"{ORDER_ID_PREFIX}-{day}-{tail}"
