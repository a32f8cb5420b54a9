"""Landmarks for the tape: skin vertices and joint-based planes where each measurement is taken.

Vertex landmarks are picked once per sex on that sex's reference body by the rules below and
then used by index on every body of that sex (all bodies share one topology), so a landmark
moves with the body's shape the way an anatomical point does. ``landmarks_for`` keeps them: in
memory, and in the cache folder so they are picked once per machine.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import numpy as np

from .avatar import reference_avatar
from .storage import atomic_write_json, cache_root
from .tape import girth_at

LANDMARKS_VERSION = 1  # bump when a rule below changes, so cached landmarks are picked again

# Where along a limb axis (0 at the proximal joint, 1 at the distal one) the tape goes.
UPPER_ARM_FRACTION = 0.5  # midway shoulder-elbow
WRIST_FRACTION = 1.0  # at the wrist joint
NECK_FRACTION = 0.15  # just above the neck joint: the base of the neck
THIGH_BELOW_CROTCH_M = 0.01  # "just below the gluteal fold"
CALF_FRACTION = 0.30  # where the lower leg is thickest on the reference bodies (girth flat within 1 mm over 0.25-0.35)
ANKLE_FRACTION = 0.85  # where the leg is thinnest above the ankle bones on the reference bodies
UNDERBUST_DROP_M = 0.06  # the reference bodies' breasts meet the chest wall 4-6 cm below the bust point
ACROMION_LATERAL_M = 0.015  # the acromion sits a little lateral of the shoulder joint centre


@dataclass(frozen=True)
class Landmarks:
    """Vertex indices of one sex's landmarks (model vertex order)."""

    bust_l: int
    bust_r: int
    underbust: int
    waist: int
    hip: int
    acromion_l: int
    acromion_r: int
    crotch_candidates: np.ndarray  # (k,) int: centre-line vertices in the crotch region
    skin: np.ndarray  # (s,) int: every skin vertex

    def to_json(self) -> dict:
        return {k: (v.tolist() if isinstance(v, np.ndarray) else int(v)) for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, data: dict) -> "Landmarks":
        return cls(**{k: (np.asarray(v, dtype=np.int64) if isinstance(v, list) else int(v)) for k, v in data.items()})


def torso_centre_z(joints: dict[str, np.ndarray]) -> float:
    """A depth inside the torso at every level from hips to shoulders: between hip and shoulder joints."""
    return float((joints["hip_l"][2] + joints["shoulder_l"][2]) / 2)


def _mirror(vertices: np.ndarray, index: int, candidates: np.ndarray) -> int:
    target = vertices[index] * np.array([-1.0, 1.0, 1.0])
    return int(candidates[np.argmin(np.linalg.norm(vertices[candidates] - target, axis=1))])


def find_landmarks(vertices: np.ndarray, body_faces: np.ndarray, joints: dict[str, np.ndarray]) -> Landmarks:
    """Pick the landmark vertices on a reference body (rules in the module docstring).

    Parameters
    ----------
    vertices : (V, 3) float, metres, our frame
    body_faces : (F, 3) int, skin triangles
    joints : name -> (3,) float, metres
    """
    v = vertices
    skin = np.unique(body_faces)
    x, y, z = v[skin, 0], v[skin, 1], v[skin, 2]
    sh = joints["shoulder_l"]
    root = joints["root"]
    mid_z = torso_centre_z(joints)
    # Bust point: the most forward skin point of the left chest.
    window = skin[(x > 0.03) & (x < 0.15) & (y > sh[1] - 0.30) & (y < sh[1] - 0.05)]
    bust_l = int(window[np.argmax(v[window, 2])])
    bust_r = _mirror(v, bust_l, skin)
    # Underbust: on the bust point's column, where the breast has met the chest wall again.
    column = skin[(np.abs(x - v[bust_l, 0]) < 0.012) & (y < v[bust_l, 1]) & (z > mid_z)]
    underbust = int(column[np.argmin(np.abs(v[column, 1] - (v[bust_l, 1] - UNDERBUST_DROP_M)))])
    # Waist: the narrowest horizontal girth between hip joints + 8 cm and the underbust.
    levels = np.linspace(root[1] + 0.08, v[underbust, 1] - 0.02, 24)
    girths = []
    for level in levels:
        loop = girth_at(v, body_faces, [0.0, level, mid_z], [0.0, 1.0, 0.0])
        girths.append(loop.girth_m if loop else np.inf)
    waist_level = levels[int(np.argmin(girths))]
    front = skin[(np.abs(x) < 0.01) & (z > mid_z)]
    waist = int(front[np.argmin(np.abs(v[front, 1] - waist_level))])
    # Hip: the most posterior centre-line point between 18 cm below and 8 cm above the hip joints.
    back = skin[(np.abs(x) < 0.01) & (z < mid_z) & (y > root[1] - 0.18) & (y < root[1] + 0.08)]
    hip = int(back[np.argmin(v[back, 2])])
    # Acromion: the top of the shoulder just lateral of the shoulder joint.
    near = skin[(np.abs(x - (sh[0] + ACROMION_LATERAL_M)) < 0.012) & (np.abs(z - sh[2]) < 0.03) & (y > sh[1])]
    acromion_l = int(near[np.argmax(v[near, 1])])
    acromion_r = _mirror(v, acromion_l, skin)
    crotch = skin[(np.abs(x) < 0.006) & (y < root[1]) & (y > joints["knee_l"][1])]
    return Landmarks(bust_l, bust_r, underbust, waist, hip, acromion_l, acromion_r, crotch, skin)


_LANDMARKS: dict[str, Landmarks] = {}
_LOCK = threading.Lock()


def _read_cached(path) -> Landmarks | None:
    if not path.is_file():
        return None
    try:
        return Landmarks.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def landmarks_for(sex: str) -> Landmarks:
    """Landmark vertices of a sex ("female" or "male"), picked once per machine on that sex's reference body."""
    with _LOCK:
        if sex not in _LANDMARKS:
            path = cache_root() / f"landmarks-v{LANDMARKS_VERSION}-{sex}.json"
            found = _read_cached(path)
            if found is None:
                ref = reference_avatar(sex)
                found = find_landmarks(ref.vertices, ref.body_faces, ref.joints)
                atomic_write_json(path, found.to_json())
            _LANDMARKS[sex] = found
        return _LANDMARKS[sex]
