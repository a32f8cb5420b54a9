"""A cart checked against the catalog and priced into an order.

Every item's garment, size, colour, currency, price and SKU is checked; the shopper's measurements
and fit notes go with the order only as they are allowed to.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from .cart import Cart, check_quantity, read_text_file
from .constants import MAX_NOTES_CHARS, MONEY_QUANTUM
from .errors import OrderError
from .model import Order, OrderLine, money, new_order_id

CatalogLookup = Callable[[str], Any]


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
            sku=variant_sku(spec.sku, colour, garment.colours), garment_id=garment.id, name=garment.name, size=size,
            colour=colour, quantity=item.quantity, unit_price=unit, line_total=unit * item.quantity,
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
    text = read_text_file(path, "measurements file", encoding="utf-8-sig")
    record = parse_profile_json(text, source=f"measurements file {path}", default_id=path.stem)
    return check_measurements(record.values)
