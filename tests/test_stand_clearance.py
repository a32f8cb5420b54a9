"""The standing body holds its hands clear of its hips and thighs, so no garment at the hip is caught
between hip and hand, on short and heavy bodies too."""

import dataclasses

import numpy as np
import pytest
from scipy.spatial import cKDTree

from avatar.avatar import make_avatar, reference_avatar
from avatar.body_model import Phenotype, load_body_model
from avatar.fitting import fit_avatar
from avatar.pose import pose_avatar
from avatar.rig import load_rig

pytestmark = pytest.mark.body

# Skin to skin, hand or forearm to hip or thigh: the show-through counter's depth (1.5 cm, see
# app.render.constants.SHOW_THROUGH_DEPTH_M) plus up to 3 cm a loose garment's cloth stands off the hip.
HAND_CLEARANCE_M = 0.045
HIP_BONES = ("root", "pelvis.{s}", "upperleg01.{s}", "upperleg02.{s}")


def _descendants(rig, bone: str) -> set[int]:
    out = {rig.index(bone)}
    for j, parent in enumerate(rig.parents):  # parents come before children
        if parent in out:
            out.add(j)
    return out


def hand_clearance(avatar) -> float:
    """Least distance, metres, from the skin of either hand and forearm to the skin of the hips and thighs
    (each skin vertex belongs to its strongest bone)."""
    rig, model = load_rig(), load_body_model()
    strongest = rig.skin_bones[np.arange(len(rig.skin_bones)), np.argmax(rig.skin_weights, axis=1)]
    v = np.asarray(avatar.vertices, float)
    hips = model.body_vertex_mask & np.isin(strongest, [rig.index(b.format(s=s)) for s in "LR" for b in HIP_BONES])
    tree = cKDTree(v[hips])
    gaps = []
    for side in "LR":
        hand = model.body_vertex_mask & np.isin(strongest, list(_descendants(rig, f"lowerarm01.{side}")))
        gaps.append(tree.query(v[hand])[0].min())
    return float(min(gaps))


@pytest.fixture(scope="module")
def short_heavy():
    return fit_avatar({"stature": 150.0, "chest_girth": 110.0, "waist_girth": 100.0, "hip_girth": 120.0},
                      "female").avatar


def test_short_heavy_body_stands_with_hands_clear(short_heavy):
    assert hand_clearance(short_heavy) >= HAND_CLEARANCE_M
    assert hand_clearance(pose_avatar(short_heavy, "stand").avatar) >= HAND_CLEARANCE_M


@pytest.mark.parametrize("values, sex", [
    ({"stature": 136.0, "chest_girth": 81.0, "waist_girth": 75.0, "hip_girth": 89.0}, "female"),
    ({"stature": 144.0, "chest_girth": 94.0, "waist_girth": 87.0, "hip_girth": 91.0}, "male"),
    ({"stature": 165.0, "chest_girth": 138.0, "waist_girth": 125.0, "hip_girth": 140.0}, "female"),
])
def test_short_and_very_heavy_bodies_stand_with_hands_clear(values, sex):
    assert hand_clearance(fit_avatar(values, sex).avatar) >= HAND_CLEARANCE_M


def test_heaviest_and_shortest_model_bodies_stand_with_hands_clear():
    for sex, gender in (("female", 1.0), ("male", 0.0)):
        body = make_avatar(Phenotype(gender=gender, weight=1.0, muscle=0.0, height=0.0, proportions=0.0), sex=sex)
        assert hand_clearance(body) >= HAND_CLEARANCE_M


def test_clearance_measure_sees_a_hand_on_the_hip():
    """The measure can fail: the reference body with its left hand moved onto the hip reads under it."""
    body = reference_avatar("female")
    rig, model = load_rig(), load_body_model()
    strongest = rig.skin_bones[np.arange(len(rig.skin_bones)), np.argmax(rig.skin_weights, axis=1)]
    hand = model.body_vertex_mask & np.isin(strongest, list(_descendants(rig, "lowerarm01.L")))
    hips = model.body_vertex_mask & np.isin(strongest, [rig.index(b.format(s="L")) for b in HIP_BONES])
    v = np.array(body.vertices, float)
    outermost = v[hips][np.argmax(v[hips, 0])]
    v[hand] += outermost + np.array([0.04, 0.0, 0.0]) - v[hand].mean(axis=0)
    moved = dataclasses.replace(body, vertices=v)
    assert hand_clearance(body) >= HAND_CLEARANCE_M
    assert hand_clearance(moved) < HAND_CLEARANCE_M
