"""The learned person models: a person mask and 33 body landmarks per person, run with OpenCV's DNN module.

Two models from the pinned ``mediapipe`` wheel (Apache-2.0; fetched by :mod:`avatar.assets`, never
installed): ``selfie_segmentation.tflite`` (a person-probability map of a whole frame) finds where
people are, and ``pose_landmark_full.tflite`` (run on a square crop around each of them) gives
the 33 landmarks with their visibility, a person score and a finer person mask. Both take a
(1, 3, 256, 256) float RGB input in [0, 1]. The landmark order is MediaPipe Pose's (``LANDMARKS``).

OpenCV's classic engine is used: it exposes every output of the landmark model (the new engine
returns only the person score). A ``cv2.dnn.Net`` is not safe to share between threads, so each
thread loads its own (the live preview and the estimate run in different workers).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

from avatar.assets import POSE_MODEL, SEGMENTATION_MODEL, fetch_photo_models

from . import constants as C

INPUT_PX = 256
LANDMARKS = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)
INDEX = {name: i for i, name in enumerate(LANDMARKS)}
#: Pairs of landmarks drawn as the skeleton of the live preview.
SKELETON = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"), ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"), ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"), ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"), ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("left_ankle", "left_foot_index"), ("right_ankle", "right_foot_index"), ("nose", "left_eye"),
    ("nose", "right_eye"),
)


@dataclass(frozen=True)
class Pose:
    """One person found by the models.

    Attributes
    ----------
    points : (33, 2) float; landmark positions, image pixels (x right, y down), order ``LANDMARKS``
    visibility : (33,) float in [0, 1]; how likely each landmark is visible (not hidden by the body)
    presence : (33,) float in [0, 1]; how likely each landmark is inside the image
    score : float in [0, 1]; how likely the crop shows a person at all
    probability : (H, W) float32 in [0, 1]; the person mask at the image's size (0 outside the crop)
    """

    points: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    score: float
    probability: np.ndarray

    def point(self, name: str) -> np.ndarray:
        """(2,) float: one landmark, image pixels."""
        return self.points[INDEX[name]]

    def visible(self, *names: str) -> float:
        """Mean visibility of the named landmarks."""
        return float(np.mean([self.visibility[INDEX[n]] for n in names]))

    @property
    def mask(self) -> np.ndarray:
        """(H, W) bool: the person."""
        return self.probability > 0.5


_local = threading.local()


def _nets() -> tuple[cv2.dnn.Net, cv2.dnn.Net]:
    """This thread's (segmentation, landmark) networks, loaded on first use (fetching the files once)."""
    nets = getattr(_local, "nets", None)
    if nets is None:
        folder = fetch_photo_models()
        nets = tuple(cv2.dnn.readNetFromTFLite(str(folder / name), engine=cv2.dnn.ENGINE_CLASSIC)
                     for name in (SEGMENTATION_MODEL, POSE_MODEL))
        _local.nets = nets
    return nets


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))


def _square_crop(image: np.ndarray, centre: tuple[float, float], side: float) -> tuple[np.ndarray, np.ndarray]:
    """A ``side``-pixel square of ``image`` around ``centre`` resized to the models' input (black outside).

    Returns
    -------
    crop : (INPUT_PX, INPUT_PX, 3) uint8
    affine : (2, 3) float; image pixels -> crop pixels
    """
    s = INPUT_PX / side
    affine = np.array([[s, 0.0, INPUT_PX / 2 - s * centre[0]], [0.0, s, INPUT_PX / 2 - s * centre[1]]])
    flags = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    crop = cv2.warpAffine(image, affine, (INPUT_PX, INPUT_PX), flags=flags, borderMode=cv2.BORDER_CONSTANT)
    return crop, affine


def _forward(net: cv2.dnn.Net, crop: np.ndarray) -> dict[str, np.ndarray]:
    net.setInput((crop.astype(np.float32) / 255.0).transpose(2, 0, 1)[None])
    names = net.getUnconnectedOutLayersNames()
    return dict(zip(names, net.forward(names)))


def person_probability(image: np.ndarray) -> np.ndarray:
    """Where people are in a whole frame (coarse: the frame is fitted into one 256-pixel square).

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB

    Returns
    -------
    (H, W) float32 in [0, 1]
    """
    h, w = image.shape[:2]
    crop, affine = _square_crop(image, (w / 2, h / 2), max(h, w))
    out = next(iter(_forward(_nets()[0], crop).values()))[0, 0]
    back = cv2.invertAffineTransform(affine)
    return cv2.warpAffine(out.astype(np.float32), back, (w, h), flags=cv2.INTER_LINEAR)


def _box_crop(box: tuple[float, float, float, float]) -> tuple[tuple[float, float], float]:
    x0, y0, x1, y1 = box
    return ((x0 + x1) / 2, (y0 + y1) / 2), C.POSE_CROP_MARGIN * max(x1 - x0, y1 - y0, 1.0)


def pose_in_box(image: np.ndarray, box: tuple[float, float, float, float]) -> Pose:
    """Run the landmark model on a square crop around ``box`` (x0, y0, x1, y1 in pixels).

    Returns
    -------
    Pose (its ``score`` says whether the crop shows a person)
    """
    h, w = image.shape[:2]
    centre, side = _box_crop(box)
    crop, affine = _square_crop(image, centre, side)
    out = _forward(_nets()[1], crop)
    raw = out["Identity"].reshape(-1, 5)[: len(LANDMARKS)]
    back = cv2.invertAffineTransform(affine)
    points = np.c_[raw[:, :2], np.ones(len(raw))] @ back.T
    logits = cv2.warpAffine(out["Identity_2"][0, 0].astype(np.float32), back, (w, h), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=-60.0)
    return Pose(points=points, visibility=_sigmoid(raw[:, 3]), presence=_sigmoid(raw[:, 4]),
                score=float(np.ravel(out["Identity_1"])[0]), probability=_sigmoid(logits).astype(np.float32))


def _mask_box(mask: np.ndarray) -> tuple[float, float, float, float] | None:
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def candidate_boxes(coarse: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, y0, x1, y1) of the person-sized parts of a coarse person map, tallest first.

    The coarse map can break one person into stacked parts (the legs apart from the torso on a
    pale wall), so parts that overlap across are joined first; people side by side stay apart.
    """
    n, _, stats, _ = cv2.connectedComponentsWithStats(coarse.astype(np.uint8), connectivity=8)
    boxes = [[float(x), float(y), float(x + w), float(y + h), float(a)] for x, y, w, h, a in stats[1:]
             if a >= C.PERSON_PART_AREA_FRACTION * coarse.size]
    joined = True
    while joined:
        joined = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                overlap = min(a[2], b[2]) - max(a[0], b[0])
                if overlap > 0.5 * min(a[2] - a[0], b[2] - b[0]):
                    boxes[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]), a[4] + b[4]]
                    del boxes[j]
                    joined = True
                    break
            if joined:
                break
    boxes = [b for b in boxes if b[4] >= C.PERSON_MIN_AREA_FRACTION * coarse.size]
    if not boxes:
        return []
    tallest = max(b[3] - b[1] for b in boxes)
    boxes = [b for b in boxes if b[3] - b[1] >= C.PERSON_MIN_HEIGHT_FRACTION * tallest]
    return [tuple(b[:4]) for b in sorted(boxes, key=lambda b: b[1] - b[3])]


def find_people(image: np.ndarray) -> list[Pose]:
    """Every person in a photo, the tallest first.

    The frame's person map gives candidate regions (:func:`candidate_boxes`); the landmark model
    runs on a crop around each and keeps those it scores as a person, so a door, a sign or a coat
    stand the coarse map half-took for a person does not count. The first person's crop is then
    taken again around its own finer mask (the coarse map's box can be a little off).

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB

    Returns
    -------
    list of Pose
    """
    people: list[Pose] = []
    for box in candidate_boxes(person_probability(image) > 0.5)[: C.MAX_PEOPLE_CHECKED]:
        pose = pose_in_box(image, box)
        if pose.score < C.PERSON_MIN_SCORE:
            continue
        if not people:
            finer = _mask_box(pose.mask)
            if finer is not None:
                again = pose_in_box(image, finer)
                pose = again if again.score >= C.PERSON_MIN_SCORE else pose
        if any((p.mask & pose.mask).sum() > 0.5 * min(p.mask.sum(), pose.mask.sum()) for p in people):
            continue  # the same person seen from two parts of the coarse map
        people.append(pose)
    return people
