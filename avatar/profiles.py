"""Shopper profiles: named measurement sets saved as JSON under the user data root.

File format (``<data root>/profiles/<slug>.json``)::

    {"schema_version": 1, "name": "Anna", "sex": "female" | null, "units": "cm",
     "measurements": {"stature": 168.0, ...}, "updated_at": "2026-11-22T10:00:00Z"}

Values are stored in cm (body_mass in kg) whatever units the shopper typed in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import ProfileError, UserError
from .measurements import PROFILE_SCHEMA_VERSION, parse_sex, validate
from .storage import atomic_write_json, data_root

SCHEMA_VERSION = PROFILE_SCHEMA_VERSION
MAX_NAME_LENGTH = 60


@dataclass(frozen=True)
class Profile:
    name: str
    measurements: dict[str, float]
    sex: str | None = None
    units: str = "cm"
    updated_at: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def to_json(self) -> dict:
        return {"schema_version": SCHEMA_VERSION, "name": self.name, "sex": self.sex, "units": self.units,
                "measurements": self.measurements, "updated_at": self.updated_at}


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "profile"


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ProfileError("a profile needs a name; type one")
    if len(name) > MAX_NAME_LENGTH:
        raise ProfileError(f"profile name is longer than {MAX_NAME_LENGTH} characters; shorten it")
    return name


def migrate(data: dict, source: str) -> dict:
    """Bring an older profile file up to the current schema (version 1 is the first)."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ProfileError(f"{source} was written by a newer version (schema {version}); update the app")
    return data


class ProfileStore:
    """Create, list, load, rename and delete profiles; every write is atomic."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else data_root() / "profiles"

    def _path(self, name: str) -> Path:
        return self.root / f"{_slug(name)}.json"

    def names(self) -> list[str]:
        """Profile names, alphabetically; unreadable files are skipped."""
        out = []
        for path in sorted(self.root.glob("*.json")) if self.root.is_dir() else []:
            try:
                out.append(str(json.loads(path.read_text())["name"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(out, key=str.lower)

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def save(self, profile: Profile, *, overwrite: bool = True) -> Path:
        name = _check_name(profile.name)
        values = validate(profile.measurements)
        sex = parse_sex(profile.sex)
        path = self._path(name)
        if path.exists() and not overwrite:
            raise ProfileError(f"a profile named '{name}' already exists; choose another name")
        atomic_write_json(path, Profile(name, values, sex, profile.units).to_json())
        return path

    def load(self, name: str) -> Profile:
        path = self._path(name)
        if not path.is_file():
            known = ", ".join(self.names()) or "none saved yet"
            raise ProfileError(f"no profile named '{name}'; saved profiles: {known}")
        try:
            data = migrate(json.loads(path.read_text()), path.name)
            return Profile(name=str(data["name"]), measurements=validate(data["measurements"]),
                           sex=parse_sex(data.get("sex")), units=data.get("units", "cm"),
                           updated_at=data.get("updated_at", ""))
        except (ValueError, KeyError, TypeError) as exc:
            if isinstance(exc, UserError):
                raise ProfileError(f"profile '{name}' is damaged ({exc}); save it again") from None
            raise ProfileError(f"profile '{name}' is damaged; delete it or save it again") from None

    def rename(self, old: str, new: str) -> Path:
        profile = self.load(old)
        new = _check_name(new)
        if _slug(new) != _slug(old) and self.exists(new):
            raise ProfileError(f"a profile named '{new}' already exists; choose another name")
        path = self.save(Profile(new, profile.measurements, profile.sex, profile.units))
        if self._path(old) != path:
            self._path(old).unlink(missing_ok=True)
        return path

    def delete(self, name: str) -> None:
        path = self._path(name)
        if not path.is_file():
            raise ProfileError(f"no profile named '{name}' to delete")
        path.unlink()

    def delete_all(self) -> int:
        """Remove every profile (the shopper's "delete my data"); returns how many were removed."""
        count = 0
        for path in list(self.root.glob("*.json")) if self.root.is_dir() else []:
            path.unlink(missing_ok=True)
            count += 1
        for stray in list(self.root.glob(".*.tmp")) if self.root.is_dir() else []:
            stray.unlink(missing_ok=True)
        return count
