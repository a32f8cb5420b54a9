"""Measure a body at the landmarks of ``avatar.landmarks``: the tape of the avatar issue."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import numpy as np

from . import landmarks as lm
from .body_model import BodyModel, load_body_model
from .measurements import MEASUREMENT_NAMES
from .storage import atomic_write_json, cache_root
from .tape import Loop, girth_at

# Whole-body density that turns the avatar's volume into a body mass (kg/m^3), per sex. Human bodies
# range about 1000-1080 with body fat (Siri 1961); these values make the avatars of the ANSUR II mean
# measurements weigh the survey's mean masses (67.8 kg women, 85.5 kg men).
BODY_DENSITY_KG_M3 = {"female": 1004.0, "male": 1034.0}
UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class Measured:
    """One measurement taken on a body.

    value : float, cm (body_mass: kg)
    plane_origin, plane_normal : (3,) float, metres, for girths (the loop's centre and its plane); else None
    """

    value: float
    plane_origin: np.ndarray | None = None
    plane_normal: np.ndarray | None = None


_LANDMARKS: dict[str, lm.Landmarks] = {}
_LOCK = threading.Lock()


def landmarks_for(sex: str, model: BodyModel | None = None) -> lm.Landmarks:
    """Landmark vertices of a sex, picked once per machine on that sex's reference body (then cached)."""
    with _LOCK:
        if sex not in _LANDMARKS:
            path = cache_root() / f"landmarks-v{lm.LANDMARKS_VERSION}-{sex}.json"
            found = None
            if path.is_file():
                try:
                    found = lm.Landmarks.from_json(json.loads(path.read_text()))
                except (OSError, ValueError, KeyError, TypeError):
                    found = None
            if found is None:
                from .avatar import reference_avatar

                ref = reference_avatar(sex)
                found = lm.find_landmarks(ref.vertices, ref.body_faces, ref.joints)
                atomic_write_json(path, found.to_json())
            _LANDMARKS[sex] = found
        return _LANDMARKS[sex]


def _horizontal(v, faces, level_vertex_ids, centre_xz) -> Loop | None:
    level = float(np.mean(v[level_vertex_ids, 1]))
    return girth_at(v, faces, [centre_xz[0], level, centre_xz[1]], UP)


def _along(v, faces, start, end, fraction) -> tuple[Loop | None, np.ndarray]:
    axis = end - start
    return girth_at(v, faces, start + fraction * axis, axis), axis / np.linalg.norm(axis)


def mesh_volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Volume of a closed, outward-wound triangle mesh (m^3), by the divergence theorem."""
    a, b, c = (vertices[faces[:, i]] for i in range(3))
    cross = np.stack([b[:, 1] * c[:, 2] - b[:, 2] * c[:, 1], b[:, 2] * c[:, 0] - b[:, 0] * c[:, 2],
                      b[:, 0] * c[:, 1] - b[:, 1] * c[:, 0]], axis=1)
    return float((a * cross).sum() / 6.0)


def measure_body(vertices: np.ndarray, body_faces: np.ndarray, joints: dict[str, np.ndarray], sex: str,
                 names=MEASUREMENT_NAMES, face_sets: dict[str, np.ndarray] | None = None) -> dict[str, Measured]:
    """Take the named measurements of one body.

    Parameters
    ----------
    vertices : (V, 3) float, metres, our frame (feet on y = 0)
    body_faces : (F, 3) int, skin triangles
    joints : name -> (3,) float, metres
    sex : "female" or "male" (which landmark set)
    face_sets : optional name -> (f, 3) int, a band of ``body_faces`` known to hold that girth's loop
        (makes repeated measuring during a fit fast); the default is the whole skin

    Returns
    -------
    name -> Measured (cm, body_mass kg). A girth whose plane misses the body is left out.
    """
    L = landmarks_for(sex)
    v = vertices
    J = joints
    centre_xz = (0.0, lm.torso_centre_z(J))
    out: dict[str, Measured] = {}

    def faces_for(name):
        return body_faces if face_sets is None or name not in face_sets else face_sets[name]

    def girth(name, loop, normal):
        if loop is not None:
            out[name] = Measured(loop.girth_m * 100.0, loop.centre, np.asarray(normal, float))

    for name in names:
        if name == "stature":
            out[name] = Measured(float(v[L.skin, 1].max() * 100.0))
        elif name == "chest_girth":
            girth(name, _horizontal(v, faces_for(name), [L.bust_l, L.bust_r], centre_xz), UP)
        elif name == "underbust_girth":
            girth(name, _horizontal(v, faces_for(name), [L.underbust], centre_xz), UP)
        elif name == "waist_girth":
            girth(name, _horizontal(v, faces_for(name), [L.waist], centre_xz), UP)
        elif name == "hip_girth":
            girth(name, _horizontal(v, faces_for(name), [L.hip], centre_xz), UP)
        elif name == "neck_girth":
            girth(name, *_along(v, faces_for(name), J["neck"], J["head"], lm.NECK_FRACTION))
        elif name == "shoulder_breadth":
            out[name] = Measured(float(np.linalg.norm(v[L.acromion_l] - v[L.acromion_r]) * 100.0))
        elif name == "arm_length":
            length = np.linalg.norm(v[L.acromion_l] - J["elbow_l"]) + np.linalg.norm(J["elbow_l"] - J["wrist_l"])
            out[name] = Measured(float(length * 100.0))
        elif name == "upper_arm_girth":
            girth(name, *_along(v, faces_for(name), J["shoulder_l"], J["elbow_l"], lm.UPPER_ARM_FRACTION))
        elif name == "wrist_girth":
            girth(name, *_along(v, faces_for(name), J["elbow_l"], J["wrist_l"], lm.WRIST_FRACTION))
        elif name == "inside_leg_height":
            out[name] = Measured(float(v[L.crotch_candidates, 1].min() * 100.0))
        elif name == "thigh_girth":
            crotch_y = v[L.crotch_candidates, 1].min()
            axis = J["knee_l"] - J["hip_l"]
            fraction = (crotch_y - lm.THIGH_BELOW_CROTCH_M - J["hip_l"][1]) / axis[1]
            girth(name, *_along(v, faces_for(name), J["hip_l"], J["knee_l"], fraction))
        elif name == "calf_girth":
            girth(name, *_along(v, faces_for(name), J["knee_l"], J["ankle_l"], lm.CALF_FRACTION))
        elif name == "ankle_girth":
            girth(name, *_along(v, faces_for(name), J["knee_l"], J["ankle_l"], lm.ANKLE_FRACTION))
        elif name == "body_mass":
            out[name] = Measured(mesh_volume(v, body_faces) * BODY_DENSITY_KG_M3[sex])
    return out


def avatar_sex(avatar) -> str:
    if avatar.sex in ("female", "male"):
        return avatar.sex
    return "female" if avatar.phenotype.gender >= 0.5 else "male"


def measure_all(avatar, names=MEASUREMENT_NAMES) -> dict[str, Measured]:
    """Every measurement of an :class:`avatar.avatar.Avatar` (cm; body_mass kg)."""
    return measure_body(avatar.vertices, avatar.body_faces, avatar.joints, avatar_sex(avatar), names)
