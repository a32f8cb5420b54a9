"""The measurements a shopper can give, their units, human ranges and validation.

Values are centimetres (body_mass: kilograms) at this edge; the core works in metres.
Definitions follow ISO 8559-1 / ISO 7250-1; tolerances follow ISO 20685-1 (see docs/measurements.md).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

from .errors import MeasurementError
from .safe_json import UnsafeJsonError, load_json_text

CM_PER_INCH = 2.54
KG_PER_LB = 0.45359237
SEXES = ("female", "male")
# Body mass comes from the avatar's volume times an average density. Adults' whole-body densities
# spread by about +-4 % between lean and fat bodies of the same shape (about 1.00-1.08 kg/L, Siri 1961),
# so a mass within 4 % (at least 2.5 kg) of the asked one is as close as a body's volume can tell.
MASS_TOLERANCE_KG = 2.5
MASS_TOLERANCE_FRACTION = 0.04
PROFILE_SCHEMA_VERSION = 1  # the profile format of avatar/profiles.py
# Keys of a JSON profile that are not measurements (a flat profile holds measurements beside them).
PROFILE_FIELDS = ("sex", "id", "name", "units", "display_units", "schema_version", "updated_at")
MAX_MEASUREMENT_FILE_BYTES = 20 * 1024 * 1024  # a CSV of many thousand bodies fits; anything larger is not a measurement file


@dataclass(frozen=True)
class MeasurementSpec:
    """One measurement: what it is, how it is taken and what values a human body can have.

    ``kind`` is girth, height, length, breadth or mass; ``tolerance_mm`` is ISO 20685-1's maximum allowable
    difference for that kind (mass: our own tolerance in kg, 1.5); ``limb`` says a girth is taken
    perpendicular to a limb rather than horizontally.
    """

    name: str
    label: str
    kind: str
    tolerance_mm: float
    low: float
    high: float
    definition: str
    limb: bool = False

    @property
    def unit(self) -> str:
        return "kg" if self.kind == "mass" else "cm"


# Ranges are wide human ranges (teenagers to large adults). Each holds every adult measured in the
# ANSUR II survey (US Army, 2012: 4,082 men and 1,986 women) with at least 10 % to spare on both
# sides: the survey's smallest and largest values, women and men together, are (cm; body mass kg)
# stature 140.9-199.3, chest 69.5-146.9, waist 61.1-137.9, hip 73.7-134.1, neck 30.2-54.5,
# shoulder breadth 28.3-48.9, upper arm 21.6-49.0, wrist 12.4-21.6, inside leg 61.0-103.1,
# thigh 41.2-87.0, calf 26.6-52.3, ankle 15.6-29.3, body mass 35.8-144.2.
MEASUREMENTS: dict[str, MeasurementSpec] = {
    spec.name: spec
    for spec in (
        MeasurementSpec("stature", "Height", "height", 4, 120, 220,
                        "Floor to the top of the head (vertex), standing erect."),
        MeasurementSpec("chest_girth", "Chest / bust", "girth", 9, 60, 170,
                        "Horizontal girth at bust-point (nipple) level: over the bust for women, across the chest "
                        "under the armpits for men; tape bridging the hollow between the breasts."),
        MeasurementSpec("underbust_girth", "Underbust", "girth", 9, 55, 160,
                        "Horizontal girth just below the breasts (inframammary fold)."),
        MeasurementSpec("waist_girth", "Waist", "girth", 9, 50, 180,
                        "Horizontal girth at the waist level, midway between the lowest rib and the iliac crest."),
        MeasurementSpec("hip_girth", "Hip", "girth", 9, 65, 180,
                        "Horizontal girth at the level of greatest buttock protrusion."),
        MeasurementSpec("neck_girth", "Neck", "girth", 4, 25, 60,
                        "Girth at the base of the neck, just above where it meets the shoulders, perpendicular "
                        "to the neck's axis."),
        MeasurementSpec("shoulder_breadth", "Shoulder breadth", "breadth", 4, 25, 60,
                        "Straight distance between the two acromion points (biacromial breadth)."),
        MeasurementSpec("arm_length", "Arm length", "length", 5, 40, 90,
                        "Shoulder point (acromion) over the elbow to the wrist, arm slightly bent."),
        MeasurementSpec("upper_arm_girth", "Upper arm", "girth", 4, 18, 60,
                        "Girth of the upper arm midway between shoulder point and elbow, perpendicular to the arm.",
                        limb=True),
        MeasurementSpec("wrist_girth", "Wrist", "girth", 4, 11, 25,
                        "Girth of the wrist at the wrist joint, perpendicular to the forearm.", limb=True),
        MeasurementSpec("inside_leg_height", "Inside leg", "height", 4, 50, 115,
                        "Vertical distance from the crotch to the floor."),
        MeasurementSpec("thigh_girth", "Thigh", "girth", 9, 35, 100,
                        "Girth of the thigh just below the gluteal fold, perpendicular to the thigh.", limb=True),
        MeasurementSpec("calf_girth", "Calf", "girth", 4, 20, 60,
                        "Maximum girth of the calf, perpendicular to the lower leg.", limb=True),
        MeasurementSpec("ankle_girth", "Ankle", "girth", 4, 12, 35,
                        "Minimum girth of the leg just above the ankle bones, perpendicular to the lower leg.",
                        limb=True),
        MeasurementSpec("body_mass", "Weight", "mass", MASS_TOLERANCE_KG, 30, 200,
                        "Body mass in kilograms (the avatar's volume times the density of the human body)."),
    )
}
MEASUREMENT_NAMES = tuple(MEASUREMENTS)
STATURE_RANGE_CM = (MEASUREMENTS["stature"].low, MEASUREMENTS["stature"].high)  # the heights an avatar can have
GIRTHS = tuple(n for n, s in MEASUREMENTS.items() if s.kind == "girth")


def tolerance(name: str, value: float) -> float:
    """How far the avatar may be from a given value: cm (ISO 20685-1's limit), body_mass kg.

    Parameters
    ----------
    name : a measurement name
    value : the given value, cm (body_mass kg); only body mass's limit depends on it
    """
    spec = MEASUREMENTS[name]
    if spec.kind == "mass":
        return max(MASS_TOLERANCE_KG, MASS_TOLERANCE_FRACTION * value)
    return spec.tolerance_mm / 10.0


def suggest(name: str) -> str:
    """A hint with the nearest valid measurement name, for error messages."""
    close = difflib.get_close_matches(name.lower(), MEASUREMENT_NAMES, n=1, cutoff=0.4)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid names: " + ", ".join(MEASUREMENT_NAMES)


def _number(name: str, raw, where: str, units: str) -> float:
    if isinstance(raw, bool) or raw is None:
        raise MeasurementError(f"{where}{name}: expected a number in {_range_text(MEASUREMENTS[name], units)}, "
                               f"got {json.dumps(raw)}")
    try:
        value = float(raw)
    except OverflowError:  # an integer of hundreds of digits
        value = math.inf
    except (TypeError, ValueError):
        raise MeasurementError(f"{where}{name}: '{_short(raw)}' is not a number; give a number in "
                               f"{_range_text(MEASUREMENTS[name], units)}") from None
    if not math.isfinite(value):
        raise MeasurementError(f"{where}{name}: {_short(raw)} is not a finite number; give a number in "
                               f"{_range_text(MEASUREMENTS[name], units)}")
    return value


def validate(values: dict, *, units: str = "cm", where: str = "") -> dict[str, float]:
    """Check names and values; return centimetres (body_mass in kg).

    Parameters
    ----------
    values : measurement name -> number in ``units`` (body_mass in kg, or lb with ``units='in'``)
    units : "cm" or "in"
    where : prefix for messages, e.g. "row 3: "

    Raises
    ------
    MeasurementError naming the field and the valid range.
    """
    if not isinstance(units, str) or units not in ("cm", "in"):
        raise MeasurementError(f"{where}unknown units '{_short(units)}'; use cm or in")
    out: dict[str, float] = {}
    for name, raw in values.items():
        if name not in MEASUREMENTS:
            raise MeasurementError(f"{where}unknown measurement '{_short(name)}'; {suggest(str(name))}")
        value = _number(name, raw, where, units)
        spec = MEASUREMENTS[name]
        if units == "in":
            value = value * (KG_PER_LB if spec.kind == "mass" else CM_PER_INCH)
        if value <= 0:
            raise MeasurementError(f"{where}{name} must be positive; give it in {_range_text(spec, units)}")
        if not spec.low <= value <= spec.high:
            raise MeasurementError(
                f"{where}{name} = {_short(_fmt(raw))} {_unit(spec, units)} is outside the human range {_range_text(spec, units)}"
            )
        out[name] = value
    if "stature" not in out:
        raise MeasurementError(f"{where}stature is required (height in {'inches' if units == 'in' else 'cm'}); "
                               "add a 'stature' value")
    return out


def _short(raw, limit: int = 24) -> str:
    """A value as text for a message, cut short (a hostile file's value can be megabytes long)."""
    if isinstance(raw, int) and abs(raw) >= 10 ** limit:  # str() of a huge int is slow, over 4300 digits refused
        text = f"a {int(abs(raw).bit_length() * math.log10(2)) + 1}-digit number"
    else:
        text = str(raw)
    text = text if len(text) <= limit else text[:limit] + "..."
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)  # a message stays one line


def _unit(spec: MeasurementSpec, units: str) -> str:
    if spec.kind == "mass":
        return "lb" if units == "in" else "kg"
    return "in" if units == "in" else "cm"


def _fmt(x) -> str:
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return str(x)


def _range_text(spec: MeasurementSpec, units: str) -> str:
    factor = 1.0
    if units == "in":
        factor = 1 / KG_PER_LB if spec.kind == "mass" else 1 / CM_PER_INCH
    return f"{round(spec.low * factor, 1):g}-{round(spec.high * factor, 1):g} {_unit(spec, units)}"


def parse_sex(raw, where: str = "") -> str | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    text = str(raw).strip().lower()
    aliases = {"f": "female", "w": "female", "woman": "female", "m": "male", "man": "male"}
    text = aliases.get(text, text)
    if text not in SEXES:
        raise MeasurementError(f"{where}sex '{_short(raw)}' is not recognised; use female or male (or leave it empty)")
    return text


@dataclass(frozen=True)
class BodyRecord:
    """One body to build: an id, an optional sex, and measurements in cm (body_mass in kg)."""

    id: str
    values: dict[str, float]
    sex: str | None = None


def read_measurement_file(path: Path, *, units: str = "cm") -> tuple[list[BodyRecord], str]:
    """Read a JSON profile or a CSV of bodies.

    Returns
    -------
    (records, kind) where kind is "json" or "csv".
    """
    path = Path(path)
    text = read_measurement_text(path)
    if path.suffix.lower() == ".csv" or (path.suffix.lower() != ".json" and not text.lstrip().startswith("{")):
        return parse_csv(text, units=units, source=path.name), "csv"
    return [parse_profile_json(text, units=units, source=path.name, default_id=path.stem)], "json"


def read_measurement_text(path: Path) -> str:
    """The text of a measurement file, after the checks every such file gets (exists, not empty, not huge, UTF-8)."""
    path = Path(path)
    if not path.is_file():
        raise MeasurementError(f"measurement file not found: {path}; give the path of a .json profile or a .csv")
    if path.stat().st_size == 0:
        raise MeasurementError(f"{path.name} is empty; it must hold a JSON profile or a CSV with a header row")
    if path.stat().st_size > MAX_MEASUREMENT_FILE_BYTES:
        raise MeasurementError(f"{path.name} is larger than {MAX_MEASUREMENT_FILE_BYTES // 2**20} MB; split it")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MeasurementError(f"{path.name} is not UTF-8 text; save it as a UTF-8 .json or .csv") from None


def parse_profile_json(text: str, *, units: str = "cm", source: str = "profile", default_id: str = "body") -> BodyRecord:
    """A JSON profile: ``{"measurements": {...}, "sex": ..., "name": ..., "units": ...}`` or a flat ``{name: value}``."""
    try:
        data = load_json_text(text, what=source)
    except UnsafeJsonError as exc:
        raise MeasurementError(f"{exc}; fix the file") from None
    if not isinstance(data, dict):
        raise MeasurementError(f"{source} must hold a JSON object with a 'measurements' object")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= PROFILE_SCHEMA_VERSION:
        raise MeasurementError(f"{source} has schema_version {_short(json.dumps(version))}; this version reads "
                               f"{PROFILE_SCHEMA_VERSION} (update the app, or remove the field)")
    if "measurements" in data:
        values = data["measurements"]
        if not isinstance(values, dict):
            raise MeasurementError(f"{source}: 'measurements' must be an object of name: value")
    else:
        values = {k: v for k, v in data.items() if k not in PROFILE_FIELDS}
    sex = data.get("sex")
    units = value_units(data, units)
    ident = data.get("id") or data.get("name") or default_id
    ident = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else default_id
    if not values:
        raise MeasurementError(f"{source} has no measurements; add at least 'stature'")
    return BodyRecord(id=ident, values=validate(values, units=units), sex=parse_sex(sex))


def value_units(data: dict, default: str) -> str:
    """The units a JSON profile's values are in.

    A file written by the profile store (``avatar.profiles``) holds cm: it says so in ``units`` and
    keeps the shopper's choice in ``display_units``; files it wrote before ``display_units`` existed
    put that choice in ``units`` but held cm all the same, and are known by their ``updated_at``
    next to a nested ``measurements``. Any other file's values are in its ``units``, else ``default``.
    """
    store_file = "display_units" in data or ("updated_at" in data and isinstance(data.get("measurements"), dict))
    return "cm" if store_file else data.get("units", default)


def parse_csv(text: str, *, units: str = "cm", source: str = "file") -> list[BodyRecord]:
    """A CSV whose header holds measurement names plus optional ``id`` and ``sex`` columns, one body per row."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise MeasurementError(f"{source} is not a readable CSV ({exc}); save it as comma-separated text") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise MeasurementError(f"{source} is empty; it needs a header row of measurement names and one row per body")
    header = [h.strip() for h in rows[0]]
    for h in header:
        if h not in MEASUREMENTS and h not in ("id", "sex"):
            raise MeasurementError(f"{source}: unknown column '{_short(h)}'; {suggest(h)}")
    if len(set(header)) != len(header):
        raise MeasurementError(f"{source}: a column name appears twice in the header; keep one of each")
    if "stature" not in header:
        raise MeasurementError(f"{source}: the header has no 'stature' column; stature (height) is required")
    if len(rows) == 1:
        raise MeasurementError(f"{source} has a header but no bodies; add one row per body")
    records: list[BodyRecord] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        where = f"{source} line {number}: "
        if len(row) != len(header):
            raise MeasurementError(f"{where}has {len(row)} cells, the header has {len(header)}; fix the row")
        cells = dict(zip(header, (c.strip() for c in row)))
        ident = cells.pop("id", "") or f"body{number - 1:04d}"
        if not all(ch.isalnum() or ch in "-_." for ch in ident) or ident.startswith("."):
            raise MeasurementError(f"{where}id '{_short(ident)}' must use only letters, digits, '-', '_' and '.'")
        if ident in seen:
            raise MeasurementError(f"{where}id '{_short(ident)}' appears twice; ids must be unique")
        seen.add(ident)
        sex = parse_sex(cells.pop("sex", None), where)
        values = {k: v for k, v in cells.items() if v != ""}
        records.append(BodyRecord(id=ident, values=validate(values, units=units, where=where), sex=sex))
    return records
