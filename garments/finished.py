"""A garment's finished girths: its rest (unstretched) mesh measured at the body's tape levels.

Every size's rest mesh sits on its reference body (``avatar.avatar.reference_avatar``). At each zone the
tape measures the garment in the plane in which it measures the reference body's girth (chest, waist, hip:
``garments.fit.zone_planes``), so the garment's girth and the body's are taken at the same level; since
draping moves the garment with the body, a shopper's girth at that zone is what the garment has to go
round. A bottom whose top edge sits under the body's waist has a waistband instead: measured
``WAISTBAND_BELOW_TOP_M`` under its top edge, with the body's girth at that level, which lies a share
``band_share`` of the way from the body's waist down to its hip.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from .constants import ZONE_HALF_HEIGHT_M
from .drape_constants import ZONE_PLANE_BAND_M
from .errors import GarmentError
from .finished_zone import FinishedZone
from .fit_constants import WAISTBAND_BELOW_TOP_M

GIRTH_ZONES = ("chest", "waist", "hip")


_CACHE: dict[tuple, dict[str, FinishedZone]] = {}


def finished_zones(garment, size: str) -> dict[str, FinishedZone]:
    """The finished girths of a garment in one size: zone -> FinishedZone (zones it does not reach left out).

    Cached per garment (id, source, folder and when its entry was written) and size; an imported garment's
    on disk too (``garments.zone_store``), so a new process does not measure it again.
    """
    spec = garment.size(size)
    entry = Path(garment.folder) / "garment.json" if garment.folder is not None else None
    written = entry.stat().st_mtime_ns if entry is not None and entry.is_file() else None
    key = (garment.id, garment.source, str(garment.folder), written, spec.name)
    if key not in _CACHE:
        if garment.source == "user" and garment.folder is not None:  # an import: kept on disk across processes
            from .zone_store import stored_zones

            _CACHE[key] = stored_zones(Path(garment.folder), spec.name, lambda: _measure(garment, spec.name))
        else:
            _CACHE[key] = _measure(garment, spec.name)
    return _CACHE[key]


def rest_torso(garment, size: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A size's rest mesh: vertices (N, 3) float metres, faces (F, 3) int, and (N,) bool: not on a sleeve."""
    from .catalog import rest_mesh

    mesh = rest_mesh(garment, size)
    v = np.asarray(mesh.vertices, float)
    return v, np.asarray(mesh.faces, np.int64), _not_sleeve(v, mesh.zones)


def torso_mask(v: np.ndarray, category: str, sex: str) -> np.ndarray:
    """(N,) bool: the vertices of a rest mesh (N, 3) metres on the reference body that are not on a sleeve."""
    from .catalog import garment_zones

    return _not_sleeve(v, garment_zones(v, category, sex))


def _not_sleeve(v: np.ndarray, zones: dict) -> np.ndarray:
    torso = np.ones(len(v), bool)
    torso[np.asarray(zones.get("sleeve", []), np.int64)] = False
    return torso


def _reference_loops(sex: str) -> dict:
    """The reference body's tape planes and loops: zone -> (origin, normal, Loop)."""
    from avatar.avatar import reference_avatar
    from avatar.tape import girth_at

    from .fit import zone_planes

    if sex not in _REFERENCE:
        ref = reference_avatar(sex)
        loops = {}
        for zone, (origin, normal) in zone_planes(ref).items():
            if zone in GIRTH_ZONES:
                loops[zone] = (origin, normal, girth_at(ref.vertices, ref.body_faces, origin, normal))
        _REFERENCE[sex] = (ref, loops)
    return _REFERENCE[sex]


_REFERENCE: dict[str, tuple] = {}


def _measure(garment, size: str) -> dict[str, FinishedZone]:
    v, faces, torso = rest_torso(garment, size)
    out = measure_zones(v, faces, torso, garment.reference_sex)
    if not out:
        raise GarmentError(f"garment '{garment.id}' size {size} goes round none of the body's chest, waist or "
                           "hip on its reference body, so its fit cannot be judged; re-import it placed on the body")
    chart = garment.size(size).finished if garment.size(size).chart else {}
    return {zone: replace(fz, girth_cm=round(float(chart[zone]), 1)) if zone in chart else fz
            for zone, fz in out.items()}


def measure_zones(v: np.ndarray, faces: np.ndarray, torso: np.ndarray, sex: str) -> dict[str, FinishedZone]:
    """The tape on a rest mesh: zone -> FinishedZone for the zones it goes round (maybe none).

    ``v`` (N, 3) metres on the reference body of ``sex``, ``faces`` (F, 3) int, ``torso`` (N,) bool.
    """
    from avatar.tape import girth_at

    from .fit import garment_girth_around

    ref, loops = _reference_loops(sex)
    # Every face edge (shared ones twice: a doubled crossing point does not change a convex hull).
    f = np.asarray(faces, np.int64)
    edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    top, bottom = float(v[torso, 1].max()), float(v[torso, 1].min())
    out: dict[str, FinishedZone] = {}
    for zone in GIRTH_ZONES:
        if zone not in loops or loops[zone][2] is None:
            continue
        origin, normal, body = loops[zone]
        share = None
        if not bottom + ZONE_PLANE_BAND_M < origin[1] < top - ZONE_PLANE_BAND_M:
            if zone != "waist" or "hip" not in loops:
                continue
            band = top - WAISTBAND_BELOW_TOP_M
            waist_y, hip_y = float(origin[1]), float(loops["hip"][0][1])
            if not hip_y < band < waist_y:
                continue
            share = (waist_y - band) / (waist_y - hip_y)
            origin = np.array([loops["hip"][0][0], band, loops["hip"][0][2]])
            normal = np.array([0.0, 1.0, 0.0])
            body = girth_at(ref.vertices, ref.body_faces, origin, normal)
            if body is None:
                continue
        girth = garment_girth_around(body, v, faces, origin, normal, torso, edges)
        if girth is not None:
            near = np.flatnonzero(torso & (np.abs(v[:, 1] - origin[1]) < ZONE_HALF_HEIGHT_M))
            out[zone] = FinishedZone(zone, round(girth, 1), round(body.girth_m * 100.0, 1), share, near)
    return out
