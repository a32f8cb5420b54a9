"""A designer's size chart: a CSV with one row per size and its finished measurements, read into cm.

The first row is the header: a ``size`` column and measurement columns named ``chest``, ``waist``,
``hip`` (tape girths), ``length``, ``inseam``, ``sleeve`` (other spellings in ``CHART_COLUMN_ALIASES``).
The unit is declared per column (``chest (in)``, ``chest_cm``, ``Chest [inch]``), for the whole chart
(``units=`` here, ``--chart-units`` on the command line), or else detected from the girths' size:
a chart whose girths are all under ``INCH_GIRTH_MAX`` is in inches. Every problem is one
``GarmentImportError`` line naming the row or column and the fix.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import GarmentImportError
from .finished import GIRTH_ZONES

CHART_MEASURES = ("chest", "waist", "hip", "length", "inseam", "sleeve")
CHART_COLUMN_ALIASES = {"bust": "chest", "hips": "hip", "seat": "hip", "body length": "length",
                        "inside leg": "inseam", "sleeve length": "sleeve", "name": "size", "label": "size"}
CHART_UNITS = {"cm": 1.0, "in": 2.54, "inch": 2.54, "inches": 2.54, "mm": 0.1}
# Girths of an adult garment are 60-200 cm; in inches they are 24-79. A chart whose every girth is
# under this many units is in inches (no adult garment's chest, waist or hip is under 80 cm).
INCH_GIRTH_MAX = 80.0
# Plausible finished measurements in cm (a baby's sleeve to a wide coat's hem girth).
MEASURE_RANGE_CM = (5.0, 300.0)
MAX_CHART_BYTES = 64 * 1024
MAX_CHART_ROWS = 40

_UNIT_RE = re.compile(r"^(.*?)[\s_]*[\(\[]?\s*(cm|mm|in|inch|inches)\s*[\)\]]?$")


@dataclass(frozen=True)
class SizeChart:
    """A parsed chart.

    Attributes
    ----------
    sizes : tuple of size names in the chart's row order
    rows : size name -> {measure: cm}; only the measures the chart gives
    unit : the unit the chart was written in ("cm", "in", "mm", or "mixed" when declared per column)
    """

    sizes: tuple[str, ...]
    rows: dict
    unit: str

    def row(self, size: str) -> dict:
        """The measurements of one size (cm); GarmentImportError naming the chart's sizes if it has none."""
        for name in self.sizes:
            if name.lower() == size.lower():
                return self.rows[name]
        raise GarmentImportError(f"the size chart has no size '{size}'; its sizes are {', '.join(self.sizes)}")


def read_size_chart(path: Path, units: str | None = None) -> SizeChart:
    """Read a size chart CSV (see the module docstring); ``units`` ("cm" or "in") overrides detection."""
    path = Path(path)
    if not path.is_file():
        raise GarmentImportError(f"size chart {path} does not exist; check the path")
    if path.stat().st_size > MAX_CHART_BYTES:
        raise GarmentImportError(f"size chart {path.name} is over {MAX_CHART_BYTES // 1024} KB; a chart is one "
                                 "row per size")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GarmentImportError(f"size chart {path.name} is not UTF-8 text; save it as CSV (UTF-8)") from None
    return parse_size_chart(text, path.name, units)


def parse_size_chart(text: str, shown: str = "size chart", units: str | None = None) -> SizeChart:
    """Parse chart text; ``shown`` names it in messages."""
    if units is not None and units.lower() not in CHART_UNITS:
        raise GarmentImportError(f"chart units '{units}' are unknown; use cm or in")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ("\t" if "\t" in sample and "," not in sample
                                                                    else ",")
    table = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    if len(table) < 2:
        raise GarmentImportError(f"{shown} has no rows under its header; give one row per size")
    if len(table) - 1 > MAX_CHART_ROWS:
        raise GarmentImportError(f"{shown} has {len(table) - 1} rows, over {MAX_CHART_ROWS}; give one row per size")
    columns = [_column(h, shown) for h in table[0]]
    names = [c[0] for c in columns]
    if "size" not in names:
        raise GarmentImportError(f"{shown} has no 'size' column; name the first column size")
    measures = [n for n in names if n != "size"]
    if not measures:
        raise GarmentImportError(f"{shown} has no measurement columns; give some of {', '.join(CHART_MEASURES)}")
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise GarmentImportError(f"{shown} has the column '{duplicate}' twice; keep one")
    raw: dict[str, dict[str, float]] = {}
    for number, row in enumerate(table[1:], start=2):
        if len(row) != len(columns):
            raise GarmentImportError(f"{shown} row {number} has {len(row)} cells, the header {len(columns)}; "
                                     "give every size every column")
        cells = dict(zip(names, (c.strip() for c in row)))
        size = cells.pop("size")
        if not size or "/" in size or len(size) > 20:
            raise GarmentImportError(f"{shown} row {number} has no valid size name ('{size[:20]}'); use e.g. M or 38")
        if size.lower() in (s.lower() for s in raw):
            raise GarmentImportError(f"{shown} lists size {size} twice; keep one row per size")
        values = {}
        for key, cell in cells.items():
            try:
                value = float(cell.replace(",", ".")) if delimiter != "," else float(cell)
            except ValueError:
                raise GarmentImportError(f"{shown} row {number} ({size}): {key} '{cell[:20]}' is not a number; "
                                         "write numbers only, the unit in the header") from None
            if not math.isfinite(value) or value <= 0:
                raise GarmentImportError(f"{shown} row {number} ({size}): {key} must be a positive number")
            values[key] = value
        raw[size] = values
    declared = {c[0]: c[1] for c in columns if c[1] is not None}
    unit = units.lower() if units else None
    if unit is None and not declared:
        girths = [r[k] for r in raw.values() for k in GIRTH_ZONES if k in r]
        unit = "in" if girths and max(girths) < INCH_GIRTH_MAX else "cm"
    rows = {}
    for size, values in raw.items():
        rows[size] = {}
        for key, value in values.items():
            cm = value * CHART_UNITS[declared.get(key) or unit or "cm"]
            if not MEASURE_RANGE_CM[0] <= cm <= MEASURE_RANGE_CM[1]:
                raise GarmentImportError(f"{shown}: size {size} {key} is {cm:.1f} cm, not a garment measurement; "
                                         "check the chart's units (declare them in the header, e.g. 'chest (in)')")
            rows[size][key] = round(cm, 2)
    shown_unit = unit or ("mixed" if len(set(declared.values())) > 1 else next(iter(declared.values())))
    return SizeChart(tuple(raw), rows, "in" if shown_unit in ("inch", "inches") else shown_unit)


def _column(header: str, shown: str) -> tuple[str, str | None]:
    """A header cell -> (measure name, declared unit or None)."""
    h = header.strip().lower()
    unit = None
    match = _UNIT_RE.match(h)
    if match and match.group(1).strip(" _-([") and h != "size":
        h, unit = match.group(1).strip(" _-(["), match.group(2)
    h = CHART_COLUMN_ALIASES.get(h, h)
    if h != "size" and h not in CHART_MEASURES:
        raise GarmentImportError(f"{shown} has an unknown column '{header.strip()[:30]}'; use size and some of "
                                 f"{', '.join(CHART_MEASURES)}")
    return h, unit
