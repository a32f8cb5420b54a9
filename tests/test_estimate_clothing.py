"""Loose clothes in the front photo: a hem where the outline steps in names the zone that is less certain."""

import cv2
import numpy as np
import pytest

from avatar.estimate import constants as C
from avatar.estimate.clothing import ZONE_MEASUREMENTS, loose_zones

H, W = 1000, 600  # pixels; the figure is 170 cm tall from row 0 to row H - 1
CM = H / 170.0  # pixels per cm
CROTCH, ARMPIT = 0.47, 0.72  # levels, fractions of the height from the floor


def row(level: float) -> int:
    return int(round(H - 0.5 - level * H))


def figure() -> np.ndarray:
    """(H, W) bool: a front outline without arms: head, a torso narrowing to the waist and widening to the
    hips, two legs apart tapering to the ankles."""
    mask = np.zeros((H, W), np.uint8)
    cx = W // 2
    cv2.ellipse(mask, (cx, row(0.93)), (int(8 * CM), int(12 * CM)), 0, 0, 360, 1, -1)
    half = {0.82: 19, 0.72: 16, 0.60: 14, 0.52: 18, CROTCH: 17.5}  # level -> half-width, cm (smooth)
    levels = sorted(half)
    left = [(cx - int(half[t] * CM), row(t)) for t in levels]
    right = [(cx + int(half[t] * CM), row(t)) for t in reversed(levels)]
    cv2.fillPoly(mask, [np.array(left + right, np.int32)], 1)
    for side in (-1, 1):  # legs: from the hip to the ankle, 1.5 cm apart at the crotch
        top_in, top_out = cx + side * int(0.75 * CM), cx + side * int(17.5 * CM)
        ankle = cx + side * int(12 * CM)
        leg = [(top_in, row(CROTCH)), (top_out, row(CROTCH)), (ankle + side * int(4 * CM), H - 1),
               (ankle - side * int(4 * CM), H - 1)]
        cv2.fillPoly(mask, [np.array(leg, np.int32)], 1)
    return mask.astype(bool)


def with_garment(mask: np.ndarray, top: float, hem: float, half_width_cm: float) -> np.ndarray:
    out = mask.astype(np.uint8)
    cx = W // 2
    cv2.rectangle(out, (cx - int(half_width_cm * CM), row(top)), (cx + int(half_width_cm * CM), row(hem)), 1, -1)
    return out.astype(bool)


def test_a_close_fitting_outline_has_no_loose_zone():
    assert loose_zones(figure(), 170.0, CROTCH, ARMPIT) == []


def test_a_loose_top_names_the_torso_and_its_step():
    hoodie = with_garment(figure(), 0.80, 0.50, 23.0)  # 5 cm wider than the hips each side, hem above the crotch
    zones = loose_zones(hoodie, 170.0, CROTCH, ARMPIT)
    assert [z.zone for z in zones] == ["chest, waist and hips"]
    assert zones[0].step_cm == pytest.approx(2 * (23.0 - 18.0), abs=1.5)
    assert zones[0].level == pytest.approx(0.50, abs=0.015)
    assert "waist girth" in zones[0].warning() and "loose around the chest, waist and hips" in zones[0].warning()


def test_a_wide_skirt_names_the_hips_and_thighs():
    skirt = with_garment(figure(), 0.58, 0.36, 26.0)
    zones = loose_zones(skirt, 170.0, CROTCH, ARMPIT)
    assert zones[0].zone == "hips and thighs"
    assert set(zones[0].measurements) == set(ZONE_MEASUREMENTS["hips and thighs"])
    assert "thigh girth" in zones[0].warning()


def test_a_step_below_the_threshold_is_the_body():
    # 1.2 cm wider each side: 2.4 cm in all, under HEM_STEP_FRACTION of 170 cm
    snug = with_garment(figure(), 0.80, 0.50, 19.2)
    assert 2 * 1.2 < C.HEM_STEP_FRACTION * 170.0
    assert loose_zones(snug, 170.0, CROTCH, ARMPIT) == []


def test_nothing_to_read_gives_no_zone():
    assert loose_zones(np.zeros((H, W), bool), 170.0, CROTCH, ARMPIT) == []


def test_a_body_narrowing_at_the_waist_is_not_a_covered_waist():
    from avatar.estimate.clothing import covered_waist, waist_fill

    assert waist_fill(figure(), CROTCH, ARMPIT) < C.WAIST_FILL_MAX
    assert covered_waist(figure(), CROTCH, ARMPIT) is None


def test_a_top_hanging_straight_past_the_waist_covers_it():
    from avatar.estimate.clothing import covered_waist, find_loose_clothes

    tee = with_garment(figure(), 0.72, 0.52, 18.0)  # as wide as the hips from the armpits down: no hem step
    assert loose_zones(tee, 170.0, CROTCH, ARMPIT) == []
    zone = covered_waist(tee, CROTCH, ARMPIT)
    assert zone is not None and zone.zone == "chest and waist"
    assert set(zone.measurements) == {"chest_girth", "underbust_girth", "waist_girth"}
    assert "does not narrow at the waist" in zone.warning()
    assert [z.zone for z in find_loose_clothes(tee, 170.0, CROTCH, ARMPIT)] == ["chest and waist"]


def test_a_hem_names_the_torso_once():
    from avatar.estimate.clothing import find_loose_clothes

    hoodie = with_garment(figure(), 0.80, 0.50, 23.0)
    assert [z.zone for z in find_loose_clothes(hoodie, 170.0, CROTCH, ARMPIT)] == ["chest, waist and hips"]


def test_the_gap_opening_between_the_legs_is_no_hem():
    mask = figure()
    gap = mask.copy()  # the thighs touch down to 4 cm below the crotch, then a wide gap opens
    cx = W // 2
    gap[row(CROTCH): row(CROTCH - 0.025), cx - int(0.75 * CM): cx + int(0.75 * CM)] = True
    gap[row(CROTCH - 0.025):, cx - int(5 * CM): cx + int(5 * CM)] = False
    assert loose_zones(gap, 170.0, CROTCH, ARMPIT) == []
