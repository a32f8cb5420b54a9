"""Silhouette features that survive segmentation: kept gaps, stable crotch and armpit landmarks."""

import cv2
import numpy as np
import pytest

from avatar.estimate.calibrate import perturb_outline
from avatar.estimate.features import photo_features, torso_landmarks
from avatar.estimate.project import PinholeCamera, silhouette
from avatar.estimate.segment import split_people


def test_specks_are_filled_but_a_gap_beside_the_hip_is_kept():
    mask = np.zeros((600, 400), bool)
    mask[20:580, 150:250] = True  # the body
    mask[280:380, 120:146] = True  # a forearm beside the hip, 4 px away from it ...
    mask[280:285, 146:150] = True  # ... touching it at the elbow
    mask[375:380, 146:150] = True  # ... and with the hand
    mask[300:302, 200:202] = False  # a 2x2 speck of background colour on the clothes
    person, people = split_people(mask)
    assert people == 1
    assert person[300:302, 200:202].all(), "a speck is filled"
    assert not person[285:375, 146:150].any(), "background seen between the arm and the hip stays background"


@pytest.fixture(scope="module")
def body_masks(body_model):
    from avatar.avatar import make_avatar
    from avatar.body_model import Phenotype

    out = []
    for pheno, sex in ((Phenotype(gender=1.0, age=0.7, muscle=0.3, weight=0.85, height=0.4), "female"),
                       (Phenotype(gender=0.0, age=0.8, muscle=0.6, weight=0.4, height=0.7), "male")):
        avatar = make_avatar(pheno, sex=sex)
        cam = PinholeCamera(height_m=1.1, distance_m=3.2, yfov_deg=50, width_px=540, height_px=720)
        front = silhouette(avatar.vertices, avatar.body_faces, cam)
        side = silhouette(np.c_[avatar.vertices[:, 2], avatar.vertices[:, 1], -avatar.vertices[:, 0]],
                          avatar.body_faces, cam)
        out.append((front, side, avatar.stature_m * 100))
    return out


@pytest.mark.body
def test_landmarks_move_a_little_when_the_outline_moves_a_pixel(body_masks):
    """A pixel more or less on each side narrows or widens the gaps by two: the landmarks follow
    the wedges below the apexes (about 2 cm here), not the slivers at the apex (5-13 cm)."""
    kernel = np.ones((3, 3), np.uint8)
    for front, _, stature in body_masks:
        crotch, armpit = torso_landmarks(front)
        for moved in (cv2.dilate(front.astype(np.uint8), kernel), cv2.erode(front.astype(np.uint8), kernel)):
            c2, a2 = torso_landmarks(moved.astype(bool))
            assert abs(c2 - crotch) * stature < 2.5
            assert abs(a2 - armpit) * stature < 1.5
        assert 0.40 < crotch < 0.52 and 0.68 < armpit < 0.78


@pytest.mark.body
def test_perturbed_outlines_stay_close_to_the_exact_ones(body_masks):
    rng = np.random.default_rng(0)
    for front, side, stature in body_masks:
        exact = photo_features(front, side, stature)
        for _ in range(5):
            moved = photo_features(perturb_outline(front, rng), perturb_outline(side, rng), stature)
            # widths and perimeters move by about a pixel (0.35 cm here) or its perimeter, not more
            assert np.median(np.abs(moved - exact)) < 1.0


@pytest.mark.body
def test_turned_arms_move_the_arms_only(body_model):
    from avatar.avatar import reference_avatar
    from avatar.estimate.project import turn_arms

    avatar = reference_avatar("female")
    v, j = avatar.vertices, avatar.joints
    turned = turn_arms(v, j, 10.0)
    moved = np.linalg.norm(turned - v, axis=1) > 1e-6
    legs_and_head = (v[:, 1] < j["hip_l"][1]) & (np.abs(v[:, 0]) < 0.25) | (v[:, 1] > j["neck"][1] + 0.05)
    assert not moved[legs_and_head].any()
    for side, sign in (("l", 1), ("r", -1)):
        tip = np.argmax(sign * v[:, 0])  # the fingertip farthest out
        sh = j[f"shoulder_{side}"]
        angle = lambda p: np.degrees(np.arctan2(p[1] - sh[1], sign * (p[0] - sh[0])))  # noqa: E731
        assert angle(turned[tip]) - angle(v[tip]) == pytest.approx(10.0, abs=0.01)  # raised 10 degrees
    assert np.allclose(turn_arms(v, j, 0.0), v)


@pytest.mark.body
def test_arms_held_out_do_not_widen_the_torso(body_model):
    """Arms from the A-pose to a T-pose, taken off along the skeleton, leave the torso's widths alike."""
    from avatar.avatar import reference_avatar
    from avatar.estimate.features import SKELETON_JOINTS, remove_arms, silhouette_profile
    from avatar.estimate.project import turn_arms, turned_joints

    avatar = reference_avatar("male")
    cam = PinholeCamera(height_m=1.1, distance_m=3.6, yfov_deg=50, width_px=720, height_px=900)
    stature = avatar.stature_m * 100
    widths = []
    for turn in (0.0, 45.0):
        joints = turned_joints(avatar.joints, turn)
        mask = silhouette(turn_arms(avatar.vertices, avatar.joints, turn), avatar.body_faces, cam)
        skeleton = dict(zip(SKELETON_JOINTS, cam.project(np.array([joints[n] for n in SKELETON_JOINTS]))))
        kept = remove_arms(mask, skeleton)
        assert kept.sum() < mask.sum() * 0.93  # the arms are gone
        widths.append(silhouette_profile(kept, stature).total)
    levels = slice(20, 36)  # 42-72 % of the height: hips to chest
    assert np.max(np.abs(widths[0][levels] - widths[1][levels])) < 1.5


@pytest.mark.body
def test_turned_joints_follow_the_turned_arm(body_model):
    from avatar.avatar import reference_avatar
    from avatar.estimate.project import turned_joints

    j = reference_avatar("female").joints
    t = turned_joints(j, 30.0)
    for side, sign in (("l", 1), ("r", -1)):
        before = np.asarray(j[f"wrist_{side}"]) - np.asarray(j[f"shoulder_{side}"])
        after = t[f"wrist_{side}"] - np.asarray(j[f"shoulder_{side}"])
        assert np.isclose(np.linalg.norm(before), np.linalg.norm(after))
        angle = np.degrees(np.arctan2(after[1], after[0]) - np.arctan2(before[1], before[0]))
        assert np.isclose(angle, 30.0 * sign, atol=1e-6)  # away from the body: up on the +X side
    assert np.allclose(t["hip_l"], j["hip_l"])
