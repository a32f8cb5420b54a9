"""How far from the kiosk's webcam a profile code shown on a phone screen is read.

    uv run python bench/bench_profile_code.py [--trials 6] [--code-mm 45] [--fov 70]

Nobody holds a phone here, so the picture is simulated: the code (quiet zone included) ``--code-mm``
wide on a phone screen (an emissive screen under room light: black at 35, white at 225), held at
a distance in front of a 1280x720 webcam with ``--fov`` degrees of horizontal field of view
(focal length 640 / tan(fov / 2) pixels), tilted up to 15 degrees either way and rolled up to 20
degrees at random. Each frame is drawn at four times the resolution and averaged down (the sensor's
pixels integrate light), then blurred by the lens (Gaussian, sigma 0.8 px), given sensor noise
(sigma 4 grey levels) and JPEG-compressed at quality 75, as webcams deliver MJPG. Every frame is read by
``avatar.profile_qr.read_profile_code``, the Camera tab's reader; a distance counts as read when
every trial there is read with the right values.

Payloads: four values (the typical code), every value, and every value with its ±.
Target: read at arm's length (0.6 m) for the typical code.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path
import sys

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from avatar.errors import UserError  # noqa: E402
from avatar.measurements import MEASUREMENTS  # noqa: E402
from avatar.portable import PortableProfile  # noqa: E402
from avatar.profile_qr import code_image, make_code, read_profile_code  # noqa: E402

FRAME_W, FRAME_H = 1280, 720
SUPERSAMPLE = 4
SCREEN_BLACK, SCREEN_WHITE = 35, 225
LENS_BLUR_PX = 0.8
NOISE_GREY = 4.0
JPEG_QUALITY = 75
MAX_TILT_DEG, MAX_ROLL_DEG = 15.0, 20.0
ARM_LENGTH_M = 0.6
DISTANCES_M = [round(0.20 + 0.05 * i, 2) for i in range(27)]  # 0.20 .. 1.50 m


def payloads() -> dict[str, PortableProfile]:
    every = {n: round(s.low + 0.4 * (s.high - s.low), 1) for n, s in MEASUREMENTS.items()}
    return {
        "4 values, sex": PortableProfile({"stature": 165.0, "chest_girth": 92.0, "waist_girth": 76.0,
                                          "hip_girth": 101.0}, "female"),
        "every value": PortableProfile(every, "female"),
        "every value with ±": PortableProfile(every, "female", {n: 1.5 for n in every}),
    }


def phone_frame(code: np.ndarray, distance_m: float, code_mm: float, focal_px: float,
                rng: np.random.Generator) -> np.ndarray:
    """A webcam frame (RGB (720, 1280, 3) uint8) of a phone screen showing ``code`` at ``distance_m``."""
    side_px = focal_px * code_mm / 1000 / distance_m * SUPERSAMPLE  # the code's width on the sensor, x4
    grey = code[:, :, 0].astype(np.float32) / 255 * (SCREEN_WHITE - SCREEN_BLACK) + SCREEN_BLACK
    phone = np.full((int(grey.shape[0] * 1.9), int(grey.shape[1] * 1.25)), 20, np.float32)  # bezel and dark UI
    y0, x0 = (phone.shape[0] - grey.shape[0]) // 2, (phone.shape[1] - grey.shape[1]) // 2
    phone[y0:y0 + grey.shape[0], x0:x0 + grey.shape[1]] = grey
    scale = side_px / grey.shape[1]
    phone = cv2.resize(phone, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)  # no aliasing in the warp
    h, w = phone.shape
    corners = np.float32([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    tilt_x, tilt_y = np.radians(rng.uniform(-MAX_TILT_DEG, MAX_TILT_DEG, 2))
    roll = np.radians(rng.uniform(-MAX_ROLL_DEG, MAX_ROLL_DEG))
    depth = focal_px * SUPERSAMPLE  # perspective of the tilt, in supersampled pixels
    projected = []
    for x, y in corners:
        x, z = x * math.cos(tilt_y), x * math.sin(tilt_y)
        y, z = y * math.cos(tilt_x), z + y * math.sin(tilt_x)
        x, y = x * math.cos(roll) - y * math.sin(roll), x * math.sin(roll) + y * math.cos(roll)
        f = depth / (depth + z)
        projected.append((x * f, y * f))
    projected = np.float32(projected)
    pad = 8 * SUPERSAMPLE
    size = np.ceil(projected.max(0) - projected.min(0)).astype(int) + 2 * pad
    size = (size // SUPERSAMPLE + 1) * SUPERSAMPLE
    target = projected - projected.min(0) + pad
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), target)
    room = rng.uniform(90, 170)
    patch = cv2.warpPerspective(phone, matrix, (int(size[0]), int(size[1])), flags=cv2.INTER_LINEAR,
                                borderValue=room)
    patch = cv2.resize(patch, (patch.shape[1] // SUPERSAMPLE, patch.shape[0] // SUPERSAMPLE),
                       interpolation=cv2.INTER_AREA)
    frame = np.full((FRAME_H, FRAME_W), room, np.float32)
    frame += cv2.GaussianBlur(rng.normal(0, 25, (FRAME_H, FRAME_W)).astype(np.float32), (0, 0), 9)  # a room
    ph, pw = min(patch.shape[0], FRAME_H), min(patch.shape[1], FRAME_W)
    top, left = (FRAME_H - ph) // 2, (FRAME_W - pw) // 2
    frame[top:top + ph, left:left + pw] = patch[:ph, :pw]
    frame = cv2.GaussianBlur(frame, (0, 0), LENS_BLUR_PX) + rng.normal(0, NOISE_GREY, frame.shape)
    frame = np.clip(frame, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    grey = cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE)
    return np.repeat(grey[:, :, None], 3, axis=2)


def reads(frame: np.ndarray, profile: PortableProfile) -> bool:
    try:
        got = read_profile_code(frame)
    except UserError:
        return False
    return got is not None and all(abs(got.measurements[n] - v) < 0.051 for n, v in profile.measurements.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=6, help="random poses per distance")
    parser.add_argument("--code-mm", type=float, default=45.0, help="the code's width on the screen, mm")
    parser.add_argument("--fov", type=float, default=70.0, help="the webcam's horizontal field of view, degrees")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    focal_px = FRAME_W / 2 / math.tan(math.radians(args.fov) / 2)
    print(f"code {args.code_mm:g} mm wide (quiet zone included), webcam {FRAME_W}x{FRAME_H}, "
          f"{args.fov:g} deg horizontal field of view (focal {focal_px:.0f} px), {args.trials} poses a distance")
    rows = []
    read_ms, read_cpu_ms = [], []
    for label, profile in payloads().items():
        qr = make_code(profile)
        modules = qr.symbol_size(border=4)[0]
        code = code_image(profile, scale=24)
        rng = np.random.default_rng(args.seed)
        farthest, first_miss, rates = 0.0, None, {}
        for d in DISTANCES_M:
            ok = 0
            for _ in range(args.trials):
                frame = phone_frame(code, d, args.code_mm, focal_px, rng)
                t0, c0 = time.perf_counter(), time.process_time()
                ok += reads(frame, profile)
                read_ms.append(1000 * (time.perf_counter() - t0))
                read_cpu_ms.append(1000 * (time.process_time() - c0))
            rates[d] = ok / args.trials
            if ok == args.trials and first_miss is None:
                farthest = d
            elif ok < args.trials and first_miss is None:
                first_miss = d
            if ok == 0 and rates.get(round(d - 0.05, 2)) == 0:
                break  # two distances in a row with nothing read: farther ones read nothing either
        px_module = focal_px * args.code_mm / 1000 / farthest / modules if farthest else 0
        last_any = max((d for d, r in rates.items() if r > 0), default=0.0)
        rows.append((label, qr.version, qr.symbol_size(border=0)[0], farthest, px_module, last_any))
    print()
    print("| payload | QR version | modules | read every time up to | pixels a module there | read sometimes up to | "
          f"arm's length ({ARM_LENGTH_M} m) |")
    print("|---|---|---|---|---|---|---|")
    for label, version, modules, farthest, px_module, last_any in rows:
        verdict = "yes" if farthest >= ARM_LENGTH_M else "no"
        print(f"| {label} | {version} | {modules}×{modules} | {farthest:.2f} m | {px_module:.1f} | "
              f"{last_any:.2f} m | {verdict} |")
    print(f"\nreading one 1280x720 frame: median {statistics.median(read_ms):.0f} ms, "
          f"p95 {np.percentile(read_ms, 95):.0f} ms; CPU median {statistics.median(read_cpu_ms):.0f} ms, "
          f"p95 {np.percentile(read_cpu_ms, 95):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
