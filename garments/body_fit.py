"""The body a garment was made for: the rigged reference body, posed as the garment is, scaled and moved up or
down until it sits inside the garment with the most even clearance.

A designer's garment is made on a body of its own (taller, broader, another model). Its sleeves and legs turn about
that body's shoulders and hips, so the reference body is fitted to it before the garment is bound and unposed
(``garments.registration``): the fitted body's joints are where the garment's limbs turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .registration_constants import (FIT_CLEARANCE_MIN_M, FIT_MAX_EVALUATIONS, FIT_PENETRATION_WEIGHT,
                                     FIT_SAMPLE_POINTS, FIT_SCALE_RANGE, FIT_SKIN_STRIDE,
                                     FIT_STEP_TOLERANCE)


@dataclass(frozen=True)
class BodyFit:
    """The reference body moved to the body a garment was made for.

    A rest point p of the reference body goes to ``anchor + S (p - anchor) + (0, lift, 0)``, S = diag(scale_xz,
    scale_y, scale_xz), before the garment's pose is applied.

    Attributes
    ----------
    anchor : (3,) float, metres; the landmark scaled about (the neck joint for tops, the crotch for bottoms)
    scale_y : height scale
    scale_xz : girth scale (left-right and front-back)
    lift : metres; the body moved up (negative: down) against the garment's landmark placement
    legs_to_ankle : the garment's legs are brought to the reference body's length (``to_reference``)
    """

    anchor: tuple = (0.0, 0.0, 0.0)
    scale_y: float = 1.0
    scale_xz: float = 1.0
    lift: float = 0.0
    legs_to_ankle: bool = False

    def to_reference(self, points: np.ndarray) -> np.ndarray:
        """Garment points (n, 3) metres on the fitted rest body -> on the reference rest body: moved down by the
        lift, keeping the garment's own size; with ``legs_to_ankle`` (full-length trousers, whose hem is at the
        ankle) what lies below the anchor (the crotch) is shortened by the height scale, so the hem stays at
        the ankle instead of folding over the feet."""
        out = np.asarray(points, float) - np.array([0.0, self.lift, 0.0])
        if self.legs_to_ankle and self.scale_y != 1.0:
            below = out[:, 1] < self.anchor[1]
            out[below, 1] = self.anchor[1] + (out[below, 1] - self.anchor[1]) / self.scale_y
        return out

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Reference rest points (n, 3) metres -> the fitted body's, (n, 3) metres."""
        a = np.asarray(self.anchor, float)
        s = np.array([self.scale_xz, self.scale_y, self.scale_xz])
        return a + s * (np.asarray(points, float) - a) + np.array([0.0, self.lift, 0.0])

    def body(self, sex: str):
        """The fitted rest body as an object with ``vertices`` (V, 3) and ``joints`` (name -> (3,)), metres."""
        from .dress_form import body_form  # the reference body, cached

        ref = body_form(sex)
        return SimpleNamespace(vertices=self.apply(ref.vertices),
                               joints={k: self.apply(np.asarray(p, float)[None])[0] for k, p in ref.joints.items()})


def posed_body(sex: str, fit: BodyFit, moves: list) -> tuple[np.ndarray, np.ndarray, object]:
    """The fitted body in the garment's pose.

    Returns
    -------
    vertices : (V, 3) float, metres; the posed fitted body (not put back on the floor)
    transforms : (J, 4, 4) float; each bone's transform from the fitted rest body
    body : the fitted rest body (``BodyFit.body``)
    """
    from avatar.pose import skin_points
    from avatar.rig import load_rig

    rig = load_rig()
    body = fit.body(sex)
    transforms = _bone_transforms(body, moves)
    return skin_points(body.vertices, rig.skin_bones, rig.skin_weights, transforms), transforms, body


def _bone_transforms(body, moves: list) -> np.ndarray:
    """(J, 4, 4) float: each bone's transform for ``moves`` about ``body``'s joints (identity without moves)."""
    from avatar.pose import bone_transforms
    from avatar.rig import bone_heads, load_rig

    rig = load_rig()
    if not moves:
        return np.tile(np.eye(4), (len(rig.bone_labels), 1, 1))
    named = {b for move in moves for b in (move[1], move[2])}
    return bone_transforms(rig, bone_heads(body, named), moves)


def clearance_misfit(garment: np.ndarray, skin: np.ndarray, normals: np.ndarray) -> float:
    """How unevenly a body sits inside a garment: the mean absolute deviation of the garment's clearance from
    its median, plus a weighted mean of how far it comes closer than ``FIT_CLEARANCE_MIN_M`` (or inside).

    Parameters
    ----------
    garment : (n, 3) float, metres; garment points
    skin : (m, 3) float, metres; the body's skin vertices
    normals : (m, 3) float; their unit outward normals

    Returns
    -------
    misfit : float, metres
    """
    from scipy.spatial import cKDTree

    _, near = cKDTree(skin).query(garment)
    d = np.einsum("ij,ij->i", garment - skin[near], normals[near])
    spread = float(np.mean(np.abs(d - np.median(d))))
    return spread + FIT_PENETRATION_WEIGHT * float(np.mean(np.maximum(FIT_CLEARANCE_MIN_M - d, 0.0)))


def fit_body(garment: np.ndarray, sex: str, moves: list, anchor: np.ndarray, lift_range_m: tuple,
             lift_start_m: float = 0.0, scale_y: float | None = None, legs_to_ankle: bool = False) -> BodyFit:
    """Fit the reference body inside a placed garment: its scale about ``anchor`` and a lift.

    Parameters
    ----------
    garment : (n, 3) float, metres; the garment placed on the posed reference body by its landmarks
    sex : the reference body ("female" | "male")
    moves : the rig moves of the garment's pose (``avatar.pose``)
    anchor : (3,) float, metres; the landmark the garment was placed by, kept while scaling
    lift_range_m : (low, high) metres; how far the body may move against that placement
    lift_start_m : metres; where the search for the lift starts (within the range)
    scale_y : the height scale when the garment gives it (full-length trousers' inseam); None: the height
        scale is the girth scale found (a sleeve or a trouser leg is a tube, whose clearance says little of
        where along it the elbow or the knee is)
    legs_to_ankle : carried into the result (``BodyFit.to_reference``)

    Returns
    -------
    BodyFit; the reference body as placed (scale 1, the start's lift) when nothing fits better
    """
    from scipy.optimize import minimize

    garment = np.asarray(garment, float)
    sample = garment[:: max(1, len(garment) // FIT_SAMPLE_POINTS)]
    anchor = tuple(float(a) for a in anchor)
    bounds = np.array([FIT_SCALE_RANGE, lift_range_m], float)
    skin = _SkinSample.of(sex)

    def fitted(x: np.ndarray) -> BodyFit:  # x: (girth scale, lift)
        scale, lift = np.clip(x, bounds[:, 0], bounds[:, 1])
        return BodyFit(anchor, float(scale if scale_y is None else scale_y), float(scale), float(lift),
                       legs_to_ankle)

    def misfit(x: np.ndarray) -> float:
        return clearance_misfit(sample, *skin.posed(fitted(x), moves))

    start = np.array([1.0, float(np.clip(lift_start_m, *lift_range_m))])
    found = minimize(misfit, start, method="Nelder-Mead",
                     options={"maxfev": FIT_MAX_EVALUATIONS, "xatol": FIT_STEP_TOLERANCE, "fatol": 1e-5,
                              "initial_simplex": start + np.vstack([np.zeros(2), np.diag([0.08, 0.04])])})
    return fitted(found.x) if misfit(found.x) < misfit(start) else fitted(start)


@dataclass(frozen=True)
class _SkinSample:
    """Every ``FIT_SKIN_STRIDE``-th skin vertex of a reference body with its rest normals and skinning."""

    points: np.ndarray
    normals: np.ndarray
    bones: np.ndarray
    weights: np.ndarray
    sex: str

    @staticmethod
    def of(sex: str) -> "_SkinSample":
        if sex not in _SAMPLES:
            from avatar.body_model import load_body_model
            from avatar.rig import load_rig

            from .dress_form import body_form

            ref = body_form(sex)
            rig = load_rig()
            skin = np.flatnonzero(load_body_model().body_vertex_mask)[::FIT_SKIN_STRIDE]
            _SAMPLES[sex] = _SkinSample(np.asarray(ref.vertices, float)[skin], ref.normals[skin],
                                        rig.skin_bones[skin], rig.skin_weights[skin], sex)
        return _SAMPLES[sex]

    def posed(self, fit: BodyFit, moves: list) -> tuple[np.ndarray, np.ndarray]:
        """The sample on the fitted body in the pose: points (k, 3) metres and unit normals (k, 3)."""
        points = fit.apply(self.points)
        normals = self.normals / np.array([fit.scale_xz, fit.scale_y, fit.scale_xz])  # normals scale inversely
        if moves:
            transforms = _bone_transforms(fit.body(self.sex), moves)
            blended = np.einsum("nk,nkij->nij", self.weights, transforms[self.bones])
            points = np.einsum("nij,nj->ni", blended[:, :3, :3], points) + blended[:, :3, 3]
            normals = np.einsum("nij,nj->ni", blended[:, :3, :3], normals)
        return points, normals / np.linalg.norm(normals, axis=1, keepdims=True)


_SAMPLES: dict[str, _SkinSample] = {}


__all__ = ["BodyFit", "clearance_misfit", "fit_body", "posed_body"]
