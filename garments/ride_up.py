"""A top riding up when the arms are raised: the sleeves lift the cloth of the trunk with them.

Skinned from the skin next to it, a top's trunk stays where the trunk is while its sleeves go up with the
arms, so the cloth between (under the arm, at the armhole) is stretched to several times its length and
stands off the body as a flap, and the hem stays put. A real top hangs from its shoulders and armholes:
raising the arms lifts the underarm seam, which pulls the whole trunk of the top up with it, and the
hem rides up. Here the trunk's cloth is moved up along the trunk (each vertex's own trunk frame) by a
share of how far the underarm seam rises relative to the trunk, in full below the underarm and fading
to nothing at the top's highest point (the collar stays on the neck); the solver then settles it.
"""

from __future__ import annotations

import numpy as np

from avatar.pose import skin_points

from .motion_constants import RIDE_UP_SEAM_SHARES, RIDE_UP_SHARE, RIDE_UP_UNDERARM_QUANTILE


def ride_up(rest: np.ndarray, moved: np.ndarray, bones: np.ndarray, weights: np.ndarray, arm_bone: np.ndarray,
            transforms: np.ndarray) -> np.ndarray:
    """A top's skinned vertices with its trunk lifted by the raised arms.

    Parameters
    ----------
    rest : (N, 3) float, metres; the top as draped on the rest body
    moved : (N, 3) float, metres; it skinned into the pose (``avatar.pose.skin_points``)
    bones, weights : (N, K) its skinning
    arm_bone : (J,) bool; which of the rig's bones are the arms'
    transforms : (J, 4, 4) float; the pose's bone transforms

    Returns
    -------
    (N, 3) float, metres; ``moved`` itself when the arms lift nothing (no sleeves, arms not raised)
    """
    on_arm = weights * arm_bone[bones]
    arm = on_arm.sum(axis=1)  # (N,) the share of each vertex that follows the arms
    seam = np.flatnonzero((arm > RIDE_UP_SEAM_SHARES[0]) & (arm < RIDE_UP_SEAM_SHARES[1]))
    trunk_share = np.maximum(1.0 - arm, 1e-9)
    trunk_weights = (weights - on_arm) / trunk_share[:, None]
    if len(seam) < 3 or (arm >= 1.0).all():
        return moved
    on_trunk = skin_points(rest, bones, trunk_weights, transforms)
    up = skin_points(rest + np.array([0.0, 1.0, 0.0]), bones, trunk_weights, transforms) - on_trunk
    up /= np.maximum(np.linalg.norm(up, axis=1, keepdims=True), 1e-12)
    underarm_y = np.quantile(rest[seam, 1], RIDE_UP_UNDERARM_QUANTILE)
    low = seam[rest[seam, 1] <= underarm_y]
    rise = float(np.median(np.einsum("nd,nd->n", moved[low] - on_trunk[low], up[low])))
    if rise <= 0.0:
        return moved
    top = float(rest[:, 1].max())
    fade = np.clip((top - rest[:, 1]) / max(top - underarm_y, 1e-6), 0.0, 1.0)
    lift = RIDE_UP_SHARE * rise * (1.0 - arm) * fade
    return moved + lift[:, None] * up


__all__ = ["ride_up"]
