"""Person segmentation: against a background plate, or without one (GrabCut from the frame's border).

Both return the person's silhouette at the photo's full size. The plate method needs a photo of
the same scene without the person (taken from the same place, same zoom). The plate-free method
needs no model file: OpenCV's GrabCut learns colour models of the background from the frame's
border and of the person from the middle, twice (coarse, then a band around the outline at a
finer scale). It assumes the person stands clear of the frame's border, as the checks require.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from . import constants as C
from .errors import PhotoError


@dataclass(frozen=True)
class Segmentation:
    """The person in a photo.

    Attributes
    ----------
    mask : (H, W) bool; the largest person-sized component, small holes filled
    people : int; person-sized foreground components (0: nobody, 2+: several people)
    foreground : (H, W) bool; every foreground pixel found, before choosing the person
    method : "plate" or "grabcut"
    """

    mask: np.ndarray
    people: int
    foreground: np.ndarray
    method: str


def _resize_to_height(image: np.ndarray, height: int) -> tuple[np.ndarray, float]:
    if image.shape[0] <= height:
        return image, 1.0
    s = height / image.shape[0]
    size = (max(1, int(round(image.shape[1] * s))), height)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), s


def _upsample_mask(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    if mask.shape == shape:
        return mask.astype(bool)
    soft = cv2.resize(mask.astype(np.float32), (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return soft >= 0.5


def _kernel(height: int, fraction: float = C.MORPH_FRACTION) -> np.ndarray:
    k = max(3, int(round(fraction * height)) | 1)
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))


def _clean(mask: np.ndarray, open_fraction: float = C.MORPH_FRACTION) -> np.ndarray:
    m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, _kernel(mask.shape[0], open_fraction))
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, _kernel(mask.shape[0]))
    return m.astype(bool)


def _fill_small_holes(mask: np.ndarray, max_fraction: float = 0.002) -> np.ndarray:
    inv = (~mask).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inv, connectivity=4)
    out = mask.copy()
    limit = max_fraction * mask.size
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        touches = x == 0 or y == 0 or x + w == mask.shape[1] or y + h == mask.shape[0]
        if not touches and area < limit:
            out[labels == i] = True
    return out


def split_people(foreground: np.ndarray) -> tuple[np.ndarray, int]:
    """The tallest component and the number of person-sized components.

    Returns
    -------
    mask : (H, W) bool; empty when nothing is large enough
    people : int
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(foreground.astype(np.uint8), connectivity=8)
    if n <= 1:
        return np.zeros_like(foreground, bool), 0
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
    areas = stats[1:, cv2.CC_STAT_AREA].astype(float)
    big = areas >= C.PERSON_MIN_AREA_FRACTION * foreground.size
    if not big.any():
        return np.zeros_like(foreground, bool), 0
    tallest = np.argmax(np.where(big, heights, -1))
    people = int(np.sum(big & (heights >= C.PERSON_MIN_HEIGHT_FRACTION * heights[tallest])))
    return _fill_small_holes(labels == tallest + 1), people


def _lab(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)


def plate_difference(image: np.ndarray, plate: np.ndarray) -> np.ndarray:
    """Colour distance (Lab units) between a photo and its background plate, after matching exposure.

    Parameters
    ----------
    image, plate : (H, W, 3) uint8 RGB, same size

    Returns
    -------
    (H, W) float32
    """
    k = C.PLATE_BLUR_PX
    a = _lab(cv2.GaussianBlur(image, (k, k), 0))
    b = _lab(cv2.GaussianBlur(plate, (k, k), 0))
    # Auto-exposure and white balance drift between the two shots: match the plate's channel
    # medians to the photo's over the pixels that are most likely background.
    d0 = np.linalg.norm(a - b, axis=2)
    bg = d0 <= np.percentile(d0, 50)
    b = b + (np.median(a[bg], axis=0) - np.median(b[bg], axis=0))
    diff = a - b
    # Shadows darken the plate without changing its hue: count lightness loss at a third.
    light = np.where(diff[..., 0] < 0, diff[..., 0] / 3.0, diff[..., 0])
    return np.sqrt(light ** 2 + diff[..., 1] ** 2 + diff[..., 2] ** 2)


def segment_against_plate(image: np.ndarray, plate: np.ndarray) -> Segmentation:
    """The person as the part of the photo that differs from the background plate.

    Parameters
    ----------
    image, plate : (H, W, 3) uint8 RGB; the plate is the same scene without the person

    Returns
    -------
    Segmentation at the photo's size
    """
    if plate.shape != image.shape:
        plate = cv2.resize(plate, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_AREA)
    small, _ = _resize_to_height(image, C.WORK_HEIGHT_PX)
    small_plate, _ = _resize_to_height(plate, C.WORK_HEIGHT_PX)
    dist = plate_difference(small, small_plate)
    median = float(np.median(dist))
    mad = float(np.median(np.abs(dist - median))) * 1.4826
    threshold = max(C.PLATE_MIN_DISTANCE, median + C.PLATE_NOISE_FACTOR * mad)
    fg = _clean(dist > threshold)
    mask, people = split_people(fg)
    return Segmentation(_upsample_mask(mask, image.shape[:2]), people, _upsample_mask(fg, image.shape[:2]), "plate")


def _grabcut(image: np.ndarray, labels: np.ndarray, iterations: int) -> np.ndarray:
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    labels = labels.copy()
    cv2.grabCut(image, labels, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    return (labels == cv2.GC_FGD) | (labels == cv2.GC_PR_FGD)


def segment_without_plate(image: np.ndarray) -> Segmentation:
    """The person without a background plate, by GrabCut seeded from the frame's border.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB; the person clear of the frame's border

    Returns
    -------
    Segmentation at the photo's size
    """
    work, _ = _resize_to_height(image, C.GRABCUT_FINE_HEIGHT_PX)
    coarse, _ = _resize_to_height(work, C.GRABCUT_HEIGHT_PX)
    h, w = coarse.shape[:2]
    # Pass 1: border is background, the rest probably background, a central column probably person.
    labels = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    m = max(2, int(round(C.BORDER_FRACTION * h)))
    inner = labels[m:h - m, m:w - m]
    inner[:] = cv2.GC_PR_FGD
    labels[:m], labels[h - m:], labels[:, :m], labels[:, w - m:] = (cv2.GC_BGD,) * 4
    fg = _clean(_grabcut(coarse, labels, C.GRABCUT_ITERATIONS), C.GRABCUT_OPEN_FRACTION)
    person, _ = split_people(fg)
    if not person.any():
        return Segmentation(np.zeros(image.shape[:2], bool), 0, np.zeros(image.shape[:2], bool), "grabcut")
    # Pass 2: far from the first outline is surely background (a better background model),
    # deep inside it surely person; the band between is decided again.
    near = cv2.dilate(fg.astype(np.uint8), _kernel(h, 0.08)).astype(bool)
    core = cv2.erode(person.astype(np.uint8), _kernel(h, 0.02)).astype(bool)
    labels = np.where(near, np.where(fg, cv2.GC_PR_FGD, cv2.GC_PR_BGD), cv2.GC_BGD).astype(np.uint8)
    labels[core] = cv2.GC_FGD
    labels[:m], labels[h - m:], labels[:, :m], labels[:, w - m:] = (cv2.GC_BGD,) * 4
    fg = _clean(_grabcut(coarse, labels, C.GRABCUT_ITERATIONS), C.GRABCUT_OPEN_FRACTION)
    fg, _ = split_people(fg)
    # Pass 3: a band around the outline at the working scale, cropped to the people.
    fg_work = _upsample_mask(fg, work.shape[:2])
    hw = work.shape[0]
    band = _kernel(hw, C.GRABCUT_BAND_FRACTION)
    inside = cv2.erode(fg_work.astype(np.uint8), band).astype(bool)
    outside = ~cv2.dilate(fg_work.astype(np.uint8), band).astype(bool)
    labels = np.where(fg_work, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    labels[inside] = cv2.GC_FGD
    labels[outside] = cv2.GC_BGD
    ys, xs = np.nonzero(~outside)
    pad = int(0.05 * hw)
    y0, y1 = max(0, ys.min() - pad), min(hw, ys.max() + pad + 1)
    x0, x1 = max(0, xs.min() - pad), min(work.shape[1], xs.max() + pad + 1)
    fine = np.zeros(work.shape[:2], bool)
    fine[y0:y1, x0:x1] = _grabcut(np.ascontiguousarray(work[y0:y1, x0:x1]), labels[y0:y1, x0:x1], 2)
    fine = _clean(fine)
    mask, people = split_people(fine)
    return Segmentation(_upsample_mask(mask, image.shape[:2]), people, _upsample_mask(fine, image.shape[:2]),
                        "grabcut")


def segment_person(image: np.ndarray, background: np.ndarray | None = None) -> Segmentation:
    """The person in a photo, against the background plate when there is one.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    background : (H, W, 3) uint8 RGB or None; the same scene without the person

    Returns
    -------
    Segmentation
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise PhotoError("a photo must be an RGB image (height x width x 3, 8-bit); retake or re-save it")
    if background is not None:
        return segment_against_plate(image, np.asarray(background))
    return segment_without_plate(image)
