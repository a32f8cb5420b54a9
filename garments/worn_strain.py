"""How far a worn garment's cloth is stretched at each fit zone: one number per zone, the same wherever it is
read (the fit table's worn strain, the drape report's strain in each pose, the movement test's verdicts)."""

from __future__ import annotations

import numpy as np

from .fit_constants import ZONE_STRAIN_PERCENTILE

STRAIN_ZONES = ("chest", "waist", "hip", "sleeve")  # the zones a garment is judged at (a hem's length is no fit)


def strain_zone_vertices(garment, size: str) -> dict[str, np.ndarray]:
    """zone -> (k,) int vertex indices of one size's mesh where its strain is read.

    Chest, waist and hip: the vertices of the finished zone, round the level where the tape takes the
    size's finished girth (``garments.finished``), so the strain is read where the fit table's ease is; a
    zone the tape does not go round, and the sleeve, the mesh's own zone (``garments.catalog.garment_zones``).
    Zones with fewer than 3 vertices are left out.
    """
    from .catalog import rest_mesh
    from .errors import GarmentError
    from .finished import finished_zones

    try:
        finished = finished_zones(garment, size)
    except GarmentError:  # an import the tape goes round nowhere (its fit is refused): the mesh's own zones
        finished = {}
    mesh = rest_mesh(garment, size).zones
    out = {}
    for zone in STRAIN_ZONES:
        idx = finished[zone].vertices if zone in finished else mesh.get(zone, ())
        idx = np.asarray(idx, dtype=np.int64)
        if idx.size >= 3:
            out[zone] = idx
    return out


def zone_strain(strain: np.ndarray, idx: np.ndarray) -> float:
    """The strain of one zone: the ``ZONE_STRAIN_PERCENTILE`` percentile of its vertices' stretch.

    ``strain`` (N,) float fractions per vertex, ``idx`` (k,) int the zone's vertices; a fraction (0.09 is 9 %).
    """
    return float(np.percentile(np.asarray(strain, float)[idx], ZONE_STRAIN_PERCENTILE))


def worn_strains(garment, size: str, strain: np.ndarray) -> dict[str, float]:
    """zone -> ``zone_strain`` of a worn size whose vertices stretch by ``strain`` (N,) fractions."""
    n = len(strain)
    return {zone: zone_strain(strain, idx) for zone, idx in strain_zone_vertices(garment, size).items()
            if idx.max() < n}


__all__ = ["STRAIN_ZONES", "strain_zone_vertices", "worn_strains", "zone_strain"]
