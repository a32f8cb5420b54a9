"""Body measurements from a front and a side photo and the shopper's height.

Method (see docs/estimate.md): find the person in each photo with the learned models (mask and
landmarks, :mod:`avatar.estimate.models`), check the photos, scale each silhouette so its
height is the typed stature, read widths (front) and depths (side) at 49 levels, and apply
linear models calibrated on silhouettes of the body model (``calibration.json``, made by
``python -m avatar.estimate.calibrate``). Each value's uncertainty combines the model's held-out
residual with the photo's own outline error, scaled per zone as calibrated on home scenes (with and
without a background plate, :mod:`avatar.estimate.uncertainty`) and widened for each photo warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from avatar.assets import fetch_photo_models
from avatar.errors import Cancelled

from . import constants as C
from .checks import (arm_angle, assess_frame, side_arm_angle, side_arm_warnings, silhouette_height_px,
                     view_problems)
from .clothing import find_loose_clothes
from .errors import InputError, PhotoError
from .features import FEATURE_SIZE, photo_features, remove_arms, torso_landmarks
from .lost_feet import complete_lost_feet
from .uncertainty import stated_uncertainty

CALIBRATION_PATH = Path(__file__).with_name("calibration.json")  # arms near the model's A-pose
HELD_ARMS_CALIBRATION_PATH = Path(__file__).with_name("calibration_arms.json")  # arms 30-90 deg, taken off the front
SIDE_DOWN_CALIBRATION_PATH = Path(__file__).with_name("calibration_side_down.json")  # ... and hanging in the side photo


@dataclass(frozen=True)
class Estimate:
    """Estimated measurements.

    Attributes
    ----------
    measurements : name -> (value, uncertainty), cm (body_mass: kg); stature is the typed height
    warnings : list of str; things that make the estimate less certain
    front_mask, side_mask : (H, W) bool silhouettes used (for display; never written anywhere)
    """

    measurements: dict[str, tuple[float, float]]
    warnings: list[str] = field(default_factory=list)
    front_mask: np.ndarray | None = None
    side_mask: np.ndarray | None = None

    def to_json(self) -> dict:
        """``{"measurements": {name: {"value": cm, "uncertainty": cm}}, "warnings": [...]}``"""
        return {
            "measurements": {name: {"value": round(v, 1), "uncertainty": round(u, 1)}
                             for name, (v, u) in self.measurements.items()},
            "warnings": list(self.warnings),
        }

    def values(self) -> dict[str, float]:
        """name -> value, ready for ``avatar.fitting.fit_avatar``."""
        return {name: v for name, (v, _) in self.measurements.items()}


@lru_cache(maxsize=2)
def load_calibration(path: Path = CALIBRATION_PATH) -> dict:
    data = json.loads(Path(path).read_text())
    if data.get("feature_size") != FEATURE_SIZE:
        raise RuntimeError(f"{path} was made for other features; run python -m avatar.estimate.calibrate")
    return data


def _measurement_range(name: str) -> tuple[float, float] | None:
    from avatar.measurements import MEASUREMENTS

    spec = MEASUREMENTS.get(name)
    return (spec.low, spec.high) if spec else None


def _order(name: str) -> int:
    from avatar.measurements import MEASUREMENT_NAMES

    return MEASUREMENT_NAMES.index(name) if name in MEASUREMENT_NAMES else len(MEASUREMENT_NAMES)


def validate_inputs(height_cm, weight_kg=None) -> tuple[float, float | None]:
    """Check the typed height (required) and weight (optional); InputError with the valid range."""
    lo, hi = C.HEIGHT_RANGE_CM
    try:
        height = float(height_cm)
    except (TypeError, ValueError):
        raise InputError(f"height must be a number in cm between {lo:g} and {hi:g}") from None
    if not np.isfinite(height) or not lo <= height <= hi:
        raise InputError(f"height {height_cm} cm is out of range; type your height in cm, between {lo:g} and {hi:g}")
    if weight_kg is None:
        return height, None
    wlo, whi = C.WEIGHT_RANGE_KG
    try:
        weight = float(weight_kg)
    except (TypeError, ValueError):
        raise InputError(f"weight must be a number in kg between {wlo:g} and {whi:g}") from None
    if not np.isfinite(weight) or not wlo <= weight <= whi:
        raise InputError(f"weight {weight_kg} kg is out of range; type your weight in kg, between {wlo:g} and {whi:g}"
                         " or leave it out")
    return height, weight


def side_arms_down(side_arm_angle_deg: float | None) -> bool:
    """Do the side photo's arms hang at the sides, within ``SIDE_ARMS_DOWN_DEG`` of straight down?"""
    return side_arm_angle_deg is not None and side_arm_angle_deg <= C.SIDE_ARMS_DOWN_DEG[1]


def calibration_for(arm_angle_deg: float) -> dict:
    """The models for arms held at this angle (degrees from hanging down): the A-pose models within
    ``ARM_ANGLE_APOSE`` (calibrated on 2,000 bodies), the held-arms models beyond (arms 30-90 deg,
    their widths read without the arms; a smaller calibration)."""
    lo, hi = C.ARM_ANGLE_APOSE
    return load_calibration(CALIBRATION_PATH if lo <= arm_angle_deg <= hi else HELD_ARMS_CALIBRATION_PATH)


def predict_photos(front_mask: np.ndarray, side_mask: np.ndarray, height_cm: float, skeleton: dict[str, np.ndarray],
                   arm_angle_deg: float, weight_kg: float | None = None,
                   side_arm_angle_deg: float | None = None) -> dict[str, tuple[float, float]]:
    """The calibrated models applied to two silhouettes: when the side photo's arms hang at the sides
    (:func:`side_arms_down`) the side-arms-down models (front widths without the arms) for every
    measurement, else those of :func:`calibration_for` and for arms in an A-pose the held-arms models
    (widths without the arms) for ``APOSE_FROM_HELD_ARMS``.

    Parameters
    ----------
    front_mask, side_mask : (H, W) bool; the person in each photo
    height_cm : float
    skeleton : name -> (2,) float pixels; the front photo's joints (``Pose.skeleton``)
    arm_angle_deg : float; the front photo's arms, degrees from hanging down
    weight_kg : float or None
    side_arm_angle_deg : float or None; the side photo's arms (``checks.side_arm_angle``); None: as the front's

    Returns
    -------
    name -> (value, residual), cm (body_mass: kg)
    """
    def apply(calibration: dict) -> dict[str, tuple[float, float]]:
        joints = skeleton if calibration.get("arms_removed") else None  # as the models were calibrated
        return predict(photo_features(front_mask, side_mask, height_cm, joints), weight_kg, calibration)

    if side_arms_down(side_arm_angle_deg):
        return apply(load_calibration(SIDE_DOWN_CALIBRATION_PATH))
    calibration = calibration_for(arm_angle_deg)
    predicted = apply(calibration)
    if not calibration.get("arms_removed"):
        held = apply(load_calibration(HELD_ARMS_CALIBRATION_PATH))
        predicted.update({name: held[name] for name in C.APOSE_FROM_HELD_ARMS if name in held})
    return predicted


def predict(features: np.ndarray, weight_kg: float | None = None,
            calibration: dict | None = None) -> dict[str, tuple[float, float]]:
    """Apply the calibrated models to a feature vector.

    Parameters
    ----------
    features : (FEATURE_SIZE,) float, from ``features.feature_vector``
    weight_kg : float or None; uses the models that also take the weight
    calibration : from :func:`calibration_for`; the A-pose models by default

    Returns
    -------
    name -> (value, residual), cm (body_mass: kg)
    """
    out = {}
    for name, entry in (calibration or load_calibration())["models"].items():
        if weight_kg is not None and "photo_weight" in entry:
            m, x = entry["photo_weight"], np.append(features, weight_kg)
        else:
            m, x = entry["photo"], features
        out[name] = (float(np.dot(m["coef"], x) + m["intercept"]), float(m["residual_cm"]))
    return out


def estimate_measurements(front_rgb: np.ndarray, side_rgb: np.ndarray, height_cm: float, *,
                          background_rgb: np.ndarray | None = None, weight_kg: float | None = None,
                          progress: Callable[[float, str], None] = lambda f, m: None,
                          cancelled: Callable[[], bool] = lambda: False) -> Estimate:
    """Estimate body measurements from two photos.

    Parameters
    ----------
    front_rgb : (H, W, 3) uint8 RGB; facing the camera, A-pose (arms a little away from the body)
    side_rgb : (H, W, 3) uint8 RGB; a quarter turn, from the same place
    height_cm : float; the shopper's stature (gives the scale)
    background_rgb : (H, W, 3) uint8 RGB or None; the scene without the person, same camera
    weight_kg : float or None
    progress : callable (fraction, message)
    cancelled : callable returning True to stop (raises ``avatar.errors.Cancelled``)

    Returns
    -------
    Estimate

    Raises
    ------
    PhotoError (subclasses say which problem) or InputError, with a message on how to fix it
    """
    height, weight = validate_inputs(height_cm, weight_kg)

    def step(fraction: float, message: str) -> None:
        if cancelled():
            raise Cancelled("estimate cancelled")
        progress(fraction, message)

    fetch_photo_models(progress=lambda f, m: step(0.04 * f, m), cancelled=cancelled)  # on first need only
    warnings: list[str] = []
    found = {}
    for i, (view, image) in enumerate((("front", front_rgb), ("side", side_rgb))):
        step(0.05 + 0.4 * i, f"finding the person in the {view} photo")
        if image is None or getattr(image, "ndim", 0) != 3:
            raise PhotoError(f"{view} photo: not an image; retake it")
        assessment = assess_frame(np.asarray(image), view, background_rgb)
        if assessment.problems:
            raise assessment.problems[0]
        warnings += assessment.warnings
        found[view] = assessment
    step(0.85, "checking the views")
    found["front"], found["side"], completed = complete_lost_feet(found["front"], found["side"])
    warnings += completed
    problems = view_problems(found["front"], found["side"])
    if problems:
        raise problems[0]
    masks = {view: a.segmentation.mask for view, a in found.items()}
    step(0.9, "measuring the silhouettes")
    skeleton = found["front"].pose.skeleton()
    side_arms = side_arm_angle(found["front"].pose, found["side"].pose, silhouette_height_px(masks["front"]),
                               silhouette_height_px(masks["side"]))
    warnings += side_arm_warnings(side_arms)
    predicted = predict_photos(masks["front"], masks["side"], height, skeleton, arm_angle(found["front"].pose), weight,
                               side_arms)
    n_warnings = len(warnings)
    loose = find_loose_clothes(remove_arms(masks["front"], skeleton), height, *torso_landmarks(masks["front"]))
    warnings += [zone.warning() for zone in loose]
    loose_names = {name for zone in loose for name in zone.measurements}
    measurements: dict[str, tuple[float, float]] = {"stature": (height, 0.0)}
    for name, (value, residual) in sorted(predicted.items(), key=lambda item: _order(item[0])):
        if name == "body_mass" and weight is not None:
            measurements[name] = (weight, 0.0)
            continue
        rng = _measurement_range(name)
        if rng and not rng[0] <= value <= rng[1]:
            warnings.append(f"{name} came out at {value:.1f}, outside the usual human range; check the photos")
            value = float(np.clip(value, *rng))
        measurements[name] = (value, stated_uncertainty(name, residual, background_rgb is not None, n_warnings,
                                                        name in loose_names))
    step(1.0, "done")
    return Estimate(measurements, warnings, masks["front"], masks["side"])
