"""A side photo's feet lost against a floor of their colour are drawn in from the front photo's floor row."""

import numpy as np

from avatar.estimate import constants as C
from avatar.estimate.checks import Assessment, view_problems
from avatar.estimate.lost_feet import complete_lost_feet
from avatar.estimate.models import INDEX, Pose
from avatar.estimate.segment import Segmentation

H, W = 1000, 600


def _found(top: int, bottom: int, feet_row: float, view: str, half_width: int = 60) -> Assessment:
    """A standing person's outline from ``top`` to ``bottom`` (rows), the landmark model's feet at ``feet_row``."""
    mask = np.zeros((H, W), dtype=bool)
    mask[top:bottom + 1, 300 - half_width:300 + half_width] = True
    if feet_row <= bottom:  # the outline reaches the feet: they spread out
        mask[bottom - 20:bottom + 1, 300 - 2 * half_width:300 + 2 * half_width] = True
    points = np.tile([300.0, 0.5 * (top + bottom)], (33, 1))
    points[INDEX["nose"]] = (300.0, top + 30)
    for name in ("left_shoulder", "right_shoulder"):
        points[INDEX[name]] = (300.0 + (40 if name.startswith("left") else -40) * (view == "front"), top + 150)
    for name in ("left_heel", "right_heel", "left_foot_index", "right_foot_index"):
        points[INDEX[name]] = (300.0, feet_row)
    pose = Pose(points, np.ones(33), np.ones(33), 1.0, np.zeros((H, W), np.float32))
    return Assessment(Segmentation(mask, 1, mask, "model"), pose, view=view)


def test_a_side_photo_whose_feet_the_floor_hid_gets_them_back_from_the_front_one():
    front = _found(100, 900, 895, "front")
    side = _found(110, 830, 890, "side")  # ends at the ankles: 9 % shorter, feet not in the outline
    assert view_problems(front, side)  # refused as it is
    front_after, side_after, warnings = complete_lost_feet(front, side)
    rows = np.flatnonzero(side_after.segmentation.mask.any(axis=1))
    assert front_after is front and rows[-1] == round(900 - C.FRONT_FEET_BELOW_SIDE * 801)
    assert side_after.segmentation.mask[831:rows[-1] + 1, 240:360].all()  # the ankles, carried down
    assert warnings and "side photo's feet blend into the floor" in warnings[0]
    assert not view_problems(front_after, side_after)  # measured now, with the warning


def test_feet_shown_in_both_lost_in_both_or_lost_in_front_are_left_alone():
    front, side = _found(100, 900, 895, "front"), _found(110, 888, 885, "side")
    after = complete_lost_feet(front, side)
    assert after[0] is front and after[1] is side and after[2] == []
    lost_front, lost_side = _found(100, 820, 895, "front"), _found(110, 810, 890, "side")
    after = complete_lost_feet(lost_front, lost_side)
    assert after[0] is lost_front and after[1] is lost_side and after[2] == []
    after = complete_lost_feet(lost_front, side)  # the front's legs carried down make the inside leg too long
    assert after[0] is lost_front and after[1] is side and after[2] == [] and view_problems(lost_front, side)
