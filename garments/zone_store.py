"""The finished zones of an imported garment kept on disk, so a new process does not measure them again.

Measuring a 12k-vertex rest mesh with the tape takes about a second; the result depends only on the
garment's files and this code. An entry is a JSON file under the user data root's cache
(``ZONE_STORE_FOLDER``), named by a SHA1 of the garment folder's files, the size and
``ZONE_STORE_VERSION``; it is written atomically, checked when read (anything unexpected is measured
again) and safe to delete.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable

import numpy as np

from .constants import ZONE_STORE_FOLDER, ZONE_STORE_VERSION
from .finished_zone import FinishedZone


def zone_key(folder: Path, size: str) -> str | None:
    """Hex SHA1 of every file in the garment's ``folder`` (names and bytes, sorted), ``size`` and the store's
    version; None when the folder cannot be read."""
    digest = hashlib.sha1(f"{ZONE_STORE_VERSION}:{size}".encode())
    try:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _encode(zones: dict) -> dict:
    return {"version": ZONE_STORE_VERSION,
            "zones": {z: {"girth_cm": fz.girth_cm, "reference_body_cm": fz.reference_body_cm,
                          "band_share": fz.band_share, "vertices": np.asarray(fz.vertices, np.int64).tolist()}
                      for z, fz in zones.items()}}


def _decode(data) -> dict | None:
    """The zones of a stored entry, or None when it is not one this version wrote."""
    if not isinstance(data, dict) or data.get("version") != ZONE_STORE_VERSION:
        return None
    if not isinstance(data.get("zones"), dict):
        return None
    try:
        return {z: FinishedZone(z, float(d["girth_cm"]), float(d["reference_body_cm"]),
                                None if d["band_share"] is None else float(d["band_share"]),
                                np.asarray(d["vertices"], np.int64).reshape(-1))
                for z, d in data["zones"].items()}
    except (KeyError, TypeError, ValueError):
        return None


def stored_zones(folder: Path, size: str, measure: Callable[[], dict]) -> dict:
    """``measure()``'s finished zones (zone -> ``garments.finished.FinishedZone``) of the garment in ``folder``,
    read from the store when an entry of the same files, size and version is there, else measured and stored.
    A store that cannot be read or written only costs the measuring."""
    from avatar.storage import atomic_write_json, data_root

    key = zone_key(folder, size)
    if key is None:
        return measure()
    path = data_root() / ZONE_STORE_FOLDER / f"{key}.json"
    try:
        zones = _decode(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        zones = None
    if zones is not None:
        return zones
    zones = measure()
    try:
        atomic_write_json(path, _encode(zones))
    except OSError:
        pass
    return zones
