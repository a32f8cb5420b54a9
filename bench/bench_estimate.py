"""Accuracy of the photo estimate on rendered photos of bodies with known measurements.

    uv run python bench/bench_estimate.py [--bodies 24] [--seed 11] [--shadows 0.5] [--arm-turn 15]
    uv run python bench/bench_estimate.py --home [--bodies 20] [--arm-range 30 90]

Each body is the avatar fitted to a measurement record drawn from the survey statistics (adult
men and women, thin to heavy, short to tall), measured with the project's tape, then rendered with pyrender through a pinhole
camera (random height 0.8-1.5 m aimed at the body's middle, distance for 55-85 % frame fill, field of view 40-65 deg,
image 600-1400 px tall) in front of a plain or a cluttered background, with Gaussian noise and
JPEG compression: a front view (A-pose) and a side view. The estimate runs with a background
plate (the same background, re-noised and with an exposure shift) and without one, on every body. The table gives
per measurement the mean absolute error and the 95th percentile in cm (body_mass in kg), and the
share of estimates (both modes) whose error is within the uncertainty they were given.
``--shadows S`` darkens the floor under the feet of both photos by up to S (soft contact shadows,
as real floors show; the plate has none); the bodies and cameras stay the same. ``--arm-turn D``
turns each body's arms about the shoulders by a random angle within +-D degrees (shoppers hold the
A-pose at their own angle; the body model's rest pose is one of them); again the bodies and cameras
stay the same.

``--home`` photographs the bodies in rooms like a shopper's (``home_scenes``: a door in its frame,
a picture, a sign, furniture, a coat stand or a plant, a patterned or dark floor), dressed in a top
and leggings unlike their skin (six skin tones), bare feet or sandals, arms held at 30-90 deg.
Besides the errors it counts the usable photo pairs refused, and gives each body unusable photos
(nobody, two people, head or feet cut off, too dark, too far, a front photo as the side one) that
must all be refused.
"""

from __future__ import annotations

import argparse
import os
import sys
from types import SimpleNamespace
from pathlib import Path

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from avatar.estimate.project import PinholeCamera, rotate_y, turn_arms  # noqa: E402

SKIN_COLOURS = [(0.92, 0.76, 0.65), (0.80, 0.60, 0.47), (0.62, 0.43, 0.30), (0.42, 0.28, 0.19), (0.95, 0.85, 0.78)]


# ------------------------------------------------------------------------------------ backgrounds
def plain_background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A wall with a soft vertical gradient and a floor: (h, w, 3) uint8 RGB."""
    wall = rng.uniform(90, 235, 3)
    floor = rng.uniform(60, 200, 3)
    img = np.empty((h, w, 3), np.float32)
    grad = np.linspace(1.06, 0.94, h)[:, None, None]
    img[:] = wall * grad
    horizon = int(h * rng.uniform(0.7, 0.85))
    img[horizon:] = floor
    return np.clip(img, 0, 255).astype(np.uint8)


def cluttered_background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A room-like clutter of coloured shapes, stripes and texture: (h, w, 3) uint8 RGB."""
    img = plain_background(rng, h, w).astype(np.float32)
    for _ in range(int(rng.integers(15, 35))):
        colour = rng.uniform(0, 255, 3).tolist()
        kind = rng.integers(0, 3)
        x, y = int(rng.uniform(0, w)), int(rng.uniform(0, h))
        s = int(rng.uniform(0.03, 0.25) * h)
        if kind == 0:
            cv2.rectangle(img, (x, y), (x + s, y + int(s * rng.uniform(0.3, 2))), colour, -1)
        elif kind == 1:
            cv2.circle(img, (x, y), s // 2, colour, -1)
        else:
            cv2.line(img, (x, y), (x + s, y + int(rng.uniform(-s, s))), colour, int(rng.integers(2, 12)))
    texture = cv2.GaussianBlur(rng.normal(0, 18, (h, w, 1)).astype(np.float32), (0, 0), 2.0)[..., None]
    img += texture
    return np.clip(img, 0, 255).astype(np.uint8)


def degrade(rng: np.random.Generator, rgb: np.ndarray, noise: float, quality: int, gain: float = 1.0) -> np.ndarray:
    """Sensor noise, exposure gain and JPEG compression, in memory."""
    img = rgb.astype(np.float32) * gain + rng.normal(0, noise, rgb.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


# -------------------------------------------------------------------------------------- rendering
class Renderer:
    """pyrender offscreen renderer of an avatar through a PinholeCamera (RGB and a coverage mask)."""

    def __init__(self):
        self._renderers = {}

    def render(self, vertices, faces, camera: PinholeCamera, skin=(0.85, 0.65, 0.55), colours=None):
        """``colours``: (V, 3) float RGB in [0, 1] per vertex (clothes), else the whole body in ``skin``."""
        import pyrender
        import trimesh

        key = (camera.width_px, camera.height_px)
        if key not in self._renderers:
            self._renderers[key] = pyrender.OffscreenRenderer(*key)
        scene = pyrender.Scene(bg_color=[0, 0, 0, 0], ambient_light=[0.3, 0.3, 0.3])
        mesh = trimesh.Trimesh(vertices, faces, process=False)
        if colours is None:
            material = pyrender.MetallicRoughnessMaterial(baseColorFactor=[*skin, 1.0], metallicFactor=0.0,
                                                          roughnessFactor=0.8)
            scene.add(pyrender.Mesh.from_trimesh(mesh, material=material, smooth=True))
        else:
            material = pyrender.MetallicRoughnessMaterial(baseColorFactor=[1.0, 1.0, 1.0, 1.0], metallicFactor=0.0,
                                                          roughnessFactor=0.8)
            colour_0 = np.c_[np.asarray(colours, np.float32), np.ones(len(vertices), np.float32)]
            primitive = pyrender.Primitive(positions=mesh.vertices, normals=mesh.vertex_normals, indices=mesh.faces,
                                           color_0=colour_0, material=material)
            scene.add(pyrender.Mesh([primitive]))
        aspect = camera.width_px / camera.height_px
        pose = camera.pose()
        scene.add(pyrender.PerspectiveCamera(yfov=np.radians(camera.yfov_deg), aspectRatio=aspect), pose=pose)
        light = pose.copy()
        light[:3, 3] += [0.8, 0.8, 0.0]
        scene.add(pyrender.DirectionalLight(intensity=3.0), pose=light)
        colour, _ = self._renderers[key].render(scene, flags=pyrender.RenderFlags.RGBA)
        return colour[..., :3], colour[..., 3] > 127

    def close(self):
        for r in self._renderers.values():
            try:
                r.delete()
            except Exception:  # noqa: BLE001 - EGL may already be torn down at exit
                pass
        self._renderers.clear()


def contact_shadow(background: np.ndarray, camera: PinholeCamera, vertices: np.ndarray,
                   strength: float = 0.45) -> np.ndarray:
    """The background with a soft contact shadow on the floor under the feet.

    The footprint (vertices less than 5 cm above the floor, dropped onto it) is drawn through the
    camera, widened and blurred by a few centimetres, and darkens the floor by up to ``strength``
    (neutral: the floor's colour keeps its chromaticity, as under real light).

    Parameters
    ----------
    background : (H, W, 3) uint8 RGB
    camera : PinholeCamera of the photo
    vertices : (V, 3) the body as posed in the photo, metres, feet on y = 0
    strength : darkening at the shadow's core, 0-1

    Returns
    -------
    (H, W, 3) uint8 RGB
    """
    h, w = background.shape[:2]
    feet = vertices[vertices[:, 1] < 0.05].copy()
    feet[:, 1] = 0.0
    px_per_m = camera.focal_px / camera.distance_m
    density = np.zeros((h, w), np.float32)
    radius = max(1, int(round(0.03 * px_per_m)))
    for x, y in camera.project(feet)[:: max(1, len(feet) // 400)]:
        cv2.circle(density, (int(round(x)), int(round(y))), radius, 1.0, -1)
    density = cv2.GaussianBlur(density, (0, 0), max(1.0, 0.035 * px_per_m))
    density = np.clip(density / max(float(density.max()), 1e-6) * 1.3, 0.0, 1.0)
    out = background.astype(np.float32) * (1.0 - strength * density)[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def render_photo(renderer: Renderer, avatar, camera: PinholeCamera, yaw_deg: float, background: np.ndarray,
                 skin=(0.85, 0.65, 0.55), shadow: float = 0.0, colours=None):
    """A photo of an avatar in front of a background.

    ``shadow`` > 0 darkens the floor under the feet by up to that fraction (`contact_shadow`);
    ``colours`` (V, 3) dresses the body (see ``bench_home.dress``).

    Returns
    -------
    rgb : (H, W, 3) uint8; the clean composite (degrade it separately)
    mask : (H, W) bool; the person's true silhouette
    """
    vertices = rotate_y(avatar.vertices, yaw_deg)
    colour, mask = renderer.render(vertices, avatar.faces, camera, skin, colours)
    if shadow > 0:
        background = contact_shadow(background, camera, vertices, shadow)
    out = np.where(mask[..., None], colour, background)
    return out.astype(np.uint8), mask


def photo_camera(rng: np.random.Generator, stature_m: float, h: int, w: int) -> PinholeCamera:
    fov = rng.uniform(40.0, 65.0)
    fill = rng.uniform(0.55, 0.85)
    distance = stature_m / (fill * 2 * np.tan(np.radians(fov) / 2)) + 0.15
    # the shopper points the camera at their middle (a level camera at mid height, or tilted)
    cam_h = rng.uniform(0.8, 1.5)
    aim = stature_m / 2 + rng.uniform(-0.08, 0.08)
    return PinholeCamera(height_m=cam_h, distance_m=distance, yfov_deg=fov, width_px=w, height_px=h,
                         aim_height_m=aim)


def make_case(rng: np.random.Generator, renderer: Renderer, avatar, *, cluttered: bool, shadow: float = 0.0):
    """Front photo, side photo and background plate of one body, one camera set-up.

    ``shadow`` > 0 adds a contact shadow under the feet of both photos (not to the plate).

    Returns dict with front, side, plate (RGB uint8) and front_mask, side_mask (bool).
    """
    h = int(rng.choice([720, 960, 1280]))
    w = int(h * rng.choice([0.5625, 0.75])) if rng.random() < 0.75 else int(h * 16 / 9)
    bg = cluttered_background(rng, h, w) if cluttered else plain_background(rng, h, w)
    skin = SKIN_COLOURS[int(rng.integers(len(SKIN_COLOURS)))]
    noise, quality = rng.uniform(1.0, 5.0), int(rng.uniform(70, 95))
    for _ in range(20):  # the shopper steps back until the arms are in the frame
        camera = photo_camera(rng, avatar.stature_m, h, w)
        front, fmask = render_photo(renderer, avatar, camera, rng.normal(0, 3), bg, skin, shadow)
        margin = int(0.02 * w)
        if not (fmask[:, :margin].any() or fmask[:, w - margin:].any()):
            break
    side, smask = render_photo(renderer, avatar, camera, rng.choice([-90.0, 90.0]) + rng.normal(0, 4), bg, skin,
                               shadow)
    return {
        "front": degrade(rng, front, noise, quality), "side": degrade(rng, side, noise, quality),
        "plate": degrade(rng, bg, noise, quality, gain=rng.uniform(0.95, 1.05)),
        "front_mask": fmask, "side_mask": smask,
    }


# ------------------------------------------------------------------------------------------ bench
def bench_bodies(n: int, seed: int):
    """Bodies with known measurements: avatars fitted to records drawn from the survey statistics
    (men and women alternately), measured with the project's tape."""
    from avatar.body_model import load_body_model
    from avatar.estimate.calibrate import realistic_body, reference_measurements

    model = load_body_model()
    rng = np.random.default_rng(seed + 1000)  # not the calibration's bodies
    for _ in range(n):
        avatar = realistic_body(rng, model)
        yield avatar, reference_measurements(avatar)


def main(argv=None) -> int:
    from estimate_scoring import score_estimate

    parser = argparse.ArgumentParser(description="photo estimate accuracy")
    parser.add_argument("--bodies", type=int, default=24)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--arm-turn", type=float, default=0.0,
                        help="turn the arms by a random angle within +-this many degrees, e.g. 15")
    parser.add_argument("--shadows", type=float, default=0.0,
                        help="darken the floor under the feet by up to this fraction (contact shadows), e.g. 0.5")
    parser.add_argument("--home", action="store_true", help="rooms at home, dressed bodies, arms at 30-90 deg")
    parser.add_argument("--side-arms", choices=("down", "same"), default="down",
                        help="with --home: the side photo's arms hang at the sides, or are held as in the front one")
    parser.add_argument("--arm-range", type=float, nargs=2, default=(30.0, 90.0), metavar=("LO", "HI"),
                        help="with --home: the arms' angle from hanging down, degrees")
    args = parser.parse_args(argv)
    if args.home:
        from bench_home import run_home

        return run_home(args, bench_bodies, make_photo=render_photo, renderer=Renderer(), degrade=degrade,
                        camera=photo_camera)
    rng = np.random.default_rng(args.seed)
    arm_rng = np.random.default_rng(args.seed + 7)  # its own stream: the bodies and cameras stay the same
    renderer = Renderer()
    errors = {"plate": {}, "no plate": {}}
    inside = {"plate": {}, "no plate": {}}  # was the error within the stated uncertainty?
    failures = {"plate": 0, "no plate": 0}
    times = []
    for i, (avatar, truth) in enumerate(bench_bodies(args.bodies, args.seed)):
        if args.arm_turn > 0:
            angle = arm_rng.uniform(-args.arm_turn, args.arm_turn)
            avatar = SimpleNamespace(vertices=turn_arms(avatar.vertices, avatar.joints, angle), faces=avatar.faces,
                                     stature_m=avatar.stature_m)
        case = make_case(rng, renderer, avatar, cluttered=bool(i % 2), shadow=args.shadows)
        for mode in errors:
            refusal = score_estimate(case, truth, mode, errors, inside, times)
            if refusal is not None:
                failures[mode] += 1
                print(f"body {i} ({mode}): {refusal}", file=sys.stderr)
        print(f"body {i + 1}/{args.bodies} done", file=sys.stderr)
    renderer.close()
    names = sorted({n for e in errors.values() for n in e})
    shadows = f", contact shadows {args.shadows:.0%}" if args.shadows > 0 else ""
    shadows += f", arms turned within +-{args.arm_turn:g} deg" if args.arm_turn > 0 else ""
    print(f"\nPhoto estimate accuracy: {args.bodies} bodies, noise + JPEG{shadows}; plain and cluttered backgrounds, "
          f"with and without a plate. Errors in cm (body_mass kg)")
    print(f"{'measurement':<20} {'MAE plate':>10} {'P95 plate':>10} {'MAE no plate':>13} {'P95 no plate':>13} "
          f"{'within +-u':>11}")
    for name in names:
        row = f"{name:<20}"
        for mode in errors:
            e = np.array(errors[mode].get(name, [np.nan]))
            row += f" {np.mean(e):>10.2f} {np.percentile(e, 95):>10.2f}" if mode == "plate" else \
                f" {np.mean(e):>13.2f} {np.percentile(e, 95):>13.2f}"
        within = [v for mode in inside for v in inside[mode].get(name, [])] if name != "stature" else []
        row += f" {np.mean(within):>11.0%}" if within else f" {'-':>11}"
        print(row)
    print(f"rejected photos: plate {failures['plate']}, no plate {failures['no plate']}; "
          f"time per estimate {np.mean(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
