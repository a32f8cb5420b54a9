"""The side photo's arms: read from the landmarks, and measured by the models made for them."""

from __future__ import annotations

import numpy as np
import pytest

from avatar.estimate import constants as C
from avatar.estimate.checks import side_arm_angle, side_arm_warnings
from avatar.estimate.estimate import (CALIBRATION_PATH, HELD_ARMS_CALIBRATION_PATH, SIDE_DOWN_CALIBRATION_PATH,
                                      load_calibration)
from avatar.estimate.models import LANDMARKS, Pose


def _pose(points: dict[str, tuple[float, float]]) -> Pose:
    xy = np.zeros((len(LANDMARKS), 2))
    for name, p in points.items():
        xy[LANDMARKS.index(name)] = p
    n = len(LANDMARKS)
    return Pose(xy, np.ones(n), np.ones(n), 1.0, np.zeros((4, 4), np.float32))


def _front(arm_px: float, angle_deg: float) -> Pose:
    a = np.radians(angle_deg)
    points = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        shoulder = np.array([200.0 + sign * 40.0, 100.0])
        points[f"{side}_shoulder"] = tuple(shoulder)
        points[f"{side}_wrist"] = tuple(shoulder + arm_px * np.array([sign * np.sin(a), np.cos(a)]))
    return _pose(points)


def _side(arm_px: float, out_deg: float, forward_deg: float = 0.0) -> Pose:
    """Seen from the side an arm held out sideways by ``out_deg`` only rises; one held forward turns in view
    (the side view's landmarks set the shoulders higher, ``SIDE_ARM_DROP_RATIO``)."""
    out, fwd = np.radians(out_deg), np.radians(forward_deg)
    points = {}
    for side in ("left", "right"):
        shoulder = np.array([300.0, 50.0])
        direction = np.array([np.sin(fwd), np.cos(fwd)]) * np.cos(out)
        points[f"{side}_shoulder"] = tuple(shoulder)
        points[f"{side}_wrist"] = tuple(shoulder + C.SIDE_ARM_DROP_RATIO * arm_px * direction)
    return _pose(points)


@pytest.mark.parametrize("out_deg, forward_deg", [(0, 0), (20, 0), (41, 0), (70, 0), (0, 35), (30, 30)])
def test_the_side_arms_angle_is_read_whichever_way_they_are_held(out_deg, forward_deg):
    # the side photo taken from further away: the person is half as tall in it
    front, side = _front(300.0, 41.0), _side(150.0, out_deg, forward_deg)
    expected = np.degrees(np.arccos(np.cos(np.radians(out_deg)) * np.cos(np.radians(forward_deg))))
    assert side_arm_angle(front, side, 800.0, 400.0) == pytest.approx(expected, abs=0.5)


def test_arms_held_level_or_above_read_ninety_or_more():
    assert side_arm_angle(_front(300, 41), _side(300, 90), 800, 800) == pytest.approx(90.0, abs=0.5)
    above = _side(300, 0)
    above.points[:, 1] = 2 * 50.0 - above.points[:, 1]  # wrists above the shoulders
    assert side_arm_angle(_front(300, 41), above, 800, 800) == pytest.approx(180.0, abs=0.5)


def test_every_calibration_is_made_for_todays_features_and_says_how():
    a_pose, held, down = (load_calibration(p) for p in (CALIBRATION_PATH, HELD_ARMS_CALIBRATION_PATH,
                                                        SIDE_DOWN_CALIBRATION_PATH))
    assert not a_pose.get("arms_removed") and held["arms_removed"] and down["arms_removed"]
    assert down["side_arms_down"] and not held.get("side_arms_down")
    assert set(down["models"]) == set(held["models"])


@pytest.mark.parametrize("front_deg", [41.0, 75.0])
def test_hanging_side_arms_are_measured_by_their_models(monkeypatch, front_deg):
    import avatar.estimate.estimate as E
    from avatar.estimate.features import FEATURE_SIZE

    features = np.random.default_rng(0).normal(30.0, 10.0, FEATURE_SIZE)
    monkeypatch.setattr(E, "photo_features", lambda *args: features)
    mask = np.zeros((8, 8), bool)
    unknown, raised, hanging = (E.predict_photos(mask, mask, 170.0, {}, front_deg, None, side)
                                for side in (None, C.SIDE_ARMS_DOWN_DEG[1] + 10.0, 0.5 * C.SIDE_ARMS_DOWN_DEG[1]))
    down = E.predict(features, None, load_calibration(SIDE_DOWN_CALIBRATION_PATH))
    assert unknown == raised  # side arms held out, or not read: as before
    assert hanging == down
    assert all(hanging[n] != raised[n] for n in raised)


def test_side_arms_held_out_are_told_how_to_retake():
    assert side_arm_warnings(C.SIDE_ARMS_DOWN_DEG[1] - 1.0) == []
    (warning,) = side_arm_warnings(60.0)
    assert "side photo" in warning and "60 deg" in warning and "hanging relaxed at your sides" in warning
