"""Shopper profiles: named measurement sets saved as JSON under the user data root.

File format (``<data root>/profiles/<slug>-<hash>.json``)::

    {"schema_version": 1, "name": "Anna", "sex": "female" | null, "units": "cm", "display_units": "in",
     "measurements": {"stature": 168.0, ...}, "uncertainty": {"chest_girth": 1.6, ...},
     "updated_at": "2026-11-22T10:00:00Z"}

Values are stored in cm (body_mass in kg) whatever units the shopper typed in: ``units`` is
always "cm" and ``display_units`` is how the shopper likes to see them. ``uncertainty`` holds the ±
of values estimated from photos, in the same units, checked as a portable profile's are
(``avatar.portable.check_uncertainty``); it is left out when no value has one. Files without it
(older ones, typed values) read as having none; readers that do not know it ignore it, so it needs no
new schema version. A name is any Unicode text; two names are the same profile when they differ only
in case or spacing. The file name is an ASCII slug of the name (for people browsing the folder)
plus a hash of the name (so names that slug alike, such as "张伟" and "李娜", never share a file);
the name itself is stored inside.
Files from before the hash (``<slug>.json``) are still read, found by the name they hold.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import ProfileError, UserError
from .measurements import PROFILE_SCHEMA_VERSION, parse_sex, validate
from .portable import check_uncertainty
from .safe_json import load_json_text
from .storage import atomic_write_json, data_root, os_error_reason

SCHEMA_VERSION = PROFILE_SCHEMA_VERSION
MAX_NAME_LENGTH = 60
# Hex digits of the name's SHA-256 in the file name: 40 bits, so a collision needs about a million profiles.
NAME_HASH_CHARS = 10
MAX_SLUG_LENGTH = 40
UNITS = ("cm", "in")


@dataclass(frozen=True)
class Profile:
    """A named measurement set.

    Attributes
    ----------
    measurements : name -> cm (body_mass kg)
    sex : "female", "male" or None
    units : how the shopper likes to see the values ("cm" or "in")
    updated_at : when it was saved, ISO 8601 UTC
    uncertainty : name -> ± in the measurement's unit, for the values estimated from photos only
    """

    name: str
    measurements: dict[str, float]
    sex: str | None = None
    units: str = "cm"
    updated_at: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    uncertainty: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"schema_version": SCHEMA_VERSION, "name": self.name, "sex": self.sex, "units": "cm",
               "display_units": self.units if self.units in UNITS else "cm", "measurements": self.measurements}
        if self.uncertainty:
            out["uncertainty"] = self.uncertainty
        out["updated_at"] = self.updated_at
        return out


def name_key(name: str) -> str:
    """What makes two names the same profile: Unicode-normalised, spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def file_name(name: str) -> str:
    """The profile file of ``name``: ``<ascii slug>-<hash of the name>.json``."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_SLUG_LENGTH].strip("-") or "profile"
    digest = hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:NAME_HASH_CHARS]
    return f"{slug}-{digest}.json"


def check_name(name) -> str:
    """A usable profile name (surrounding spaces dropped), or ProfileError saying what to change."""
    name = str(name or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise ProfileError("a profile name cannot hold control characters or undecodable bytes; type it again")
    name = " ".join(name.split())
    if not name:
        raise ProfileError("a profile needs a name; type one")
    if len(name) > MAX_NAME_LENGTH:
        raise ProfileError(f"profile name is longer than {MAX_NAME_LENGTH} characters; shorten it")
    return unicodedata.normalize("NFC", name)


def migrate(data: dict, source: str) -> dict:
    """Bring an older profile file up to the current schema (version 1 is the first)."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
        raise ProfileError(f"{source} was written by a newer version (schema {version}); update the app")
    return data


def _read(path: Path) -> dict:
    data = load_json_text(path.read_text(encoding="utf-8"), what=path.name)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ValueError(f"{path.name} is not a profile")
    return data


class ProfileStore:
    """Create, list, load, rename and delete profiles; every write is atomic, nothing is overwritten unasked."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else data_root() / "profiles"

    def _path(self, name: str) -> Path:
        return self.root / file_name(name)

    def _stored(self) -> list[tuple[Path, dict]]:
        """Every readable profile file and its contents; unreadable files are skipped."""
        out = []
        for path in sorted(self.root.glob("*.json")) if self.root.is_dir() else []:
            try:
                out.append((path, _read(path)))
            except (OSError, ValueError, UnicodeDecodeError):
                continue
        return out

    def _find(self, name: str) -> Path | None:
        """The file holding the profile ``name`` (its own file first, else an older file holding that name)."""
        key = name_key(name)
        path = self._path(name)
        if path.is_file():
            return path
        return next((p for p, data in self._stored() if name_key(data["name"]) == key), None)

    def names(self) -> list[str]:
        """Profile names, alphabetically; unreadable files are skipped, each name listed once."""
        seen: dict[str, str] = {}
        for _path, data in self._stored():
            seen.setdefault(name_key(data["name"]), data["name"])
        return sorted(seen.values(), key=str.casefold)

    def exists(self, name: str) -> bool:
        return self._find(name) is not None

    def save(self, profile: Profile, *, overwrite: bool = False) -> Path:
        """Write ``profile``; an existing profile of that name is replaced only with ``overwrite``."""
        name = check_name(profile.name)
        values = validate(profile.measurements)
        uncertainty = check_uncertainty(profile.uncertainty, values, f"profile '{name}'")
        sex = parse_sex(profile.sex)
        existing = self._find(name)
        if existing is not None and not overwrite:
            raise ProfileError(f"a profile named '{name}' already exists; choose another name, or replace it "
                               "(--replace on the command line)")
        units = profile.units if profile.units in UNITS else "cm"
        path = self._path(name)
        self._write(path, Profile(name, values, sex, units, uncertainty=uncertainty), f"save the profile '{name}'")
        if existing is not None and existing != path:  # an older file of the same name, now superseded
            try:
                existing.unlink()
            except OSError:
                pass  # the new file is found first; the old one is only listed once

        return path

    def load(self, name: str) -> Profile:
        path = self._find(check_name(name))
        if path is None:
            known = ", ".join(self.names()) or "none saved yet"
            raise ProfileError(f"no profile named '{name}'; saved profiles: {known}")
        try:
            data = migrate(_read(path), path.name)
            display = data.get("display_units", data.get("units", "cm"))  # before display_units: "units"
            values = validate(data["measurements"])
            return Profile(name=data["name"], measurements=values,
                           sex=parse_sex(data.get("sex")), units=display if display in UNITS else "cm",
                           updated_at=str(data.get("updated_at", "")),
                           uncertainty=check_uncertainty(data.get("uncertainty", {}), values, path.name))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            if isinstance(exc, UserError):
                raise ProfileError(f"profile '{name}' is damaged ({exc}); save it again") from None
            raise ProfileError(f"profile '{name}' is damaged; delete it or save it again") from None

    def rename(self, old: str, new: str) -> Path:
        profile = self.load(old)
        new = check_name(new)
        old_path = self._find(old)
        if name_key(new) != name_key(old) and self._find(new) is not None:
            raise ProfileError(f"a profile named '{new}' already exists; choose another name")
        path = self._path(new)
        self._write(path, Profile(new, profile.measurements, profile.sex, profile.units,
                                  uncertainty=profile.uncertainty), f"rename the profile '{old}'")
        if old_path is not None and old_path != path:
            try:
                old_path.unlink()
            except OSError as exc:
                path.unlink(missing_ok=True)  # keep one copy, under the old name
                raise ProfileError(f"could not rename the profile '{old}': {os_error_reason(exc, self.root)}") \
                    from None
        return path

    def delete(self, name: str) -> None:
        path = self._find(check_name(name))
        if path is None:
            raise ProfileError(f"no profile named '{name}' to delete")
        self._remove(path, f"delete the profile '{name}'")

    def delete_all(self) -> int:
        """Remove every profile (the shopper's "delete my data"); returns how many were removed."""
        count = 0
        for path in list(self.root.glob("*.json")) if self.root.is_dir() else []:
            path.unlink(missing_ok=True)
            count += 1
        for stray in list(self.root.glob(".*.tmp")) if self.root.is_dir() else []:
            stray.unlink(missing_ok=True)
        return count

    def _write(self, path: Path, profile: Profile, doing: str) -> None:
        try:
            atomic_write_json(path, profile.to_json())
        except OSError as exc:
            raise ProfileError(f"could not {doing}: {os_error_reason(exc, self.root)}; nothing was changed") \
                from None

    def _remove(self, path: Path, doing: str) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ProfileError(f"could not {doing}: {os_error_reason(exc, self.root)}") from None
