"""The shape of a ``garment.json``, checked field by field before the catalog builds an entry from it, and its writer.

A user's garment folder can hold anything: a file edited by hand, written by another program, or
made to break the app. Every field a catalog entry, an order or a drape later relies on is checked
here, so a broken entry is refused with the field named instead of failing somewhere downstream.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

FITS = ("female", "male", "unisex")
MAX_TEXT = 200  # names, SKUs and size labels are short labels
MAX_SIZES = 40
MAX_COLOURS = 40
_FILE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}$")  # a plain file name inside the garment's folder


class EntryShapeError(ValueError):
    """A field of garment.json is missing or of the wrong kind; the message names the field."""


def check_entry(data) -> None:
    """Raise EntryShapeError naming the first field of ``data`` (parsed garment.json) that cannot be used."""
    if not isinstance(data, dict):
        raise EntryShapeError("garment.json is not an object")
    _text(data, "id")
    _text(data, "name")
    for key in ("category", "currency"):
        if key in data:
            _text(data, key)
    if data.get("fits", "unisex") not in FITS:
        raise EntryShapeError(f"'fits' must be one of {', '.join(FITS)}")
    for key in ("stretch", "price"):
        if data.get(key) is not None:
            _number(data[key], key)
    if "layer" in data and (not isinstance(data["layer"], int) or isinstance(data["layer"], bool)
                            or not 0 <= data["layer"] <= 9):
        raise EntryShapeError("'layer' must be a whole number 0-9")
    for key in ("texture", "binding"):
        if data.get(key) is not None:
            _file(data[key], key)
    _colours(data.get("colours", []))
    sizes = data.get("sizes")
    if not isinstance(sizes, list) or not sizes or len(sizes) > MAX_SIZES:
        raise EntryShapeError(f"'sizes' must be a list of 1-{MAX_SIZES} sizes")
    for number, size in enumerate(sizes, start=1):
        _size(size, f"sizes[{number}]")


def _text(data: dict, key: str, where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT \
            or any(ord(ch) < 32 for ch in value):
        raise EntryShapeError(f"'{where}{key}' must be a non-empty text of at most {MAX_TEXT} characters")
    return value


def _number(value, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise EntryShapeError(f"'{key}' must be a finite number")
    return float(value)


def _file(value, key: str) -> None:
    if not isinstance(value, str) or not _FILE_RE.match(value) or ".." in value:
        raise EntryShapeError(f"'{key}' must be the plain name of a file in the garment's folder")


def _vector(value, key: str) -> None:
    if not isinstance(value, list) or len(value) != 3:
        raise EntryShapeError(f"'{key}' must be a list of three numbers")
    for x in value:
        _number(x, key)


def _colours(colours) -> None:
    if not isinstance(colours, list) or len(colours) > MAX_COLOURS:
        raise EntryShapeError(f"'colours' must be a list of at most {MAX_COLOURS} colours")
    for number, colour in enumerate(colours, start=1):
        if not isinstance(colour, dict):
            raise EntryShapeError(f"'colours[{number}]' must be an object with a name and rgb")
        _text(colour, "name", f"colours[{number}].")
        _vector(colour.get("rgb"), f"colours[{number}].rgb")
        if not all(0 <= x <= 1 for x in colour["rgb"]):
            raise EntryShapeError(f"'colours[{number}].rgb' must hold values from 0 to 1")
        if colour.get("texture") is not None:
            _file(colour["texture"], f"colours[{number}].texture")
        if "tint" in colour and not isinstance(colour["tint"], bool):
            raise EntryShapeError(f"'colours[{number}].tint' must be true or false")


def _size(size, where: str) -> None:
    if not isinstance(size, dict):
        raise EntryShapeError(f"'{where}' must be an object with a name and a sku")
    _text(size, "name", f"{where}.")
    _text(size, "sku", f"{where}.")
    finished = size.get("finished", {})
    if not isinstance(finished, dict):
        raise EntryShapeError(f"'{where}.finished' must be an object of zone: cm")
    for zone, value in finished.items():
        _number(value, f"{where}.finished.{zone}")
    if size.get("mesh") is not None:
        _file(size["mesh"], f"{where}.mesh")
    grade = size.get("grade")
    if grade is not None:
        if not isinstance(grade, dict):
            raise EntryShapeError(f"'{where}.grade' must be an object with from, scale and anchor")
        if "girth" in grade:
            _chart_grade(grade, where)
        else:
            _text(grade, "from", f"{where}.grade.")
        for key in ("scale", "anchor"):
            if key in grade:
                _vector(grade[key], f"{where}.grade.{key}")
    if "chart" in size and not isinstance(size["chart"], bool):
        raise EntryShapeError(f"'{where}.chart' must be true or false")


def _chart_grade(grade: dict, where: str) -> None:
    """A chart grade: knots [[y, scale], ...] (at most 8), a body axis [x, z] and a length [scale, top y]."""
    knots = grade["girth"]
    if not isinstance(knots, list) or not 1 <= len(knots) <= 8:
        raise EntryShapeError(f"'{where}.grade.girth' must be a list of 1 to 8 [height, scale] pairs")
    for k, knot in enumerate(knots):
        if not isinstance(knot, list) or len(knot) != 2:
            raise EntryShapeError(f"'{where}.grade.girth[{k}]' must be a [height, scale] pair")
        for value in knot:
            _number(value, f"{where}.grade.girth[{k}]")
    for key in ("axis", "length"):
        pair = grade.get(key)
        if not isinstance(pair, list) or len(pair) != 2:
            raise EntryShapeError(f"'{where}.grade.{key}' must be a pair of numbers")
        for value in pair:
            _number(value, f"{where}.grade.{key}")


def write_entry_file(folder: Path, data: dict) -> None:
    """Write ``data`` (the parsed form of a garment.json) as ``folder/garment.json``: indented UTF-8 JSON, one final newline."""
    (Path(folder) / "garment.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
