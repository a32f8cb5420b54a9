"""Stock keeping units of a garment's sizes in each colour."""

from __future__ import annotations

import re


def colour_code(colour: str, colours=()) -> str:
    """The part of a SKU naming a colour: its name in capitals, words joined by "-" ("light blue" ->
    "LIGHT-BLUE"); a name with no Latin letter or digit ("藍") is known by its place, "C1", "C2", ...
    in ``colours`` (the garment's ``Colour`` variants)."""
    code = re.sub(r"[^0-9A-Za-z]+", "-", str(colour).strip()).strip("-").upper()
    if code:
        return code
    names = [c.name for c in colours]
    return f"C{names.index(colour) + 1}" if colour in names else "C0"


def variant_sku(size_sku: str, colour: str | None, colours=()) -> str:
    """The stock keeping unit of one size in one colour: the size's SKU and the colour's code
    ("TEE-CRW-L", "navy" -> "TEE-CRW-L-NAVY"); a garment without colours keeps the size's SKU."""
    size_sku = str(size_sku).strip()
    return size_sku if not colour else f"{size_sku}-{colour_code(colour, colours)}"

