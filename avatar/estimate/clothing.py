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
    "chest and waist": ("chest_girth", "underbust_girth", "waist_girth"),
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
    level : float; the hem's height (or the waist's), fraction of the silhouette's height from its lowest row
    step_cm : float; how much narrower the outline is just below the hem than just above it (0 for a
        covered waist)
    evidence : str; what in the outline showed it, for the warning
    """

    zone: str
    level: float
    step_cm: float
    evidence: str = ""

    @property
    def measurements(self) -> tuple[str, ...]:
        return ZONE_MEASUREMENTS[self.zone]

    def warning(self) -> str:
        names = ", ".join(n.replace("_", " ") for n in self.measurements)
        evidence = self.evidence or f"the outline steps in by {self.step_cm:.0f} cm at a hem"
        return (f"the clothes look loose around the {self.zone} ({evidence}): {names} are less certain; "
                "wear close-fitting clothes there for a better estimate")


def outer_widths(mask: np.ndarray) -> np.ndarray:
    """(H,) float: per row, pixels from the first foreground pixel to the last (0 for an empty row): the
    outline's extent, which the gap opening between the legs below the crotch leaves as it is."""
    any_row = mask.any(axis=1)
    first = np.argmax(mask, axis=1)
    last = mask.shape[1] - 1 - np.argmax(mask[:, ::-1], axis=1)
    return np.where(any_row, last - first + 1, 0).astype(float)


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
    width = outer_widths(mask)
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


def _smoothed_widths(mask: np.ndarray) -> np.ndarray:
    """(H,) float: foreground pixels per row, a running median over ``HEM_SPAN`` of the height (a pixel
    row left where an arm was taken off, or a finger, does not count)."""
    rows = np.flatnonzero(mask.any(axis=1))
    width = mask.sum(axis=1).astype(float)
    span = max(3, int(round(C.HEM_SPAN * (rows[-1] - rows[0] + 1)))) | 1
    padded = np.pad(width, span // 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, span), axis=1)


def waist_fill(front_torso: np.ndarray, crotch: float, armpit: float) -> float:
    """The front silhouette's narrowest width about the waist over its widest about the hips.

    Parameters
    ----------
    front_torso : (H, W) bool; the front silhouette without its arms (``features.remove_arms``)
    crotch, armpit : float; their levels, fractions of the silhouette's height (``features.torso_landmarks``)

    Returns
    -------
    float; under 1 where the body narrows at the waist, about 1 or more where a top hangs straight
    from the chest past it
    """
    mask = np.asarray(front_torso, dtype=bool)
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) < 2:
        return 0.0
    bottom, height = int(rows[-1]), float(rows[-1] - rows[0] + 1)
    width = _smoothed_widths(mask)
    torso = armpit - crotch

    def band(lo: float, hi: float) -> np.ndarray:
        r0 = int(bottom + 0.5 - (crotch + hi * torso) * height)
        r1 = int(bottom + 0.5 - (crotch + lo * torso) * height)
        return width[max(0, r0): max(r0 + 1, r1 + 1)]

    hips = float(band(*C.FILL_HIP_BAND).max())
    return float(band(*C.FILL_WAIST_BAND).min()) / hips if hips > 0 else 0.0


def covered_waist(front_torso: np.ndarray, crotch: float, armpit: float,
                  max_fill: float = C.WAIST_FILL_MAX) -> LooseZone | None:
    """A top that hides the waist: the front silhouette as wide at the waist as a body is only at its
    hips (:func:`waist_fill` over ``max_fill``). None for a body or a close-fitting top."""
    fill = waist_fill(front_torso, crotch, armpit)
    if fill <= max_fill:
        return None
    return LooseZone("chest and waist", crotch + C.WAIST_SHARE_OF_TORSO * (armpit - crotch), 0.0,
                     f"the outline does not narrow at the waist: {fill:.0%} of the hips' width")


def find_loose_clothes(front_torso: np.ndarray, height_cm: float, crotch: float, armpit: float) -> list[LooseZone]:
    """Every sign of loose clothes in a front silhouette without its arms: hems (:func:`loose_zones`) and a
    covered waist (:func:`covered_waist`, left out when a hem already names the torso)."""
    found = loose_zones(front_torso, height_cm, crotch, armpit)
    covered = covered_waist(front_torso, crotch, armpit)
    if covered is not None and not any(set(covered.measurements) <= set(z.measurements) for z in found):
        found.append(covered)
    return found
