"""Measure a body: each named measurement taken by the tape at the landmarks of ``avatar.landmarks``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import landmarks as lm
from .landmarks import landmarks_for
from .measurements import MEASUREMENT_NAMES
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


@dataclass(frozen=True)
class _Body:
    """What every measuring rule reads: the body, its landmarks and the torso's centre line."""

    v: np.ndarray  # (V, 3) float, metres
    body_faces: np.ndarray  # (F, 3) int, skin triangles
    joints: dict[str, np.ndarray]
    sex: str
    marks: lm.Landmarks
    centre_xz: tuple[float, float]


def _girth(loop: Loop | None, normal) -> Measured | None:
    return None if loop is None else Measured(loop.girth_m * 100.0, loop.centre, np.asarray(normal, float))


def _level_girth(level_vertices: Callable[[lm.Landmarks], list[int]]):
    """A horizontal girth at the mean height of some landmark vertices, around the torso's centre line."""
    def measure(b: _Body, faces: np.ndarray) -> Measured | None:
        level = float(np.mean(b.v[level_vertices(b.marks), 1]))
        return _girth(girth_at(b.v, faces, [b.centre_xz[0], level, b.centre_xz[1]], UP), UP)
    return measure


def _limb_girth(start: str, end: str, fraction: float | Callable[[_Body], float]):
    """A girth across the axis from joint ``start`` to joint ``end``, ``fraction`` of the way along."""
    def measure(b: _Body, faces: np.ndarray) -> Measured | None:
        a, axis = b.joints[start], b.joints[end] - b.joints[start]
        f = fraction(b) if callable(fraction) else fraction
        return _girth(girth_at(b.v, faces, a + f * axis, axis), axis / np.linalg.norm(axis))
    return measure


def _crotch_height(b: _Body) -> float:
    return float(b.v[b.marks.crotch_candidates, 1].min())


def _thigh_fraction(b: _Body) -> float:
    """Where "just below the gluteal fold" falls on the hip-knee axis."""
    hip, axis = b.joints["hip_l"], b.joints["knee_l"] - b.joints["hip_l"]
    return (_crotch_height(b) - lm.THIGH_BELOW_CROTCH_M - hip[1]) / axis[1]


def _stature(b: _Body, faces) -> Measured:
    return Measured(float(b.v[b.marks.skin, 1].max() * 100.0))


def _shoulder_breadth(b: _Body, faces) -> Measured:
    return Measured(float(np.linalg.norm(b.v[b.marks.acromion_l] - b.v[b.marks.acromion_r]) * 100.0))


def _arm_length(b: _Body, faces) -> Measured:
    j = b.joints
    length = np.linalg.norm(b.v[b.marks.acromion_l] - j["elbow_l"]) + np.linalg.norm(j["elbow_l"] - j["wrist_l"])
    return Measured(float(length * 100.0))


def _inside_leg_height(b: _Body, faces) -> Measured:
    return Measured(_crotch_height(b) * 100.0)


def _body_mass(b: _Body, faces) -> Measured:
    return Measured(mesh_volume(b.v, b.body_faces) * BODY_DENSITY_KG_M3[b.sex])


# Measurement name -> rule(body, faces to cut) -> Measured, or None when a girth's plane misses the body.
MEASURERS: dict[str, Callable[[_Body, np.ndarray], Measured | None]] = {
    "stature": _stature,
    "chest_girth": _level_girth(lambda m: [m.bust_l, m.bust_r]),
    "underbust_girth": _level_girth(lambda m: [m.underbust]),
    "waist_girth": _level_girth(lambda m: [m.waist]),
    "hip_girth": _level_girth(lambda m: [m.hip]),
    "neck_girth": _limb_girth("neck", "head", lm.NECK_FRACTION),
    "shoulder_breadth": _shoulder_breadth,
    "arm_length": _arm_length,
    "upper_arm_girth": _limb_girth("shoulder_l", "elbow_l", lm.UPPER_ARM_FRACTION),
    "wrist_girth": _limb_girth("elbow_l", "wrist_l", lm.WRIST_FRACTION),
    "inside_leg_height": _inside_leg_height,
    "thigh_girth": _limb_girth("hip_l", "knee_l", _thigh_fraction),
    "calf_girth": _limb_girth("knee_l", "ankle_l", lm.CALF_FRACTION),
    "ankle_girth": _limb_girth("knee_l", "ankle_l", lm.ANKLE_FRACTION),
    "body_mass": _body_mass,
}


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
    body = _Body(vertices, body_faces, joints, sex, landmarks_for(sex), (0.0, lm.torso_centre_z(joints)))
    face_sets = face_sets or {}
    out: dict[str, Measured] = {}
    for name in names:
        if name in MEASURERS:
            measured = MEASURERS[name](body, face_sets.get(name, body_faces))
            if measured is not None:
                out[name] = measured
    return out


def avatar_sex(avatar) -> str:
    if avatar.sex in ("female", "male"):
        return avatar.sex
    return "female" if avatar.phenotype.gender >= 0.5 else "male"


def measure_all(avatar, names=MEASUREMENT_NAMES) -> dict[str, Measured]:
    """Every measurement of an :class:`avatar.avatar.Avatar` (cm; body_mass kg)."""
    return measure_body(avatar.vertices, avatar.body_faces, avatar.joints, avatar_sex(avatar), names)
