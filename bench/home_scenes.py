"""Photos like a shopper's at home, for ``bench_estimate.py --home``: a room, a dressed body, held arms.

The room: a wall with a door in its frame, a picture, a sign and a fire extinguisher, furniture at
the sides, a coat stand with a coat or a tall plant (an object about a person's size), on a
patterned or dark floor. The body wears a top and leggings coloured unlike its skin, bare feet or
sandals, and holds its arms between 30 and 90 deg from hanging down.
"""

from __future__ import annotations

import cv2
import numpy as np

from avatar.estimate.constants import MODEL_A_POSE_ARM_DEG as A_POSE_ARM_DEG
from avatar.estimate.project import _distance_to_polyline, turn_arms

SKIN_COLOURS = [(0.92, 0.76, 0.65), (0.80, 0.60, 0.47), (0.62, 0.43, 0.30), (0.42, 0.28, 0.19), (0.95, 0.85, 0.78),
                (0.71, 0.52, 0.38)]
# Clothes unlike any skin tone: navy, black, charcoal, red, teal, olive, plum, white
CLOTHES = [(0.10, 0.14, 0.35), (0.05, 0.05, 0.06), (0.25, 0.26, 0.28), (0.65, 0.08, 0.10), (0.05, 0.42, 0.45),
           (0.30, 0.35, 0.12), (0.38, 0.12, 0.35), (0.90, 0.91, 0.92)]


def _floor(rng: np.random.Generator, img: np.ndarray, horizon: int) -> None:
    h, w = img.shape[:2]
    kind = rng.integers(0, 3)
    if kind == 0:  # dark carpet
        img[horizon:] = rng.uniform(25, 70, 3)
        img[horizon:] += rng.normal(0, 6, (h - horizon, w, 1))
    elif kind == 1:  # parquet: planks of varying brown
        base = rng.uniform([110, 70, 40], [170, 120, 80])
        plank = max(4, int(0.02 * h))
        for y in range(horizon, h, plank):
            img[y: y + plank] = base * rng.uniform(0.8, 1.15)
            img[y: y + 1] *= 0.6
    else:  # tiles in a checker pattern
        a, b = rng.uniform(150, 230, 3), rng.uniform(40, 110, 3)
        tile = max(6, int(0.04 * h))
        ys, xs = np.mgrid[horizon:h, 0:w]
        img[horizon:] = np.where((((ys - horizon) // tile + xs // (tile * 2)) % 2 == 0)[..., None], a, b)


def home_background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A room at home: (h, w, 3) uint8 RGB, the person to stand in the middle third."""
    img = np.empty((h, w, 3), np.float32)
    img[:] = rng.uniform(165, 235, 3)
    img *= np.linspace(1.05, 0.93, h)[:, None, None]
    horizon = int(h * rng.uniform(0.72, 0.84))
    _floor(rng, img, horizon)
    img[horizon - max(2, h // 120): horizon] = rng.uniform(200, 250, 3)  # skirting board
    left = rng.random() < 0.5  # the door on one side, the tall object on the other
    dx0, dx1 = (int(0.02 * w), int(0.27 * w)) if left else (int(0.73 * w), int(0.98 * w))
    top = int(h * rng.uniform(0.08, 0.18))
    trim = max(3, w // 90)
    cv2.rectangle(img, (dx0, top), (dx1, horizon), rng.uniform(200, 255, 3).tolist(), -1)
    cv2.rectangle(img, (dx0 + trim, top + trim), (dx1 - trim, horizon), rng.uniform(60, 200, 3).tolist(), -1)
    cv2.circle(img, (dx1 - 3 * trim if left else dx0 + 3 * trim, (top + horizon) // 2), trim, (200, 180, 60), -1)
    # a picture, a sign and a fire extinguisher on the wall beside the door
    px = int(w * rng.uniform(0.30, 0.55))
    py = int(h * rng.uniform(0.12, 0.25))
    pw, ph = int(0.15 * w), int(0.10 * h)
    cv2.rectangle(img, (px, py), (px + pw, py + ph), (40, 30, 20), -1)
    for _ in range(6):
        cv2.circle(img, (px + int(rng.uniform(0, pw)), py + int(rng.uniform(0, ph))), int(0.02 * h),
                   rng.uniform(0, 255, 3).tolist(), -1)
    sx = dx1 + 2 * trim if left else dx0 - 2 * trim - int(0.06 * w)
    cv2.rectangle(img, (sx, int(0.35 * h)), (sx + int(0.06 * w), int(0.40 * h)), (245, 245, 245), -1)
    cv2.rectangle(img, (sx + 3, int(0.36 * h)), (sx + int(0.05 * w), int(0.37 * h)), (200, 30, 30), -1)
    cv2.rectangle(img, (sx, int(0.55 * h)), (sx + int(0.03 * w), int(0.66 * h)), (200, 20, 25), -1)
    # furniture at the sides, standing on the floor
    for x0 in (0, int(0.86 * w)):
        fh = int(h * rng.uniform(0.12, 0.25))
        cv2.rectangle(img, (x0, horizon + int(0.04 * h) - fh), (x0 + int(0.14 * w), horizon + int(0.04 * h)),
                      rng.uniform(30, 160, 3).tolist(), -1)
    # a coat stand with a coat, or a tall plant, about a person's size, on the door's other side
    ox = int(0.85 * w) if left else int(0.15 * w)
    if rng.random() < 0.5:
        cv2.line(img, (ox, top), (ox, horizon + int(0.03 * h)), (50, 35, 25), max(2, w // 150))
        cv2.line(img, (ox - int(0.05 * w), horizon + int(0.03 * h)), (ox + int(0.05 * w), horizon + int(0.03 * h)),
                 (50, 35, 25), max(2, w // 150))
        cv2.ellipse(img, (ox, top + int(0.2 * h)), (int(0.05 * w), int(0.16 * h)), 0, 0, 360,
                    rng.uniform(20, 160, 3).tolist(), -1)
    else:
        cv2.rectangle(img, (ox - int(0.04 * w), horizon - int(0.08 * h)), (ox + int(0.04 * w), horizon + int(0.02 * h)),
                      (150, 80, 50), -1)
        for _ in range(25):
            cv2.ellipse(img, (ox + int(rng.normal(0, 0.04 * w)), horizon - int(rng.uniform(0.1, 0.55) * h)),
                        (int(0.03 * w), int(0.012 * h)), float(rng.uniform(0, 180)), 0, 360,
                        (float(rng.uniform(20, 60)), float(rng.uniform(90, 150)), float(rng.uniform(20, 60))), -1)
    img += cv2.GaussianBlur(rng.normal(0, 6, (h, w)).astype(np.float32), (0, 0), 1.5)[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def dress(vertices: np.ndarray, joints: dict, skin, top, leggings, sandals: bool) -> np.ndarray:
    """(V, 3) float RGB per vertex: a top over the torso (and upper arms when it has sleeves), leggings
    from the waist to the ankles, skin elsewhere, dark soles when ``sandals``.

    The arms are the vertices nearer an arm's bones than the body's axis (root to neck) less the
    torso's half-width; the legs those nearer a leg's bones than an arm's.
    """
    j = {k: np.asarray(v, float) for k, v in joints.items()}
    v = np.asarray(vertices, float)
    out = np.tile(np.asarray(skin, float), (len(v), 1))
    axis = _distance_to_polyline(v, [j["root"], j["neck"]]) - 0.12
    arm = np.minimum(_distance_to_polyline(v, [j["shoulder_l"], j["elbow_l"], j["wrist_l"]]),
                     _distance_to_polyline(v, [j["shoulder_r"], j["elbow_r"], j["wrist_r"]]))
    leg = np.minimum(_distance_to_polyline(v, [j["hip_l"], j["knee_l"], j["ankle_l"]]),
                     _distance_to_polyline(v, [j["hip_r"], j["knee_r"], j["ankle_r"]]))
    y = v[:, 1]
    hip_y = 0.5 * (j["hip_l"][1] + j["hip_r"][1])
    shoulder_y = 0.5 * (j["shoulder_l"][1] + j["shoulder_r"][1])
    ankle_y = 0.5 * (j["ankle_l"][1] + j["ankle_r"][1])
    is_arm = arm < axis
    upper_arm = is_arm & (y > shoulder_y - 0.12)
    torso = ~is_arm & (y > hip_y + 0.06) & (y < shoulder_y + 0.02)
    out[torso | upper_arm] = top
    legs = ~is_arm & (leg < arm) & (y > ankle_y + 0.03) & (y <= hip_y + 0.08)
    out[legs] = leggings
    if sandals:
        out[(y < 0.015) & ~is_arm] = (0.15, 0.10, 0.07)
    return out


def held_arms(rng: np.random.Generator, vertices: np.ndarray, joints: dict,
              degrees: tuple[float, float] = (30.0, 90.0)) -> tuple[np.ndarray, float]:
    """The body with its arms turned to a random angle within ``degrees`` from hanging down; (vertices, angle)."""
    angle = float(rng.uniform(*degrees))
    return turn_arms(vertices, joints, angle - A_POSE_ARM_DEG), angle
