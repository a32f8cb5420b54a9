"""Carts and orders as plain data; a cart is checked against the catalog and priced into an order.

A cart is what the shopper picked (garment id, size, colour, quantity). An order is a cart
priced from the catalog at one moment: every line carries its SKU, name and prices, so an order
stays the same when the catalog changes later. Money is ``Decimal`` with two decimals.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from avatar.errors import UserError
from avatar.safe_json import UnsafeJsonError, load_json_text

from .constants import (
    MAX_CART_LINES,
    MAX_NOTES_CHARS,
    MAX_QUANTITY,
    MIN_QUANTITY,
    MONEY_QUANTUM,
    ORDER_ID_ALPHABET,
    ORDER_ID_PREFIX,
    ORDER_ID_RANDOM_CHARS,
)

CART_FIELDS = ("garment", "size", "colour", "quantity")
REQUIRED_CART_FIELDS = ("garment", "size", "quantity")
CART_EXAMPLE = '{"items": [{"garment": ID, "size": S, "colour": optional, "quantity": N}]}'

CatalogLookup = Callable[[str], Any]


class OrderError(UserError):
    """A cart, an order or its delivery cannot be used; the message names the problem and the fix."""


@dataclass(frozen=True)
class CartItem:
    """One line the shopper picked; ``colour`` None means the garment's first (default) colour."""

    garment_id: str
    size: str
    quantity: int = 1
    colour: str | None = None


@dataclass(frozen=True)
class Cart:
    items: tuple[CartItem, ...] = ()

    def add(self, item: CartItem) -> Cart:
        """A new cart with ``item`` appended (carts are replaced, never mutated)."""
        return Cart(self.items + (item,))

    def remove(self, index: int) -> Cart:
        """A new cart without the item at ``index`` (0-based)."""
        return Cart(self.items[:index] + self.items[index + 1:])

    def to_json(self) -> dict:
        """The CART.json form: ``{"items": [{"garment", "size", "colour"?, "quantity"}]}``."""
        items = []
        for item in self.items:
            entry = {"garment": item.garment_id, "size": item.size}
            if item.colour is not None:
                entry["colour"] = item.colour
            entry["quantity"] = item.quantity
            items.append(entry)
        return {"items": items}


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


# ---------------------------------------------------------------------------------------------
# Cart parsing: structure only (the catalog is checked in ``price_cart``)


def load_cart(path: Path) -> Cart:
    """Read and check a CART.json file (structure only; see ``price_cart`` for the catalog)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OrderError(f"cart file {path} does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrderError(f"cannot read cart file {path} ({exc}); give a readable UTF-8 JSON file") from None
    try:
        data = load_json_text(text, what=f"cart file {path}")
    except UnsafeJsonError as exc:
        raise OrderError(f"{exc}; fix it to the form {CART_EXAMPLE}") from None
    return parse_cart(data, source=f"cart file {path}")


def parse_cart(data: Any, *, source: str = "cart") -> Cart:
    """Check the structure of a parsed CART.json; items are numbered from 1 in messages."""
    if not isinstance(data, dict) or "items" not in data:
        raise OrderError(f"{source} must be a JSON object with an \"items\" list: {CART_EXAMPLE}")
    unknown = sorted(set(data) - {"items"})
    if unknown:
        raise OrderError(f"{source} has an unknown field \"{unknown[0]}\"; only \"items\" is allowed: {CART_EXAMPLE}")
    items = data["items"]
    if not isinstance(items, list):
        raise OrderError(f"{source}: \"items\" must be a list; write {CART_EXAMPLE}")
    if not items:
        raise OrderError(f"{source} has no items; add at least one {{\"garment\": ID, \"size\": S, \"quantity\": N}}")
    if len(items) > MAX_CART_LINES:
        raise OrderError(f"{source} has {len(items)} items, more than {MAX_CART_LINES}; split it into several orders")
    return Cart(tuple(_parse_item(index, item) for index, item in enumerate(items, start=1)))


def _parse_item(index: int, item: Any) -> CartItem:
    where = f"cart item {index}"
    if not isinstance(item, dict):
        raise OrderError(f"{where} must be an object like {{\"garment\": ID, \"size\": S, \"quantity\": N}}")
    unknown = sorted(set(item) - set(CART_FIELDS))
    if unknown:
        raise OrderError(f"{where}: unknown field \"{unknown[0]}\"; allowed fields are {', '.join(CART_FIELDS)}")
    for key in REQUIRED_CART_FIELDS:
        if key not in item:
            raise OrderError(f"{where}: missing field \"{key}\"; every item needs garment, size and quantity")
    for key in ("garment", "size"):
        if not isinstance(item[key], str) or not item[key].strip():
            raise OrderError(f"{where}: {key} must be a non-empty string, not {json.dumps(item[key])}")
    colour = item.get("colour")
    if colour is not None and (not isinstance(colour, str) or not colour.strip()):
        raise OrderError(f"{where}: colour must be a non-empty string or left out, not {json.dumps(colour)}")
    return CartItem(
        garment_id=item["garment"].strip(), size=item["size"].strip(),
        quantity=check_quantity(item["quantity"], where), colour=colour.strip() if colour else None,
    )


def check_quantity(value: Any, where: str) -> int:
    """``value`` as a quantity from MIN_QUANTITY to MAX_QUANTITY, or an OrderError naming ``where``."""
    allowed = f"use a whole number from {MIN_QUANTITY} to {MAX_QUANTITY}"
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            raise OrderError(f"{where}: quantity {json.dumps(value)} must be written as a whole number; {allowed}")
        raise OrderError(f"{where}: quantity {json.dumps(value)} is not a whole number; {allowed}")
    if value < MIN_QUANTITY:
        raise OrderError(f"{where}: quantity {value} is below {MIN_QUANTITY}; {allowed} (remove the item instead)")
    if value > MAX_QUANTITY:
        raise OrderError(f"{where}: quantity {value} is more than {MAX_QUANTITY}; {allowed}")
    return value


# ---------------------------------------------------------------------------------------------
# Pricing against the catalog


def default_catalog_lookup(garment_id: str):
    """The real catalog: ``garments.catalog.get_garment``."""
    from garments.catalog import get_garment

    return get_garment(garment_id)


def _lookup_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """(not-found errors, other catalog errors) of the catalog in use."""
    from garments.errors import GarmentError, GarmentNotFound

    return (GarmentNotFound, LookupError), (GarmentError,)


def price_cart(cart: Cart, catalog_lookup: CatalogLookup | None = None) -> tuple[str, tuple[OrderLine, ...], Decimal]:
    """Check every item against the catalog and price it.

    Returns
    -------
    currency : str
    lines : tuple of OrderLine, in cart order
    total : Decimal, two decimals
    """
    lookup = catalog_lookup or default_catalog_lookup
    if not cart.items:
        raise OrderError("the cart is empty; add at least one garment before placing an order")
    not_found, catalog_errors = _lookup_errors()
    lines: list[OrderLine] = []
    currency: str | None = None
    for index, item in enumerate(cart.items, start=1):
        where = f"cart item {index}"
        check_quantity(item.quantity, where)
        try:
            garment = lookup(item.garment_id)
        except not_found:
            raise OrderError(
                f"{where}: garment \"{item.garment_id}\" is not in the catalog; "
                "see 'fitting-room garment list' for the ids"
            ) from None
        except catalog_errors as exc:
            raise OrderError(f"{where}: garment \"{item.garment_id}\" cannot be used: {exc}") from None
        size = _match(item.size, [s.name for s in garment.sizes])
        if size is None:
            offered = ", ".join(s.name for s in garment.sizes)
            raise OrderError(
                f"{where}: size \"{item.size}\" is not offered for {garment.id}; choose one of {offered}"
            )
        spec = next(s for s in garment.sizes if s.name == size)
        colours = [c.name for c in garment.colours]
        if item.colour is None:
            colour = colours[0] if colours else None
        else:
            colour = _match(item.colour, colours)
            if colour is None:
                choices = f"choose one of {', '.join(colours)}" if colours else "leave colour out"
                raise OrderError(
                    f"{where}: colour \"{item.colour}\" is not offered for {garment.id}; {choices}"
                )
        code = str(garment.currency).strip().upper()
        if len(code) != 3 or not code.isalpha():
            raise OrderError(f"{where}: {garment.id} has currency {garment.currency!r}, not an ISO 4217 code; fix the catalog entry")
        if currency is None:
            currency = code
        elif code != currency:
            raise OrderError(
                f"{where}: {garment.id} is priced in {code} but the items before it in {currency}; "
                "place one order per currency"
            )
        if garment.price is None:
            raise OrderError(f"{where}: {garment.id} has no price yet; import it again with --price before ordering it")
        if not isinstance(spec.sku, str) or not spec.sku.strip():
            raise OrderError(f"{where}: {garment.id} size {size} has no SKU; give it one in the catalog entry "
                             "(\"sku\" in its garment.json) before ordering it")
        unit = money(garment.price)
        if unit < 0:
            raise OrderError(f"{where}: {garment.id} has a negative price; fix the catalog entry")
        from garments.skus import variant_sku

        lines.append(OrderLine(
            sku=variant_sku(spec.sku, colour, getattr(garment, "colours", ()) or ()), garment_id=garment.id, name=garment.name, size=size, colour=colour,
            quantity=item.quantity, unit_price=unit, line_total=unit * item.quantity,
        ))
    total = sum((line.line_total for line in lines), Decimal("0.00")).quantize(MONEY_QUANTUM)
    return currency, tuple(lines), total


def _match(wanted: str, offered: list[str]) -> str | None:
    """The offered name equal to ``wanted``, else the one equal ignoring case, else None."""
    if wanted in offered:
        return wanted
    folded = [name for name in offered if name.casefold() == wanted.casefold()]
    return folded[0] if len(folded) == 1 else None


def check_notes(notes: str | None) -> str | None:
    if notes is None:
        return None
    notes = notes.strip()
    if len(notes) > MAX_NOTES_CHARS:
        raise OrderError(f"fit notes are {len(notes)} characters, more than {MAX_NOTES_CHARS}; shorten them")
    return notes or None


def check_measurements(values: Mapping[str, Any]) -> dict[str, float]:
    """Measurement values as finite positive floats (cm; body_mass in kg), names as given."""
    if not isinstance(values, Mapping) or not values:
        raise OrderError("measurements must be a non-empty JSON object of name: value in cm; fix the file")
    checked = {}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise OrderError(f"measurement \"{name}\" is {json.dumps(value)}; give a positive number in cm")
        checked[str(name)] = float(value)
    return checked


def build_order(
    cart: Cart,
    *,
    catalog_lookup: CatalogLookup | None = None,
    consent: bool = False,
    measurements: Mapping[str, float] | None = None,
    fit_notes: str | None = None,
    now: datetime | None = None,
    order_id: str | None = None,
) -> Order:
    """Price ``cart`` into an Order (not stored yet; see ``OrderStore.place``).

    Measurements are kept only when ``consent`` is true; giving them without consent is an
    error, so a missing tick is never silently ignored by the caller.
    """
    if measurements is not None and not consent:
        raise OrderError("measurements are kept with an order only with the shopper's consent; "
                         "tick consent (--consent) or leave the measurements out")
    if consent and measurements is None:
        raise OrderError("consent was given but no measurements; give the measurements (--measurements FILE) "
                         "or leave consent off")
    currency, lines, total = price_cart(cart, catalog_lookup)
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    return Order(
        order_id=order_id or new_order_id(moment), created_at=moment, currency=currency, lines=lines,
        total=total, fit_notes=check_notes(fit_notes),
        measurements=check_measurements(measurements) if consent else None,
    )


def load_measurements(path: Path) -> dict[str, float]:
    """The measurements of a JSON profile (``avatar.measurements`` format: a flat ``{name: value}``
    or ``{"measurements": {...}, "units": "cm" | "in", ...}``), in cm (body_mass in kg), checked
    against the measurement names and human ranges. Only the values are kept with an order."""
    from avatar.measurements import parse_profile_json

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OrderError(f"measurements file {path} does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrderError(f"cannot read measurements file {path} ({exc}); give a readable UTF-8 JSON file") from None
    record = parse_profile_json(text, source=f"measurements file {path}", default_id=path.stem)
    return check_measurements(record.values)
