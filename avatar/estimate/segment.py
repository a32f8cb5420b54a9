"""The person's outline: the learned person mask, refined against a background plate when there is one.

The landmark model's person mask (:mod:`avatar.estimate.models`) is the outline. With a plate (the
same scene without the person, same camera) the outline is moved, within a narrow band around the
learned one, to where the photo differs from the plate (Lab colour distance after matching the
plate's exposure; cast shadows on the floor dropped): the plate's edges are pixel-sharp where the
model's mask is read from a 256-pixel crop. Outside that band the learned mask decides, so a plate
that has moved, or clothes the colour of the wall, cannot take a limb away or add a door.
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
    mask : (H, W) bool; the largest person-sized component, specks filled (gaps between arm and torso kept)
    people : int; person-sized foreground components (0: nobody, 2+: several people)
    foreground : (H, W) bool; every foreground pixel found, before choosing the person
    method : "model" or "model+plate" (or "plate" for the plate difference alone)
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
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))  # pinholes only: keep the gap between the legs
    return m.astype(bool)


def _fill_specks(mask: np.ndarray) -> np.ndarray:
    """Fill the holes of a person's mask that are specks (noise or a fleck of background colour on
    their clothes), keeping the larger ones: the gaps between an arm and the torso where the hand
    touches the hip are background seen through, and filling them widens the waist."""
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return mask
    limit = (C.SPECK_SIZE_FRACTION * (rows[-1] - rows[0] + 1)) ** 2
    inv = (~mask).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(inv, connectivity=4)
    out = mask.copy()
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        touches = x == 0 or y == 0 or x + w == mask.shape[1] or y + h == mask.shape[0]
        if not touches and area <= limit:
            out[labels == i] = True
    return out


def _hysteresis(dist: np.ndarray, low: float, high: float, edge: float | None = None) -> np.ndarray:
    """Cleaned components of ``dist > low`` that contain a pixel with ``dist > high``."""
    weak = _clean(dist > low)
    _, labels = cv2.connectedComponents(weak.astype(np.uint8), connectivity=8)
    seeded = np.unique(labels[(dist > high) & weak])
    mask = np.isin(labels, seeded[seeded > 0])
    return mask if edge is None else _sharpen(dist, mask, edge)


def _sharpen(dist: np.ndarray, mask: np.ndarray, edge: float) -> np.ndarray:
    """Move the outline to the middle of each edge: near the outline a pixel stays in the mask only if
    its distance is a good part of the largest distance around it (the blur spread every edge)."""
    k = 2 * C.PLATE_BLUR_PX + 1
    kernel = np.ones((k, k), np.uint8)
    inner = cv2.erode(mask.astype(np.uint8), kernel).astype(bool)
    local_max = cv2.dilate(dist, kernel)
    return inner | (mask & (dist >= edge * local_max))


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
    return _fill_specks(labels == tallest + 1), people


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


def _shadow_terms(image: np.ndarray, background: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Brightness ratio and chromaticity distance (largest normalised-RGB difference, scaled down
    on pixels darker than ``SHADOW_NOISE_SUM``) of each pixel to its background: (H, W) float32 each."""
    s_img = image.sum(axis=2)
    s_bg = background.sum(axis=2)
    ratio = s_img / np.maximum(s_bg, 1.0)
    chroma = image / np.maximum(s_img, 1.0)[..., None] - background / np.maximum(s_bg, 1.0)[..., None]
    # Sensor and JPEG noise are about constant in RGB, so they move a dark pixel's chromaticity more.
    return ratio, np.abs(chroma).max(axis=2) * np.minimum(1.0, s_img / C.SHADOW_NOISE_SUM)


def drop_floor_shadow(fg: np.ndarray, image: np.ndarray, background: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """The foreground without the cast shadow on the floor around the person's feet.

    `_drop_floor_shadow_once` repeated while it lifts the person's lowest row: the zone is a share
    of the height, and a long shadow first made the person look taller than they are.
    """
    for _ in range(C.SHADOW_PASSES):
        out = _drop_floor_shadow_once(fg, image, background, lab)
        if out is fg:
            break
        fg = out
    return fg


def _drop_floor_shadow_once(fg, image, background, lab):
    """One pass of `drop_floor_shadow` (returns ``fg`` itself when nothing was dropped).

    A contact shadow under the feet differs from the floor enough to join the person's outline
    (two blobs wider than the feet, and a lower lowest point, which scales the whole silhouette).
    In the lowest ``FLOOR_ZONE_FRACTION`` of the person, pixels darker than the background with its chromaticity and unlike
    the legs' own colour are removed and the zone is opened again. The chromaticity tolerance
    shrinks to a share of the legs' own distance from the background, so pale skin on a white
    floor stays the person's; legs as grey as the floor keep their shadow.

    Parameters
    ----------
    fg : (H, W) bool foreground
    image, background : (H, W, 3) float32 RGB (0-255), blurred photo and the background it should show
    lab : (H, W, 3) float32 Lab of the blurred photo

    Returns
    -------
    (H, W) bool
    """
    mask, _ = split_people(fg)
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size < 10:
        return fg
    top, bottom = int(rows[0]), int(rows[-1])
    height = bottom - top + 1
    zone_top = bottom - int(round(C.FLOOR_ZONE_FRACTION * height))
    band = np.zeros_like(mask)
    b0, b1 = C.LEG_COLOUR_BAND
    band[bottom - int(b1 * height):bottom - int(b0 * height)] = True
    band &= mask
    if band.sum() < 10:
        return fg
    ratio, chroma = _shadow_terms(image[zone_top:], background[zone_top:])
    _, leg_chroma = _shadow_terms(image[band][None], background[band][None])
    tol = min(C.SHADOW_CHROMA_TOL, C.SHADOW_LEG_CHROMA_SHARE * float(np.median(leg_chroma)))
    lo, hi = C.SHADOW_RATIO_RANGE
    drop = np.zeros_like(fg)
    drop[zone_top:] = (ratio >= lo) & (ratio <= hi) & (chroma <= tol)
    leg = np.median(lab[band], axis=0)
    drop &= np.linalg.norm(lab - leg, axis=2) > C.SHADOW_LEG_DISTANCE
    drop &= fg
    if not drop.any():
        return fg
    out = fg & ~drop
    # Open the zone again where pixels were dropped (slivers of the shadow's rim), leave the rest as it was.
    zone = out[zone_top:]
    opened = _clean(zone, C.MORPH_FRACTION * fg.shape[0] / zone.shape[0])
    near = cv2.dilate(drop[zone_top:].astype(np.uint8), _kernel(fg.shape[0])).astype(bool)
    out[zone_top:] = zone & (opened | ~near)
    return out


def _matched_plate(blurred: np.ndarray, plate: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """(H, W, 3) float32 RGB: the blurred plate with each channel scaled to the photo's exposure over the
    pixels most likely background (the half with the smallest distance)."""
    k = C.PLATE_BLUR_PX
    b = cv2.GaussianBlur(plate, (k, k), 0).astype(np.float32)
    a = blurred.astype(np.float32)
    bg = dist <= np.percentile(dist, 50)
    gain = np.median(a[bg], axis=0) / np.maximum(np.median(b[bg], axis=0), 1.0)
    return b * gain


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
    low = max(C.PLATE_LOW_DISTANCE, median + C.PLATE_NOISE_FACTOR * mad)
    fg = _hysteresis(dist, low, max(C.PLATE_MIN_DISTANCE, 2.0 * low), edge=C.EDGE_MIDPOINT)
    k = C.PLATE_BLUR_PX
    blur = cv2.GaussianBlur(small, (k, k), 0)
    fg = drop_floor_shadow(fg, blur.astype(np.float32), _matched_plate(blur, small_plate, dist), _lab(blur))
    mask, people = split_people(fg)
    return Segmentation(_upsample_mask(mask, image.shape[:2]), people, _upsample_mask(fg, image.shape[:2]), "plate")


def sharpen_probability(image: np.ndarray, probability: np.ndarray, cell_px: float) -> np.ndarray:
    """The learned person probability moved onto the photo's own edges (a guided filter: K. He, J. Sun, X. Tang, "Guided Image Filtering", ECCV 2010,
    guided by the photo's brightness, over a window of about one model cell).

    The landmark model reads its mask on a 256-pixel crop; upsampled, its edges are a cell wide.
    Locally the filter fits the probability as a linear function of brightness, so where the person
    and the background differ in brightness the edge follows the photo's (on rendered home scenes:
    intersection over union 0.94-0.97 before, 0.95-0.98 after); where they do not, it stays as it was.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    probability : (H, W) float in [0, 1]
    cell_px : the model's cell size in pixels (the window's radius)

    Returns
    -------
    (H, W) float32
    """
    guide = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255.0
    p = probability.astype(np.float32)
    size = (2 * max(1, int(round(cell_px))) + 1,) * 2

    def mean(x):
        return cv2.boxFilter(x, -1, size)

    m_i, m_p = mean(guide), mean(p)
    a = (mean(guide * p) - m_i * m_p) / (mean(guide * guide) - m_i * m_i + C.GUIDED_FILTER_EPS)
    b = m_p - a * m_i
    return mean(a) * guide + mean(b)


def person_outline(image: np.ndarray, probability: np.ndarray, plate: np.ndarray | None = None,
                   cell_px: float = 4.0) -> np.ndarray:
    """The person's mask from the learned probability, refined against the plate near its outline.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    probability : (H, W) float in [0, 1]; the landmark model's person mask at the image's size
    plate : (H, W, 3) uint8 RGB or None
    cell_px : the landmark model's cell size, pixels: the sharpening window's radius, and twice the
        half-width of the band around the outline the plate may move (``PLATE_BAND_CELLS``)

    Returns
    -------
    (H, W) bool; the largest component, specks filled
    """
    learned = sharpen_probability(image, probability, cell_px) > 0.5
    if plate is not None:
        k = np.ones((2 * int(round(C.PLATE_BAND_CELLS * cell_px)) + 1,) * 2, np.uint8)
        m = learned.astype(np.uint8)
        band = cv2.dilate(m, k).astype(bool) & ~cv2.erode(m, k).astype(bool)
        differs = segment_against_plate(image, plate).foreground
        learned = np.where(band, differs, learned)
    mask, _ = split_people(learned)
    return mask


def segment_person(image: np.ndarray, probability: np.ndarray, people: int,
                   background: np.ndarray | None = None) -> Segmentation:
    """The person in a photo, from the learned mask (see :func:`person_outline`).

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    probability : (H, W) float; the first person's mask probability (``models.Pose.probability``)
    people : int; people the models found
    background : (H, W, 3) uint8 RGB or None; the same scene without the person

    Returns
    -------
    Segmentation
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise PhotoError("a photo must be an RGB image (height x width x 3, 8-bit); retake or re-save it")
    if background is not None and np.asarray(background).shape[:2] != image.shape[:2]:
        background = cv2.resize(np.asarray(background), (image.shape[1], image.shape[0]), interpolation=cv2.INTER_AREA)
    cell = C.POSE_CROP_MARGIN * _person_extent(probability) / 256.0
    mask = person_outline(image, probability, background, cell)
    return Segmentation(mask, people, probability > 0.5, "model" if background is None else "model+plate")


def _person_extent(probability: np.ndarray) -> float:
    """The larger side of the person's box, pixels (the landmark model's crop is this times its margin)."""
    ys, xs = np.nonzero(probability > 0.5)
    return float(max(np.ptp(ys), np.ptp(xs))) if len(xs) else 0.0
