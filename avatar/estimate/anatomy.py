"""Whether the landmarks the landmark model places make a standing person's skeleton.

The model can score a tall pot plant as a person (0.98) and place its 33 landmarks inside it; it
then squeezes the legs: a person's legs are longer than their torso in any view in which they stand.
"""

from __future__ import annotations

import numpy as np


def leg_torso_ratio(points: np.ndarray, index: dict[str, int]) -> float:
    """The legs' length over the torso's, as the image shows them.

    Parameters
    ----------
    points : (33, 2) float; landmark positions, pixels
    index : landmark name -> row of ``points`` (``models.INDEX``)

    Returns
    -------
    float; the mean over both legs of hip-knee plus knee-ankle, over the distance from the shoulders'
    midpoint to the hips' midpoint (standing people in home scenes: 1.32-1.83, front and side; 0 when
    the torso is a point)
    """
    def p(name: str) -> np.ndarray:
        return np.asarray(points[index[name]], float)

    torso = np.linalg.norm(0.5 * (p("left_shoulder") + p("right_shoulder")) - 0.5 * (p("left_hip") + p("right_hip")))
    legs = [np.linalg.norm(p(f"{s}_hip") - p(f"{s}_knee")) + np.linalg.norm(p(f"{s}_knee") - p(f"{s}_ankle"))
            for s in ("left", "right")]
    return float(np.mean(legs) / torso) if torso > 0 else 0.0
