"""The stated uncertainty (±) of each estimated measurement, calibrated per zone on photos like a home's.

A value's base uncertainty is its model's cross-validated residual on the calibration silhouettes
combined in quadrature with the photo's own outline error. On photos of dressed bodies at home that
base is too small for some zones (the learned person mask's outline moves the torso's widths) and too
large for others, so each zone's ± is the base times a factor fitted on home-scene estimates of bodies
with known measurements (``uncertainty.json``, made by ``bench/calibrate_uncertainty.py``): the factor
that puts ``COVERAGE`` of those errors within the stated ±, one per zone, with and without a
background plate. Photo warnings and loose clothes widen it further.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import constants as C

UNCERTAINTY_PATH = Path(__file__).with_name("uncertainty.json")
MODES = ("plate", "no plate")


def zone_of(name: str) -> str:
    """The zone (a key of ``constants.UNCERTAINTY_ZONES``) a measurement's ± is calibrated in."""
    for zone, names in C.UNCERTAINTY_ZONES.items():
        if name in names:
            return zone
    raise KeyError(f"{name} is in no uncertainty zone")


@lru_cache(maxsize=2)
def load_zone_factors(path: Path = UNCERTAINTY_PATH) -> dict[str, dict[str, float]]:
    """zone -> {"plate": factor, "no plate": factor}, from ``uncertainty.json``."""
    data = json.loads(Path(path).read_text())
    factors = data["zones"]
    missing = [(z, m) for z in C.UNCERTAINTY_ZONES for m in MODES if m not in factors.get(z, {})]
    if missing:
        raise RuntimeError(f"{path} lacks the factors of {missing}; run bench/calibrate_uncertainty.py")
    return {z: {m: float(factors[z][m]) for m in MODES} for z in C.UNCERTAINTY_ZONES}


def base_uncertainty(residual: float) -> float:
    """A model's held-out residual combined with the photo's own outline error (cm)."""
    return float(np.hypot(residual, C.PHOTO_OUTLINE_UNCERTAINTY))


def stated_uncertainty(name: str, residual: float, plate: bool, warnings: int = 0, loose: bool = False,
                       factors: dict[str, dict[str, float]] | None = None) -> float:
    """The ± stated for one estimated value.

    Parameters
    ----------
    name : measurement name
    residual : float; its model's held-out residual, cm (body_mass: kg)
    plate : bool; whether a background plate refined the outlines
    warnings : int; photo warnings (each widens it by ``WARNING_UNCERTAINTY_FACTOR``)
    loose : bool; a loose garment covers its zone (``LOOSE_UNCERTAINTY_FACTOR``)
    factors : from :func:`load_zone_factors` (the shipped ones by default)

    Returns
    -------
    float, cm (body_mass: kg): one standard deviation's worth, about ``COVERAGE`` of errors within it
    """
    factor = (factors or load_zone_factors())[zone_of(name)][MODES[0] if plate else MODES[1]]
    factor *= C.WARNING_UNCERTAINTY_FACTOR ** warnings
    if loose:
        factor *= C.LOOSE_UNCERTAINTY_FACTOR
    return base_uncertainty(residual) * factor


def fit_zone_factors(ratios: dict[tuple[str, str], Iterable[float]]) -> dict[str, dict[str, float]]:
    """Each zone's factor from estimates of known bodies.

    Parameters
    ----------
    ratios : (zone, mode) -> errors over their base uncertainty (``|estimate - truth| / base``)

    Returns
    -------
    zone -> mode -> factor: the ``COVERAGE`` quantile of the ratios, so that share of the errors falls
    within factor x base; a zone or mode without estimates keeps 1.0
    """
    out = {z: {m: 1.0 for m in MODES} for z in C.UNCERTAINTY_ZONES}
    for (zone, mode), values in ratios.items():
        values = np.asarray(list(values), float)
        if len(values):
            out[zone][mode] = round(float(np.quantile(values, C.UNCERTAINTY_COVERAGE)), 3)
    return out
