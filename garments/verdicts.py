"""The verdict word of a zone, from one table of thresholds per fabric stretch (``FABRIC_CLASSES``)."""

from __future__ import annotations

import numpy as np

from .fit_constants import (
    BAND_LOOSE_ABOVE_DESIGN_CM,
    FABRIC_CLASSES,
    LOOSE_ABOVE_DESIGN_CM,
    MIN_COMFORT_BAND_CM,
    OVERSIZED_ABOVE_DESIGN_CM,
)


def fabric_class(stretch: float) -> dict:
    """The row of ``FABRIC_CLASSES`` for a fabric that gives ``stretch`` (fraction)."""
    return next(row for row in FABRIC_CLASSES if stretch <= row["up_to"])


def thresholds(stretch: float, design_ease_cm: float, band: bool = False) -> dict[str, float]:
    """The limits of each word for one zone: ``tight_stretch`` and ``wont_close_stretch`` (fractions),
    ``tight_below_cm``, ``comfortable_from_cm``, ``loose_above_cm``, ``oversized_above_cm`` (ease, cm).

    Parameters
    ----------
    stretch : float, fraction the fabric gives
    design_ease_cm : float, cm; the zone's ease as designed (middle size on the reference body)
    band : a waistband (slides down sooner, so it reads loose sooner)
    """
    row = fabric_class(stretch)
    comfortable = row["comfortable_from_cm"]
    loose = max(comfortable + MIN_COMFORT_BAND_CM,
                design_ease_cm + (BAND_LOOSE_ABOVE_DESIGN_CM if band else LOOSE_ABOVE_DESIGN_CM))
    oversized = max(loose + MIN_COMFORT_BAND_CM, design_ease_cm + OVERSIZED_ABOVE_DESIGN_CM)
    return {"wont_close_stretch": stretch, "tight_stretch": row["tight_share"] * stretch,
            "tight_below_cm": row["tight_below_cm"], "comfortable_from_cm": comfortable,
            "loose_above_cm": loose, "oversized_above_cm": oversized}


def verdict_index(ease_cm, needed_stretch, stretch: float, design_ease_cm: float, band: bool = False):
    """Index into ``garments.fit_constants.VERDICTS`` of zones: 0 won't close ... 5 oversized.

    Parameters
    ----------
    ease_cm : float or (n,) float, cm; finished ease
    needed_stretch : float or (n,) float, fraction the garment must stretch to go round (0 with ease)
    stretch, design_ease_cm, band : see ``thresholds``

    Returns
    -------
    int array of the shape of ``ease_cm``
    """
    t = thresholds(stretch, design_ease_cm, band)
    ease = np.asarray(ease_cm, float)
    need = np.asarray(needed_stretch, float)
    eps = 1e-9  # a stretch of exactly the limit still closes
    return np.select(
        [need > t["wont_close_stretch"] + eps,
         (need > t["tight_stretch"] + eps) | (ease < t["tight_below_cm"]),
         ease < t["comfortable_from_cm"],
         ease <= t["loose_above_cm"],
         ease <= t["oversized_above_cm"]],
        [0, 1, 2, 3, 4], default=5)
