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
from .anatomy import leg_torso_ratio

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

    def skeleton(self) -> dict[str, np.ndarray]:
        """The body's joints in the body model's names (``features.SKELETON_JOINTS``), image pixels;
        "head" is the nose."""
        out = {"head": self.point("nose")}
        for ours, side in (("l", "left"), ("r", "right")):
            for joint in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle"):
                out[f"{joint}_{ours}"] = self.point(f"{side}_{joint}")
        return out

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
    """Where people are in a whole frame (coarse): the segmentation model on squares of the frame's
    short side spread along its long side (two for a portrait or landscape photo), the larger
    probability where they overlap. A whole 3:4 frame fitted into one 256-pixel square left a
    standing person too small to be seen.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB

    Returns
    -------
    (H, W) float32 in [0, 1]
    """
    h, w = image.shape[:2]
    side, long = min(h, w), max(h, w)
    count = int(np.ceil(long / side - 1e-6))
    starts = np.linspace(0, long - side, count) if count > 1 else [0.0]
    out = np.zeros((h, w), np.float32)
    for start in starts:
        centre = (w / 2, start + side / 2) if h >= w else (start + side / 2, h / 2)
        crop, affine = _square_crop(image, centre, side)
        prob = next(iter(_forward(_nets()[0], crop).values()))[0, 0]
        back = cv2.invertAffineTransform(affine)
        out = np.maximum(out, cv2.warpAffine(prob.astype(np.float32), back, (w, h), flags=cv2.INTER_LINEAR))
    return out


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


def _pose_box(pose: Pose) -> tuple[float, float, float, float]:
    """The box around a person's landmarks (extrapolated ones too: the model places the feet even
    outside its crop) and mask, widened by ``POSE_BOX_PAD`` of its height."""
    ys, xs = np.nonzero(pose.mask)
    x0, y0 = pose.points.min(axis=0)
    x1, y1 = pose.points.max(axis=0)
    if len(xs):
        x0, y0, x1, y1 = min(x0, xs.min()), min(y0, ys.min()), max(x1, xs.max() + 1), max(y1, ys.max() + 1)
    pad = C.POSE_BOX_PAD * (y1 - y0)
    return float(x0 - pad), float(y0 - pad), float(x1 + pad), float(y1 + pad)


def _box_iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _track(image: np.ndarray, pose: Pose, box) -> Pose:
    """The landmark model run again on the box its own answer gives, until the box settles
    (MediaPipe's tracking step, at most ``POSE_PASSES`` runs in all)."""
    for _ in range(C.POSE_PASSES - 1):
        new_box = _pose_box(pose)
        if _box_iou(new_box, box) > C.POSE_BOX_SETTLED:
            break
        again = pose_in_box(image, new_box)
        if again.score < C.PERSON_MIN_SCORE:
            break
        pose, box = again, new_box
    return pose


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

    The frame's person map gives candidate regions (:func:`candidate_boxes`; the whole frame when
    none shows a person); the landmark model runs on a crop around each and keeps those it scores
    as a person, so a door, a sign or a coat
    stand the coarse map half-took for a person does not count. The first person's crop is then
    taken again around its own landmarks and mask (:func:`_track`: the coarse map's box can miss the
    legs of a small person in a tall frame). Anyone found beside the first person must stand as a
    person (:func:`_stands_as_person`): a pot plant the model scores 0.98 does not.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB

    Returns
    -------
    list of Pose
    """
    people: list[Pose] = []
    h, w = image.shape[:2]
    boxes = candidate_boxes(person_probability(image) > 0.5)[: C.MAX_PEOPLE_CHECKED]
    for k, box in enumerate(boxes + [(0.0, 0.0, float(w), float(h))]):
        if k == len(boxes) and people:
            break  # the whole frame is tried only when no region showed a person
        pose = pose_in_box(image, box)
        if pose.score < C.PERSON_MIN_SCORE:
            continue
        if not people:
            pose = _track(image, pose, box)
            if leg_torso_ratio(pose.points, INDEX) < C.MIN_LEG_TORSO_RATIO:
                continue  # no standing person's skeleton (a pot plant the model scores 1.00 alone)
        if any((p.mask & pose.mask).sum() > 0.5 * min(p.mask.sum(), pose.mask.sum()) for p in people):
            continue  # the same person seen from two parts of the coarse map
        people.append(pose)
    if len(people) == 1:
        people += _beside(image, people[0])
    return people[:1] + [p for p in people[1:] if _stands_as_person(image, p, people[0])]


def _stands_as_person(image: np.ndarray, pose: Pose, first: Pose) -> bool:
    """Whether someone found beside the first person is a person standing in the room: their skeleton
    has legs longer than ``MIN_LEG_TORSO_RATIO`` torsos, or, read again alone (the photo black beside the
    columns of their own box, the box stretched over the first person's rows), the landmark model still
    scores them a person. A pot plant read as a person has squeezed legs and is no person alone; a
    person read badly from a crop holding someone else is read whole there."""
    if leg_torso_ratio(pose.points, INDEX) >= C.MIN_LEG_TORSO_RATIO:
        return True
    x0, y0, x1, y1 = _pose_box(pose)
    _, top, _, bottom = _pose_box(first)
    alone = np.zeros_like(image)
    c0, c1 = max(0, int(np.floor(x0))), min(image.shape[1], int(np.ceil(x1)))
    alone[:, c0:c1] = image[:, c0:c1]
    return pose_in_box(alone, (x0, min(y0, top), x1, max(y1, bottom))).score >= C.PERSON_MIN_SCORE


def _beside(image: np.ndarray, pose: Pose) -> list[Pose]:
    """People the coarse map missed beside the one found (a second person whose hand touches the first's,
    or squeezed out of a wide frame's coarse map): the landmark model is run on each side of the frame
    beyond the person's own landmarks (fingertips included) that is wider than ``BESIDE_MIN_WIDTH`` of
    their height, and keeps a person it is sure of (``BESIDE_MIN_SCORE``) whose nose lies there."""
    h, w = image.shape[:2]
    xs, ys = pose.points[:, 0], pose.points[:, 1]
    top, bottom = max(float(ys.min()) - 0.1 * (ys.max() - ys.min()), 0.0), min(float(ys.max()), float(h))
    sides = [(x0, x1) for x0, x1 in ((float(xs.max()), float(w)), (0.0, float(xs.min())))
             if x1 - x0 > C.BESIDE_MIN_WIDTH * (ys.max() - ys.min())]
    if not sides:
        return []
    # The crop the model reads is square, so it would see the person found again (an arm held forward
    # read as someone else): they are painted over in the room's colour first.
    side = 2 * C.BESIDE_PAINT_MARGIN_PX + 1
    person = cv2.dilate(pose.mask.astype(np.uint8), np.ones((side, side), np.uint8)).astype(bool)
    hidden = image.copy()
    hidden[person] = np.median(image[~person], axis=0).astype(image.dtype) if (~person).any() else 0
    found = []
    for x0, x1 in sides:
        other = pose_in_box(hidden, (x0, top, x1, bottom))
        ox0, _, ox1, _ = _pose_box(other)
        # someone beside stands beside: the model can read the painted outline itself as a person (side
        # views with the arms hanging, scored 0.94-0.96), their box then centred on the person's
        beside = not float(xs.min()) <= 0.5 * (ox0 + ox1) <= float(xs.max())
        if other.score >= C.BESIDE_MIN_SCORE and x0 <= other.point("nose")[0] <= x1 and beside:
            found.append(other)
    return found


def track(image: np.ndarray, previous: Pose) -> list[Pose]:
    """The person of the previous preview frame found again in this one: one landmark run on the box
    around the previous landmarks (MediaPipe's tracking), :func:`find_people` when that loses them.

    For the live preview (about 60 ms a frame instead of 150-300 ms); it does not look for other
    people, which the photo's own check (:func:`find_people`) does.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    previous : Pose of the previous frame (same size)

    Returns
    -------
    list of Pose (one when tracked)
    """
    if previous.probability.shape != image.shape[:2]:
        return find_people(image)
    pose = pose_in_box(image, _pose_box(previous))
    return [pose] if pose.score >= C.PERSON_MIN_SCORE else find_people(image)
