"""A cart as plain data: what the shopper picked, and CART.json checked for its structure.

A cart is garment id, size, colour and quantity per line; the catalog is checked only when it is
priced (``app.orders.pricing.price_cart``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from avatar.safe_json import UnsafeJsonError, load_json_text

from .constants import MAX_CART_LINES, MAX_QUANTITY, MIN_QUANTITY
from .errors import OrderError

CART_FIELDS = ("garment", "size", "colour", "quantity")
REQUIRED_CART_FIELDS = ("garment", "size", "quantity")
CART_EXAMPLE = '{"items": [{"garment": ID, "size": S, "colour": optional, "quantity": N}]}'


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


def load_cart(path: Path) -> Cart:
    """Read and check a CART.json file (structure only; see ``price_cart`` for the catalog)."""
    path = Path(path)
    text = read_text_file(path, "cart file")
    try:
        data = load_json_text(text, what=f"cart file {path}")
    except UnsafeJsonError as exc:
        raise OrderError(f"{exc}; fix it to the form {CART_EXAMPLE}") from None
    return parse_cart(data, source=f"cart file {path}")


def read_text_file(path: Path, what: str, encoding: str = "utf-8") -> str:
    """The text of a user's JSON file, or an OrderError naming ``what`` (e.g. "cart file") and the fix."""
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise OrderError(f"{what} {path} does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OrderError(f"cannot read {what} {path} ({exc}); give a readable UTF-8 JSON file") from None


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
