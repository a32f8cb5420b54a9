"""The portable profile: the values a shopper chooses to take to another installation (a file or a QR code).

File format (JSON, UTF-8; documented in docs/profiles.md)::

    {"format": "fitting-room-profile", "format_version": 1, "name": "Anna", "sex": "female",
     "units": "cm", "measurements": {"stature": 165.0, "chest_girth": 92.0, ...},
     "uncertainty": {"chest_girth": 1.7, ...}}

Measurements are centimetres (``body_mass`` kilograms), as in every measurement file; ``uncertainty``
holds the ± of estimated values in the same units and is left out when there is none. No photo and
no mesh is ever part of it. ``stature`` is required; every other value is the shopper's choice.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ProfileCodeError
from .measurements import MEASUREMENTS, parse_profile_json, read_measurement_text, suggest, validate
from .safe_json import UnsafeJsonError, load_json_text
from .storage import atomic_write_json

FORMAT = "fitting-room-profile"
FORMAT_VERSION = 1
#: The largest ± a portable profile holds, cm (kg): a wider one says nothing about a body. It is also
#: what the QR payload's 8-bit, 0.1-unit field can carry.
MAX_UNCERTAINTY = 25.5
#: A field name that chooses the sex, next to the measurement names (``--only stature,sex,...``).
SEX_FIELD = "sex"


@dataclass(frozen=True)
class PortableProfile:
    """What a shopper takes along.

    Attributes
    ----------
    measurements : name -> cm (body_mass kg); holds ``stature``
    sex : "female", "male" or None (not given)
    uncertainty : name -> ± in the measurement's unit, for estimated values only
    name : the profile's name in the file ("" in a QR code, which carries no name)
    """

    measurements: dict[str, float]
    sex: str | None = None
    uncertainty: dict[str, float] = field(default_factory=dict)
    name: str = ""

    def fields(self) -> tuple[str, ...]:
        """The names of the values it holds (measurement names, then ``sex`` if given)."""
        return tuple(self.measurements) + ((SEX_FIELD,) if self.sex else ())

    def only(self, chosen) -> "PortableProfile":
        """The same profile holding only the ``chosen`` fields (measurement names and ``sex``).

        Raises
        ------
        ProfileCodeError : a name that is no field, a field this profile does not hold, or no stature.
        """
        chosen = [c.strip() for c in chosen if c.strip()]
        for name in chosen:
            if name != SEX_FIELD and name not in MEASUREMENTS:
                raise ProfileCodeError(f"'{name}' is not a value a profile holds; {suggest(name)} (or 'sex')")
            if name not in self.fields():
                held = ", ".join(self.fields())
                raise ProfileCodeError(f"the profile has no {name} to give; it holds {held}")
        if "stature" not in chosen:
            raise ProfileCodeError("stature is required in every export (the avatar is scaled to it); "
                                   "add it to the chosen values")
        keep = set(chosen)
        return PortableProfile({n: v for n, v in self.measurements.items() if n in keep},
                               self.sex if SEX_FIELD in keep else None,
                               {n: u for n, u in self.uncertainty.items() if n in keep}, self.name)

    def to_json(self) -> dict:
        out = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": self.name, "sex": self.sex,
               "units": "cm", "measurements": {n: round(v, 2) for n, v in self.measurements.items()}}
        if self.uncertainty:
            out["uncertainty"] = {n: round(u, 2) for n, u in self.uncertainty.items()}
        return out


def checked(profile: PortableProfile, source: str = "profile") -> PortableProfile:
    """``profile`` with its measurements and ± validated as every measurement file's are.

    Raises
    ------
    MeasurementError : a measurement outside the human range, or no stature
    ProfileCodeError : a ± that is negative, too large or for a value the profile does not hold
    """
    values = validate(profile.measurements, where=f"{source}: ")
    return PortableProfile(values, profile.sex, check_uncertainty(profile.uncertainty, values, source), profile.name)


def check_uncertainty(raw, values: dict[str, float], source: str) -> dict[str, float]:
    """Validate an ``uncertainty`` object against the measurements it belongs to; cm (kg)."""
    if not isinstance(raw, dict):
        raise ProfileCodeError(f"{source}: 'uncertainty' must be an object of name: ± value")
    out = {}
    for name, u in raw.items():
        if name not in values:
            raise ProfileCodeError(f"{source}: uncertainty of '{name}', which the profile does not hold; "
                                   "remove it or add the measurement")
        if isinstance(u, bool) or not isinstance(u, (int, float)) or not math.isfinite(u) \
                or not 0 <= u <= MAX_UNCERTAINTY:
            raise ProfileCodeError(f"{source}: uncertainty of {name} must be a number from 0 to "
                                   f"{MAX_UNCERTAINTY:g} {MEASUREMENTS[name].unit}, got {json.dumps(u)}")
        out[name] = float(u)
    return out


def read_portable_file(path: Path) -> PortableProfile:
    """Read an exported profile file, refusing one that is not ours or has another format version.

    The measurements go through the parser of every measurement file (same checks, same messages).
    """
    path = Path(path)
    text = read_measurement_text(path)
    try:
        data = load_json_text(text, what=path.name)
    except UnsafeJsonError as exc:
        raise ProfileCodeError(f"{exc}; export the profile again") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProfileCodeError(f"{path.name} is not an exported fitting-room profile (no \"format\": \"{FORMAT}\"); "
                               "export one with 'fitting-room profile export', or save a measurement file with "
                               "'fitting-room profile save NAME --measurements FILE'")
    version = data.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ProfileCodeError(f"{path.name} has format version {json.dumps(version)}; this version reads "
                               f"{FORMAT_VERSION} (update the app that reads it, or export it again)")
    if data.get("units", "cm") != "cm":
        raise ProfileCodeError(f"{path.name} has units {json.dumps(data.get('units'))}; an exported profile is "
                               "always in cm (kg); export it again")
    record = parse_profile_json(text, source=path.name, default_id=path.stem)
    name = data.get("name")
    return PortableProfile(record.values, record.sex,
                           check_uncertainty(data.get("uncertainty", {}), record.values, path.name),
                           name.strip() if isinstance(name, str) else "")


def write_portable_file(profile: PortableProfile, path: Path) -> Path:
    """Write ``profile`` (validated first) as an exported profile file, atomically."""
    profile = checked(profile, Path(path).name)
    atomic_write_json(Path(path), profile.to_json())
    return Path(path)


def from_saved(profile) -> PortableProfile:
    """The portable profile of a saved ``avatar.profiles.Profile``, with the ± of its estimated values."""
    return PortableProfile(dict(profile.measurements), profile.sex, dict(profile.uncertainty), profile.name)


def parse_only(text: str | None) -> list[str] | None:
    """``--only stature,chest_girth,sex`` -> the names, or None for every value."""
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ProfileCodeError("--only names no value; give a comma-separated list such as stature,chest_girth")
    return names


def short_label(name: str) -> str:
    """A measurement's name in a sentence: "height", "chest", "inside leg", "weight"."""
    return MEASUREMENTS[name].label.split(" / ")[0].lower()


def describe(profile: PortableProfile) -> str:
    """What a profile holds, in one line: "Height 165 cm, chest 92 ± 1.5 cm, ..., female".

    Values in cm (body mass in kg), to 0.1, the way the measurements form shows them.
    """
    parts = []
    for name, value in profile.measurements.items():
        unc = profile.uncertainty.get(name)
        spread = f" ± {unc:.1f}".rstrip("0").rstrip(".") if unc else ""
        parts.append(f"{short_label(name)} {value:.1f}".rstrip("0").rstrip(".") + f"{spread} {MEASUREMENTS[name].unit}")
    if profile.sex:
        parts.append(profile.sex)
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]
