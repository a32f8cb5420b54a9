"""Named poses of an avatar from the body model's rig (linear blend skinning).

A pose is a list of moves applied parent first, each in our frame (Y up, facing +Z, the body's left at
+X) about the bone's head as already moved by its parents:

- ``("aim", bone, end, direction)``: turn ``bone`` (the shortest way) so the segment from its head to
  ``end``'s head points along ``direction``;
- ``("swing", bone, end, degrees)``: turn ``bone`` about the left-right axis so the segment to ``end``
  points ``degrees`` forward of straight down (negative: back), keeping its sideways slant;
- ``("turn", bone, axis, degrees)``: turn ``bone`` about ``axis`` (right-handed).

Every bone not moved follows its parent, so bone lengths never change. The posed body is put back on
the floor (lowest skin point on y = 0).
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from dataclasses import dataclass

import numpy as np

from .avatar import Avatar
from .body_model import JOINTS, load_body_model
from .errors import UserError
from .rig import Rig, bone_heads, load_rig


class PoseError(UserError, ValueError):
    """An unknown pose name; the message lists the poses there are."""


def _dir(x: float, y: float, z: float) -> tuple[float, float, float]:
    v = np.array([x, y, z], float)
    return tuple((v / np.linalg.norm(v)).tolist())


def _legs(side: str, thigh_forward: float, knee_bend: float) -> list[tuple]:
    """Moves of one leg: the thigh ``thigh_forward`` degrees forward of straight down (negative: back), the
    shank bent back from the thigh's line by ``knee_bend`` degrees."""
    return [("swing", f"upperleg01.{side}", f"lowerleg01.{side}", thigh_forward),
            ("swing", f"lowerleg01.{side}", f"foot.{side}", thigh_forward - knee_bend)]


def _arm_swing(side: str, forward: float) -> list[tuple]:
    """The arm turned forward (positive degrees) or back about the body's left-right axis."""
    return [("turn", f"upperarm01.{side}", (-1.0, 0.0, 0.0), forward)]


def _mirror(x: float, side: str) -> float:
    return x if side == "L" else -x


# Standing gait, sagittal angles at mid-stride: the leading hip about 25 degrees flexed with the knee
# nearly straight, the trailing hip about 15 degrees extended with the knee starting to bend, arms swinging
# opposite (typical values of normal walking; Perry & Burnfield, "Gait Analysis", 2nd ed., 2010, ch. 4-5).
POSES: dict[str, list[tuple]] = {
    "stand": [],
    "walk": _legs("L", 25.0, 5.0) + _legs("R", -15.0, 25.0) + _arm_swing("R", 20.0) + _arm_swing("L", -15.0),
    "sit": _legs("L", 90.0, 90.0) + _legs("R", 90.0, 90.0)
    + [("turn", f"upperarm01.{side}", (-1.0, 0.0, 0.0), 15.0) for side in "LR"],
    "reach": [move for side in "LR" for move in (
        ("turn", f"clavicle.{side}", (0.0, 0.0, _mirror(1.0, side)), 15.0),
        ("aim", f"upperarm01.{side}", f"lowerarm01.{side}", _dir(_mirror(0.3, side), 1.0, 0.05)),
        ("aim", f"lowerarm01.{side}", f"wrist.{side}", _dir(_mirror(0.25, side), 1.0, 0.05)))],
    "bend": [("turn", "root", (1.0, 0.0, 0.0), 45.0)]
    + [("turn", bone, (1.0, 0.0, 0.0), 12.0) for bone in ("spine05", "spine04", "spine03")]
    + [move for side in "LR" for move in _legs(side, 0.0, 0.0) + [
        ("aim", f"upperarm01.{side}", f"lowerarm01.{side}", _dir(_mirror(0.12, side), -1.0, 0.1)),
        ("aim", f"lowerarm01.{side}", f"wrist.{side}", _dir(_mirror(0.08, side), -1.0, 0.15))]],
}
POSE_NAMES = tuple(POSES)

WALK_CYCLE_FRAMES = 16  # frames of one stride pair (both legs); at 12 frames a second about 1.3 s a cycle


def walk_cycle_moves(frames: int = WALK_CYCLE_FRAMES) -> list[list[tuple]]:
    """A walk as a loop of ``frames`` poses, phase 0 to 2 pi (the last frame runs back into the first).

    Each hip swings from 10 degrees extended to 30 degrees flexed; the knee bends up to 60 degrees in
    swing and about 15 degrees after heel strike; the arms swing 15 degrees each way against the legs
    (sagittal ranges of normal walking, Perry & Burnfield 2010, as for ``POSES["walk"]``).
    """
    cycle = []
    for k in range(frames):
        phase = 2.0 * np.pi * k / frames
        moves = []
        for side, shift in (("L", 0.0), ("R", np.pi)):
            p = phase + shift
            hip = 10.0 + 20.0 * np.sin(p)
            knee = 60.0 * max(0.0, np.sin(p + 0.9)) ** 3 + 15.0 * max(0.0, np.sin(p - 1.8)) ** 2
            moves += _legs(side, hip, knee)
            moves += _arm_swing("R" if side == "L" else "L", 15.0 * np.sin(p))
        cycle.append(moves)
    return cycle


def _rotation(axis: np.ndarray, angle: float) -> np.ndarray:
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1.0 - np.cos(angle)) * (k @ k)


def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a)
    b = np.asarray(b, float) / np.linalg.norm(b)
    axis = np.cross(a, b)
    s = np.linalg.norm(axis)
    if s < 1e-9:
        return np.eye(3)
    return _rotation(axis / s, float(np.arctan2(s, a @ b)))


def _about(point: np.ndarray, rotation: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:3, :3] = rotation
    m[:3, 3] = point - rotation @ point
    return m


def bone_transforms(rig: Rig, heads: dict[str, np.ndarray], moves: list[tuple]) -> np.ndarray:
    """Each bone's rigid transform for a list of moves.

    Parameters
    ----------
    rig : the skeleton
    heads : bone -> (3,) float, metres; the rest heads of every bone named in ``moves``
    moves : see the module's description

    Returns
    -------
    (J, 4, 4) float; maps a rest point carried by the bone to where the pose puts it, metres
    """
    by_bone: dict[int, list[tuple]] = {}
    for move in moves:
        by_bone.setdefault(rig.index(move[1]), []).append(move)
    transforms = np.tile(np.eye(4), (len(rig.bone_labels), 1, 1))
    for j, parent in enumerate(rig.parents):
        if parent >= 0:
            transforms[j] = transforms[parent]
        for kind, bone, arg, value in by_bone.get(j, ()):
            g = transforms[j]
            head = g[:3, :3] @ heads[bone] + g[:3, 3]
            end = g[:3, :3] @ heads[arg] + g[:3, 3] if kind in ("aim", "swing") else None
            if kind == "aim":
                rotation = _rotation_between(end - head, np.asarray(value, float))
            elif kind == "swing":
                d = end - head
                now = np.arctan2(d[2], -d[1])
                rotation = _rotation(np.array([-1.0, 0.0, 0.0]), np.radians(value) - now)
            else:
                rotation = _rotation(np.asarray(arg, float), np.radians(value))
            transforms[j] = _about(head, rotation) @ g
    return transforms


def skin_points(points: np.ndarray, bones: np.ndarray, weights: np.ndarray, transforms: np.ndarray) -> np.ndarray:
    """Linear blend skinning.

    Parameters
    ----------
    points : (N, 3) float, metres; rest positions
    bones : (N, K) int; the bones moving each point
    weights : (N, K) float; their weights (summing to 1)
    transforms : (J, 4, 4) float; see ``bone_transforms``

    Returns
    -------
    (N, 3) float, metres
    """
    import scipy.sparse as sp

    n, k = np.shape(bones)
    # Each point's weighted sum of its bones' transforms, as one sparse product (a gather of (N, K, 4, 4)
    # transforms and a sum over K cost several times as much for K of 24 or more).
    blend = sp.csr_matrix((np.asarray(weights, np.float64).reshape(-1), np.asarray(bones).reshape(-1),
                           np.arange(0, n * k + 1, k)), shape=(n, len(transforms)))
    blended = (blend @ np.asarray(transforms, np.float64)[:, :3, :].reshape(len(transforms), 12)).reshape(n, 3, 4)
    return np.einsum("nij,nj->ni", blended[:, :, :3], points) + blended[:, :, 3]


@dataclass(frozen=True, eq=False)
class PosedBody:
    """An avatar in a pose.

    Attributes
    ----------
    name : the pose's name
    avatar : the posed body as an ``Avatar`` (same faces, joints moved; lowest skin point on y = 0)
    transforms : (J, 4, 4) float; each bone's transform from the rest avatar, floor shift included
    """

    name: str
    avatar: Avatar
    transforms: np.ndarray


# Relaxed arms hanging at the sides: the elbows a little bent, the hands beside the thighs (the forearm
# this much forward of the upper arm's line).
HANGING_ELBOW_BEND_DEG = 10.0


def hang_arms(avatar: Avatar, degrees: float) -> Avatar:
    """The avatar with both arms hanging at the sides, as a side photo is taken: ``degrees`` out from
    straight down in the frontal plane (0: against the thighs), the elbows bent by
    ``HANGING_ELBOW_BEND_DEG``; not cached."""
    return _pose_moves(avatar, "hanging arms", _hanging_arm_moves(degrees)).avatar


def _hanging_arm_moves(degrees: float) -> list[tuple]:
    a, bend = np.radians(degrees), np.radians(HANGING_ELBOW_BEND_DEG)
    moves = []
    for side in "LR":
        out = _mirror(np.sin(a), side)
        moves += [("aim", f"upperarm01.{side}", f"lowerarm01.{side}", _dir(out, -np.cos(a), 0.0)),
                  ("aim", f"lowerarm01.{side}", f"wrist.{side}", _dir(out, -np.cos(a), np.tan(bend)))]
    return moves


def _pose_moves(avatar: Avatar, name: str, moves: list[tuple]) -> PosedBody:
    rig = load_rig()
    named = {b for move in moves for b in (move[1], move[2]) if isinstance(b, str)}
    transforms = bone_transforms(rig, bone_heads(avatar, named), moves)
    vertices = skin_points(np.asarray(avatar.vertices, float), rig.skin_bones, rig.skin_weights, transforms)
    floor = vertices[load_body_model().body_vertex_mask, 1].min()
    vertices[:, 1] -= floor
    transforms[:, 1, 3] -= floor
    joints = {}
    for key, p in avatar.joints.items():
        g = transforms[rig.index(JOINTS[key])] if key in JOINTS else np.eye(4)
        joints[key] = g[:3, :3] @ np.asarray(p, float) + g[:3, 3]
    posed = dataclasses.replace(avatar, vertices=vertices, joints=joints)
    return PosedBody(name=name, avatar=posed, transforms=transforms)


_CACHE: "weakref.WeakKeyDictionary[Avatar, dict[str, PosedBody]]" = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def check_pose(name: str) -> str:
    """The pose name, or PoseError naming the poses there are."""
    if name not in POSES:
        raise PoseError(f"unknown pose '{name}'; use one of {', '.join(POSE_NAMES)}")
    return name


def pose_avatar(avatar: Avatar, name: str) -> PosedBody:
    """The avatar in a named pose (``POSE_NAMES``); a pose already made for this avatar is reused."""
    check_pose(name)
    with _CACHE_LOCK:
        seen = _CACHE.get(avatar, {}).get(name)
    if seen is not None:
        return seen
    posed = _pose_moves(avatar, name, POSES[name])
    with _CACHE_LOCK:
        _CACHE.setdefault(avatar, {})[name] = posed
    return posed


def walk_cycle(avatar: Avatar, frames: int = WALK_CYCLE_FRAMES) -> list[PosedBody]:
    """The avatar walking, one ``PosedBody`` per frame of a loop (see ``walk_cycle_moves``)."""
    return [_pose_moves(avatar, f"walk-cycle-{k}", moves) for k, moves in enumerate(walk_cycle_moves(frames))]


__all__ = ["POSES", "POSE_NAMES", "PoseError", "PosedBody", "bone_transforms", "check_pose", "pose_avatar",
           "skin_points", "walk_cycle", "walk_cycle_moves"]
