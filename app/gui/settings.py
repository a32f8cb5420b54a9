"""The window's remembered settings: typed, versioned, kept as JSON under the data root.

``data_root()/settings.json`` holds ``{"version": N, ...}``. Older versions are migrated on
load; an unreadable file is set aside (renamed ``settings.json.bad``) and defaults are used,
because a broken settings file must never stop the app from opening.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import ClassVar

from avatar.safe_json import load_json_text
from avatar.storage import atomic_write_json, data_root

from .constants import SETTINGS_VERSION

log = logging.getLogger(__name__)

FILE_NAME = "settings.json"


@dataclass
class Settings:
    """What the desktop app remembers between runs.

    Attributes
    ----------
    geometry, window_state : Qt's saveGeometry/saveState blobs, base64 text ("" = none yet)
    last_profile : name of the profile loaded last ("" = none)
    units : "cm" or "in", the unit the shopper typed in last
    panel : index of the left panel tab shown last
    load_problem : why the file could not be used ("" when it could); not saved, shown in a banner
    """

    load_problem: ClassVar[str] = ""

    geometry: str = ""
    window_state: str = ""
    last_profile: str = ""
    units: str = "cm"
    panel: int = 0
    version: int = field(default=SETTINGS_VERSION)

    @staticmethod
    def path() -> Path:
        return data_root() / FILE_NAME

    @classmethod
    def load(cls, path: Path | None = None) -> "Settings":
        path = path or cls.path()
        if not path.is_file():
            return cls()
        try:
            raw = load_json_text(path.read_text(encoding="utf-8"), what="it")
            if not isinstance(raw, dict):
                raise ValueError("it is not a JSON object")
            raw = migrate(raw)
        except (OSError, ValueError) as exc:  # UnsafeJsonError and UnicodeDecodeError are ValueErrors
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            aside = path.with_name(path.name + ".bad")
            try:
                path.replace(aside)
            except OSError:
                aside = path
            settings = cls()
            settings.load_problem = (f"The saved window settings could not be read ({exc}); the defaults are used "
                                     f"and the old file is kept as {aside}")
            return settings
        known = {f.name: f for f in fields(cls)}
        values = {}
        defaults = cls()
        for name, value in raw.items():
            if name in known and isinstance(value, type(getattr(defaults, name))):
                values[name] = value
        settings = cls(**values)
        if settings.units not in ("cm", "in"):
            settings.units = "cm"
        settings.version = SETTINGS_VERSION
        return settings

    def save(self, path: Path | None = None) -> None:
        atomic_write_json(path or self.path(), asdict(self))

    # Qt blobs <-> text
    @staticmethod
    def encode(blob) -> str:
        return base64.b64encode(bytes(blob)).decode("ascii")

    @staticmethod
    def decode(text: str) -> bytes:
        try:
            return base64.b64decode(text.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            return b""


def migrate(raw: dict) -> dict:
    """Bring a settings dict of any older version up to :data:`SETTINGS_VERSION`."""
    version = raw.get("version", 0)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        raise ValueError(f"unknown settings version {version!r}")
    if version < 1:  # version 0 (unversioned) called the last profile "profile"
        raw = dict(raw)
        if "profile" in raw and "last_profile" not in raw:
            raw["last_profile"] = raw.pop("profile")
        raw["version"] = 1
    return raw
