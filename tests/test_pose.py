"""Poses from the body model's rig: the standing body keeps its measurements, limbs keep their lengths."""

import numpy as np
import pytest

from avatar.avatar import make_avatar, reference_avatar
from avatar.body_model import Phenotype
from avatar.body_model import JOINTS as BODY_JOINTS
from avatar.rig import load_rig
from avatar.pose import POSE_NAMES, PoseError, hang_arms, pose_avatar, walk_cycle

pytestmark = pytest.mark.body

LIMBS = (("shoulder_l", "elbow_l"), ("elbow_l", "wrist_l"), ("hip_l", "knee_l"), ("knee_l", "ankle_l"),
         ("shoulder_r", "elbow_r"), ("elbow_r", "wrist_r"), ("hip_r", "knee_r"), ("knee_r", "ankle_r"))
SKIN_LIMB_TOL = 0.03  # skin along a limb, away from the joints where skinning folds it, stretches by less


def _bands(model, body, a, b):
    """Skin vertices of the limb from joint a to b: a band 45 % of the way down and one at 80 %."""
    axis = body.joints[b] - body.joints[a]
    t = (body.vertices - body.joints[a]) @ axis / (axis @ axis)
    rig = load_rig()
    bone = BODY_JOINTS[a]
    limb = [rig.index(bone), rig.index(bone.replace("01", "02"))]
    on_limb = model.body_vertex_mask & np.isin(rig.skin_bones[:, 0], limb)
    return on_limb & (np.abs(t - 0.45) < 0.05), on_limb & (np.abs(t - 0.8) < 0.05)


def _skin_length(vertices, bands):
    return float(np.linalg.norm(vertices[bands[0]].mean(axis=0) - vertices[bands[1]].mean(axis=0)))


@pytest.fixture(scope="module")
def bodies():
    return [reference_avatar("female"), make_avatar(Phenotype(gender=0.0, weight=0.9, height=0.8), sex="male")]


def test_pose_names_are_the_contract():
    assert POSE_NAMES == ("stand", "walk", "sit", "reach", "bend")


def test_unknown_pose_names_the_choices(bodies):
    with pytest.raises(PoseError, match="stand, walk, sit, reach, bend"):
        pose_avatar(bodies[0], "dance")


def test_standing_keeps_stature(bodies):
    for body in bodies:
        stood = pose_avatar(body, "stand").avatar
        assert abs(stood.stature_m - body.stature_m) <= 0.01 * body.stature_m


@pytest.mark.parametrize("name", POSE_NAMES)
def test_limbs_keep_their_lengths_and_feet_reach_the_floor(bodies, body_model, name):
    for body in bodies:
        posed = pose_avatar(body, name).avatar
        for a, b in LIMBS:
            rest = np.linalg.norm(body.joints[a] - body.joints[b])
            assert np.linalg.norm(posed.joints[a] - posed.joints[b]) == pytest.approx(rest, rel=1e-6)
            bands = _bands(body_model, body, a, b)
            skin = _skin_length(body.vertices, bands)
            assert _skin_length(posed.vertices, bands) == pytest.approx(skin, rel=SKIN_LIMB_TOL), (a, b)
        skin_y = posed.vertices[body_model.body_vertex_mask, 1]
        assert skin_y.min() == pytest.approx(0.0, abs=1e-9)
        # the feet carry the body: the lowest skin point is on a foot
        lowest = posed.vertices[np.flatnonzero(body_model.body_vertex_mask)[skin_y.argmin()]]
        assert min(np.linalg.norm(lowest - posed.joints[f"ankle_{s}"]) for s in "lr") < 0.30  # a foot's length


def test_poses_do_what_they_say(bodies):
    body = bodies[0]
    j = {n: pose_avatar(body, n).avatar.joints for n in POSE_NAMES}
    thigh = j["sit"]["knee_l"] - j["sit"]["hip_l"]
    assert abs(thigh[1]) < 0.05 * np.linalg.norm(thigh) and thigh[2] > 0  # thighs horizontal, forward
    assert j["reach"]["wrist_l"][1] > j["reach"]["head"][1] and j["reach"]["wrist_r"][1] > j["reach"]["head"][1]
    assert j["bend"]["head"][2] > j["stand"]["head"][2] + 0.3 and j["bend"]["head"][1] < j["stand"]["head"][1] - 0.3
    assert j["walk"]["ankle_l"][2] - j["walk"]["ankle_r"][2] > 0.3  # one foot ahead of the other


def test_a_seen_pose_is_reused(bodies):
    assert pose_avatar(bodies[0], "sit") is pose_avatar(bodies[0], "sit")


def test_walk_cycle_loops(bodies):
    frames = walk_cycle(bodies[0], frames=8)
    assert len(frames) == 8
    stride = [f.avatar.joints["ankle_l"][2] - f.avatar.joints["ankle_r"][2] for f in frames]
    assert max(stride) > 0.2 and min(stride) < -0.2  # each foot leads in turn
    assert np.allclose(stride[0], -stride[4], atol=0.05)  # half a cycle later the other leg is where this one was


@pytest.mark.parametrize("degrees", [0.0, 15.0, 30.0])
def test_hanging_arms_keep_their_lengths_and_hang_beside_the_thighs(bodies, degrees):
    for body in bodies:
        hung = hang_arms(body, degrees)
        for side in "lr":
            for a, b in ((f"shoulder_{side}", f"elbow_{side}"), (f"elbow_{side}", f"wrist_{side}")):
                rest = np.linalg.norm(body.joints[a] - body.joints[b])
                assert np.linalg.norm(hung.joints[a] - hung.joints[b]) == pytest.approx(rest, rel=1e-6)
            wrist, hip, shoulder = (hung.joints[f"{j}_{side}"] for j in ("wrist", "hip", "shoulder"))
            length = sum(np.linalg.norm(body.joints[f"{a}_{side}"] - body.joints[f"{b}_{side}"])
                         for a, b in (("shoulder", "elbow"), ("elbow", "wrist")))
            # the hands hang almost an arm's length below the shoulders, outside the hips
            assert shoulder[1] - wrist[1] > np.cos(np.radians(degrees + 10.0)) * length
            assert abs(wrist[0]) > abs(hip[0])
            upper = hung.joints[f"elbow_{side}"] - hung.joints[f"shoulder_{side}"]
            angle = np.degrees(np.arctan2(np.hypot(upper[0], upper[2]), -upper[1]))
            assert angle == pytest.approx(degrees, abs=1.0)
