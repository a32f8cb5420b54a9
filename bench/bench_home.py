"""The ``--home`` mode of ``bench_estimate.py``: errors, refusals of usable photos, unusable photos refused."""

from __future__ import annotations

import dataclasses
import sys
import time
from types import SimpleNamespace

import cv2
import numpy as np

from estimate_scoring import score_estimate
from home_scenes import A_POSE_ARM_DEG, CLOTHES, SKIN_COLOURS, dress, held_arms, home_background

from avatar.estimate.constants import SIDE_ARMS_DOWN_DEG
from avatar.estimate.features import SKELETON_JOINTS
from avatar.estimate.project import rotate_y, turned_joints
from avatar.pose import hang_arms


def unusable(case: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Photo pairs that must be refused, made from one usable pair: name -> (front, side)."""
    front, side, plate = case["front"], case["side"], case["plate"]
    rows = np.flatnonzero(case["front_mask"].any(axis=1))
    h, w = front.shape[:2]
    small = np.array(plate, copy=True)
    tiny = front[::4, ::4]
    y0, x0 = h - tiny.shape[0] - h // 20, (w - tiny.shape[1]) // 2
    small[y0: y0 + tiny.shape[0], x0: x0 + tiny.shape[1]] = tiny
    return {
        "nobody": (plate, side),
        "two people": (np.concatenate([front, front], axis=1), side),
        "head cut off": (front[rows[0] + (rows[-1] - rows[0]) // 10:], side),
        "feet cut off": (front[: rows[-1] - (rows[-1] - rows[0]) // 8], side),
        "too dark": ((front * 0.08).astype(np.uint8), side),
        "too far": (small, side),
        "front as side": (front, front),
    }


def home_case(rng: np.random.Generator, i: int, avatar, arm_range: tuple[float, float], *, make_photo, renderer,
              degrade, camera, side_arms: str = "down") -> dict:
    """One body photographed at home: its front and side photos and the room's plate, degraded (noise,
    JPEG), with the exact silhouettes ("front_mask", "side_mask"), the front photo's projected joints
    ("skeleton", name -> (2,) pixels) and the arms' angle ("arm_angle", degrees from hanging down). The side
    photo's arms hang at the sides (``side_arms`` "down") or are held as in the front photo ("same")."""
    h = int(rng.choice([960, 1280]))
    w = int(h * rng.choice([0.5625, 0.75]))
    bg = home_background(rng, h, w)
    top, leggings = rng.choice(len(CLOTHES), 2, replace=False)
    colours = dress(avatar.vertices, avatar.joints, SKIN_COLOURS[i % len(SKIN_COLOURS)], CLOTHES[top],
                    CLOTHES[leggings], sandals=bool(rng.random() < 0.5))
    vertices, angle = held_arms(rng, avatar.vertices, avatar.joints, arm_range)
    body = SimpleNamespace(vertices=vertices, faces=avatar.faces, stature_m=avatar.stature_m)
    noise, quality = rng.uniform(1.0, 5.0), int(rng.uniform(70, 95))
    margin = int(0.02 * w)
    for _ in range(20):  # the shopper tries camera set-ups until the arms are in the frame
        cam = camera(rng, avatar.stature_m, h, w)
        yaw = rng.normal(0, 3)
        front, fmask = make_photo(renderer, body, cam, yaw, bg, colours=colours)
        if not (fmask[:, :margin].any() or fmask[:, w - margin:].any()):
            break
    while fmask[:, :margin].any() or fmask[:, w - margin:].any():  # then steps back (a T-pose in a tall frame)
        cam = dataclasses.replace(cam, distance_m=cam.distance_m * 1.1)
        front, fmask = make_photo(renderer, body, cam, yaw, bg, colours=colours)
    side_body = body
    if side_arms == "down":  # the arms hang at the sides, as the side photo's guidance asks
        hanging = hang_arms(avatar, rng.uniform(*SIDE_ARMS_DOWN_DEG)).vertices
        side_body = SimpleNamespace(vertices=hanging, faces=avatar.faces, stature_m=avatar.stature_m)
    side, smask = make_photo(renderer, side_body, cam, rng.choice([-90.0, 90.0]) + rng.normal(0, 4), bg,
                             colours=colours)
    joints = turned_joints(avatar.joints, angle - A_POSE_ARM_DEG)
    names = list(SKELETON_JOINTS)
    skeleton = dict(zip(names, cam.project(rotate_y(np.array([joints[n] for n in names]), yaw))))
    return {"front": degrade(rng, front, noise, quality), "side": degrade(rng, side, noise, quality),
            "plate": degrade(rng, bg, noise, quality, gain=rng.uniform(0.95, 1.05)), "front_mask": fmask,
            "side_mask": smask, "skeleton": skeleton, "arm_angle": angle}


def run_home(args, bodies, *, make_photo, renderer, degrade, camera) -> int:
    from avatar.errors import UserError
    from avatar.estimate import assess_frame, estimate_measurements

    rng = np.random.default_rng(args.seed + 500)
    errors = {"plate": {}, "no plate": {}}
    inside = {"plate": {}, "no plate": {}}
    refused = {"plate": 0, "no plate": 0}
    bad_refused: dict[str, list[bool]] = {}
    times, preview = [], []
    for i, (avatar, truth) in enumerate(bodies(args.bodies, args.seed)):
        case = home_case(rng, i, avatar, tuple(args.arm_range), make_photo=make_photo, renderer=renderer,
                         degrade=degrade, camera=camera, side_arms=args.side_arms)
        angle, h, w = case["arm_angle"], *case["front"].shape[:2]
        for mode in errors:
            refusal = score_estimate(case, truth, mode, errors, inside, times, skip=("stature",))
            if refusal is not None:
                refused[mode] += 1
                print(f"body {i} ({mode}, arms {angle:.0f} deg): refused: {refusal}", file=sys.stderr)
        frame = cv2.resize(case["front"], (480, 640) if h > w else (640, 480), interpolation=cv2.INTER_AREA)
        for _ in range(3):
            t = time.perf_counter()
            assess_frame(frame, "front")
            preview.append(time.perf_counter() - t)
        for name, (f, s) in unusable(case).items():
            try:
                estimate_measurements(f, s, truth["stature"])
                bad_refused.setdefault(name, []).append(False)
                print(f"body {i}: unusable '{name}' accepted", file=sys.stderr)
            except UserError:
                bad_refused.setdefault(name, []).append(True)
        print(f"body {i + 1}/{args.bodies} done (arms {angle:.0f} deg)", file=sys.stderr)
    renderer.close()
    print(f"\nHome scenes: {args.bodies} bodies dressed (top + leggings), arms {args.arm_range[0]:g}-"
          f"{args.arm_range[1]:g} deg (side photo: {args.side_arms}), noise + JPEG. "
          "Errors in cm (body_mass kg) over the accepted pairs")
    print(f"{'measurement':<20} {'MAE plate':>10} {'P95 plate':>10} {'MAE no plate':>13} {'P95 no plate':>13} "
          f"{'within +-u':>11}")
    for name in sorted({n for e in errors.values() for n in e}):
        row = f"{name:<20}"
        for mode, width in (("plate", 10), ("no plate", 13)):
            e = np.array(errors[mode].get(name, [np.nan]))
            row += f" {np.mean(e):>{width}.2f} {np.percentile(e, 95):>{width}.2f}"
        within = [v for mode in inside for v in inside[mode].get(name, [])]
        row += f" {np.mean(within):>11.0%}"
        print(row)
    print(f"usable pairs refused: plate {refused['plate']}/{args.bodies}, no plate {refused['no plate']}/{args.bodies}; "
          f"time per estimate {np.mean(times):.2f} s (median {np.median(times):.2f} s)")
    print("unusable photos refused: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in bad_refused.items()))
    print(f"live preview check (640x480 frame, models and checks): median {1000 * np.median(preview):.0f} ms, "
          f"p95 {1000 * np.percentile(preview, 95):.0f} ms")
    return 0
