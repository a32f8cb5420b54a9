"""Loose clothes in the front photo: where the outline steps in at a hem, the outline above it is
the garment's, not the body's.

A close-fitting top or leggings follow the body, whose front width changes smoothly from the
waist to the knees. A loose top (a hoodie, a wide shirt) or a wide skirt hangs away from the
body and ends in a hem, below which the outline steps in to the body (or the legs). Each such
step names the zone whose measurements are less certain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import constants as C

ZONE_MEASUREMENTS = {
    "chest, waist and hips": ("chest_girth", "underbust_girth", "waist_girth", "hip_girth"),
    "hips and thighs": ("hip_girth", "thigh_girth", "inside_leg_height"),
}
"""Zone of a loose garment -> the measurements it makes less certain: a hem above the crotch ends a
loose top (all of the torso above it is the garment's outline), one below it a skirt, a dress or a
long top (the hips and thighs)."""


@dataclass(frozen=True)
class LooseZone:
    """A hem found in the front silhouette.

    Attributes
    ----------
    zone : str; a key of ``ZONE_MEASUREMENTS``
    level : float; the hem's height, fraction of the silhouette's height from its lowest row
    step_cm : float; how much narrower the outline is just below the hem than just above it
    """

    zone: str
    level: float
    step_cm: float

    @property
    def measurements(self) -> tuple[str, ...]:
        return ZONE_MEASUREMENTS[self.zone]

    def warning(self) -> str:
        names = ", ".join(n.replace("_", " ") for n in self.measurements)
        return (f"the clothes look loose around the {self.zone} (the outline steps in by {self.step_cm:.0f} cm at a "
                f"hem): {names} are less certain; wear close-fitting clothes there for a better estimate")


def _zone(level: float, crotch: float) -> str:
    return "chest, waist and hips" if level >= crotch else "hips and thighs"


def loose_zones(front_torso: np.ndarray, height_cm: float, crotch: float, armpit: float,
                min_step: float = C.HEM_STEP_FRACTION) -> list[LooseZone]:
    """Hems of loose clothes in a front silhouette whose arms are taken off.

    Parameters
    ----------
    front_torso : (H, W) bool; the front silhouette without its arms (``features.remove_arms``)
    height_cm : float; the shopper's stature (gives the scale)
    crotch, armpit : float; their levels, fractions of the silhouette's height (``features.torso_landmarks``)
    min_step : float; the smallest step that is a hem, fraction of the height

    Returns
    -------
    list of LooseZone, one per zone at most, highest step first
    """
    mask = np.asarray(front_torso, dtype=bool)
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) < 2:
        return []
    top, bottom = int(rows[0]), int(rows[-1])
    height_px = float(bottom - top + 1)
    cm_per_px = float(height_cm) / height_px
    width = mask.sum(axis=1).astype(float)
    span = max(1, int(round(C.HEM_SPAN * height_px)))
    lo = C.HEM_SEARCH_LOW
    # above the waist the outline is uneven where the arms were taken off (up to 7 % of the height at
    # the armpits of raised arms), and a loose top's hem hangs lower
    hi = crotch + C.WAIST_SHARE_OF_TORSO * (armpit - crotch)
    found: dict[str, LooseZone] = {}
    for r in range(int(bottom + 0.5 - hi * height_px), int(bottom + 0.5 - lo * height_px)):
        above = width[max(top, r - span): r].mean() if r > top else 0.0
        below = width[r + 1: min(bottom, r + span) + 1].mean() if r < bottom else 0.0
        step = (above - below) * cm_per_px
        if step < min_step * height_cm:
            continue
        level = (bottom + 0.5 - r) / height_px
        zone = _zone(level, crotch)
        if zone not in found or step > found[zone].step_cm:
            found[zone] = LooseZone(zone, level, step)
    return sorted(found.values(), key=lambda z: -z.step_cm)
