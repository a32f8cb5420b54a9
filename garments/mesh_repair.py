"""A designer's mesh checked and repaired before it is placed: refused when it is no garment in any
unit, zero-area faces dropped, duplicate vertices welded, dense meshes reduced."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .constants import DECIMATE_ABOVE_VERTICES, DECIMATE_TARGET_VERTICES, MAX_IMPORT_VERTICES, MIN_FACE_AREA_M2
from .errors import GarmentImportError
from .garment_files import RawMesh

# Coordinates beyond this (in any unit) are not a garment: 1e6 mm is a kilometre.
MAX_COORDINATE = 1e6


def check_geometry(raw: RawMesh, name: str) -> RawMesh:
    """Refuse empty, faceless, non-finite, degenerate and overly dense meshes; drop zero-area faces."""
    v, f = raw.vertices, raw.faces
    if len(v) == 0:
        raise GarmentImportError(f"{name} has no vertices; export the garment with its geometry")
    if len(f) == 0:
        raise GarmentImportError(f"{name} has vertices but no faces (a point cloud); export it as a surface mesh")
    if not np.isfinite(v).all():
        raise GarmentImportError(f"{name} has NaN or infinite coordinates; repair the mesh and export it again")
    if len(v) > MAX_IMPORT_VERTICES:
        raise GarmentImportError(f"{name} has {len(v):,} vertices, over the {MAX_IMPORT_VERTICES:,} limit; "
                                 "decimate it (10k-30k vertices drape well) and export it again")
    if f.min() < 0 or f.max() >= len(v):
        raise GarmentImportError(f"{name} has faces that use missing vertices; repair the mesh and export it again")
    if np.abs(v).max() > MAX_COORDINATE:
        raise GarmentImportError(f"{name} has coordinates beyond {MAX_COORDINATE:g}; it is not a garment in any unit, "
                                 "check the export")
    centred = v - v.mean(axis=0)
    extent = float(np.abs(centred).max())
    if extent == 0 or np.linalg.matrix_rank(centred / extent, tol=1e-9) < 2:
        raise GarmentImportError(f"{name} is degenerate (all vertices on one point or line); export the real garment")
    tri = v[f]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    good = area > MIN_FACE_AREA_M2 * (extent ** 2)
    if not good.any():
        raise GarmentImportError(f"{name} is degenerate (every face has zero area); export the real garment")
    if raw.binding is None and not good.all():
        f = f[good]
    raw.faces = f
    return raw


def merge_duplicates(raw: RawMesh) -> RawMesh:
    """Weld vertices at the same position (STL triangle soup, UV seams) so the cloth holds together."""
    v = raw.vertices
    scale = float(np.ptp(v, axis=0).max()) or 1.0
    key = np.round(v / (scale * 1e-7)).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    if len(first) == len(v):
        return raw
    inverse = inverse.ravel()
    f = inverse[raw.faces]
    f = f[(f[:, 0] != f[:, 1]) & (f[:, 1] != f[:, 2]) & (f[:, 0] != f[:, 2])]
    uv = raw.uv[first] if raw.uv is not None else None
    return RawMesh(v[first], f, uv, raw.units, raw.up, raw.binding, raw.texture)


def decimate(raw: RawMesh, target: int = DECIMATE_TARGET_VERTICES) -> RawMesh:
    """Reduce a dense mesh by vertex clustering on a grid (UVs are averaged per cell)."""
    v, f = raw.vertices, raw.faces
    tri = v[f]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum()
    cell = np.sqrt(area / target) * 0.9
    for _ in range(6):
        key = np.floor((v - v.min(axis=0)) / cell).astype(np.int64)
        _, inverse = np.unique(key, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        if inverse.max() + 1 <= target * 1.1:
            break
        cell *= 1.25
    n = inverse.max() + 1
    counts = np.bincount(inverse, minlength=n)[:, None]
    nv = np.zeros((n, 3))
    np.add.at(nv, inverse, v)
    nv /= counts
    uv = None
    if raw.uv is not None:
        uv = np.zeros((n, 2))
        np.add.at(uv, inverse, raw.uv)
        uv /= counts
    nf = inverse[f]
    nf = nf[(nf[:, 0] != nf[:, 1]) & (nf[:, 1] != nf[:, 2]) & (nf[:, 0] != nf[:, 2])]
    nf = np.unique(nf, axis=0)
    return RawMesh(nv, nf, uv, raw.units, raw.up, raw.binding, raw.texture)


def welded(raw: RawMesh, path: Path) -> RawMesh:
    """Duplicates welded (files without units or up axis) and large meshes reduced."""
    if raw.units is None or raw.up is None:
        raw = merge_duplicates(raw)
        if len(raw.faces) == 0:
            raise GarmentImportError(f"{path.name} is degenerate (its faces collapse when equal vertices "
                                     "are welded); export the real garment")
    if len(raw.vertices) > DECIMATE_ABOVE_VERTICES:
        raw = decimate(raw, DECIMATE_TARGET_VERTICES)
    return raw

