"""Person segmentation: the learned mask, the plate difference that refines it, people counted."""

import importlib.util
from pathlib import Path

import cv2
import numpy as np
import pytest

from avatar.estimate.checks import assess_frame
from avatar.estimate.segment import segment_against_plate, split_people

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_estimate.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_estimate", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def iou(a, b):
    return (a & b).sum() / (a | b).sum()


def figure_mask(h, w, cx, scale=1.0):
    """A stick person (head, torso, arms, legs) as a bool mask."""
    m = np.zeros((h, w), np.uint8)
    s = scale * h / 600
    top = int(60 * s)
    cv2.circle(m, (cx, top + int(35 * s)), int(30 * s), 1, -1)
    cv2.rectangle(m, (cx - int(55 * s), top + int(70 * s)), (cx + int(55 * s), top + int(280 * s)), 1, -1)
    for side in (-1, 1):
        cv2.line(m, (cx + side * int(45 * s), top + int(90 * s)), (cx + side * int(150 * s), top + int(250 * s)), 1,
                 int(22 * s))
        cv2.line(m, (cx + side * int(30 * s), top + int(270 * s)), (cx + side * int(45 * s), top + int(480 * s)), 1,
                 int(34 * s))
    return m.astype(bool)


def textured_background(rng, h, w):
    img = np.zeros((h, w, 3), np.float32)
    img[:] = (170, 180, 190)
    for _ in range(40):
        colour = rng.uniform(0, 255, 3).tolist()
        x, y, r = (int(v) for v in rng.uniform([0, 0, 5], [w, h, 60]))
        cv2.circle(img, (x, y), r, colour, -1)
    img += rng.normal(0, 4, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_plate_segmentation_matches_the_drawn_person():
    rng = np.random.default_rng(0)
    h, w = 600, 450
    bg = textured_background(rng, h, w)
    truth = figure_mask(h, w, 225)
    shirt = np.array([200, 60, 60], np.float32) + rng.normal(0, 6, (h, w, 3))
    photo = np.where(truth[..., None], np.clip(shirt, 0, 255), bg).astype(np.uint8)
    photo = np.clip(photo + rng.normal(0, 2, photo.shape), 0, 255).astype(np.uint8)
    plate = np.clip(bg * 1.03 + rng.normal(0, 2, bg.shape), 0, 255).astype(np.uint8)  # exposure drift
    seg = segment_against_plate(photo, plate)
    assert seg.people == 1
    assert iou(seg.mask, truth) > 0.9


def test_two_people_are_counted():
    h, w = 600, 800
    both = figure_mask(h, w, 220) | figure_mask(h, w, 580)
    mask, people = split_people(both)
    assert people == 2
    assert mask.sum() < both.sum()


def test_small_blobs_are_not_people():
    h, w = 600, 450
    m = figure_mask(h, w, 225)
    m[10:14, 10:14] = True
    _, people = split_people(m)
    assert people == 1


@pytest.fixture(scope="module")
def rendered(body_model):
    """A rendered woman over a plain wall and floor, and over clutter (front view)."""
    bench = load_bench()
    from avatar.avatar import reference_avatar
    from avatar.estimate.project import PinholeCamera

    renderer = bench.Renderer()
    avatar = reference_avatar("female")
    cam = PinholeCamera(height_m=1.1, distance_m=3.2, yfov_deg=50, width_px=480, height_px=800)
    h, w = cam.height_px, cam.width_px
    plain = np.zeros((h, w, 3), np.uint8)
    plain[:] = (95, 120, 160)
    plain[int(0.78 * h):] = (90, 90, 90)
    busy = bench.cluttered_background(np.random.default_rng(3), h, w)
    out = {}
    for name, bg in (("plain", plain), ("busy", busy)):
        photo, mask = bench.render_photo(renderer, avatar, cam, 0.0, bg, (0.85, 0.65, 0.55))
        out[name] = (bench.degrade(np.random.default_rng(1), photo, 2.0, 85), mask, bg)
    renderer.close()
    return out


@pytest.mark.body
@pytest.mark.gl
def test_learned_outline_of_a_rendered_person_on_a_plain_wall(rendered):
    photo, truth, _ = rendered["plain"]
    found = assess_frame(photo, "front")
    assert found.ok, found.guidance
    assert found.segmentation.people == 1
    assert iou(found.segmentation.mask, truth) > 0.93


@pytest.mark.body
@pytest.mark.gl
def test_plate_refines_the_outline_on_clutter(rendered):
    photo, truth, bg = rendered["busy"]
    found = assess_frame(photo, "front", bg)
    assert found.ok, found.guidance
    assert iou(found.segmentation.mask, truth) > 0.93


@pytest.mark.body
@pytest.mark.gl
def test_a_busy_background_needs_no_plate(rendered):
    """Colour distance to the frame's border refused clutter; the learned mask does not need a plain wall."""
    photo, truth, _ = rendered["busy"]
    found = assess_frame(photo, "front")
    assert found.ok, found.guidance
    assert found.segmentation.people == 1
    assert iou(found.segmentation.mask, truth) > 0.93
