"""Regenerate ``calibration.json``: the linear models from silhouette features to measurements.

Run ``uv run python -m avatar.estimate.calibrate [--bodies N] [--draws D] [--seed S]`` (about
6 minutes per 500 bodies seen through 2 camera set-ups each, on two cores). It samples bodies of
the real body model (60 % fitted to measurement records drawn from the survey statistics, 40 %
random phenotypes and local measurement targets), measures each with the tape, draws front and
side silhouettes through random pinhole cameras (heights, distances, fields of view, image sizes,
small turns of the body, arms held from 30 deg to a T-pose, taken off the front view along the
projected skeleton), moves most outlines by up to about
a pixel as segmentation does (``perturb_outline``) and fits ridge regressions from
``features.feature_vector`` to every measurement, with and without the shopper's weight. The
held-out (cross-validated) residual of each model is stored as its uncertainty.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np

from . import constants as C
from .estimate import CALIBRATION_PATH, HELD_ARMS_CALIBRATION_PATH, SIDE_DOWN_CALIBRATION_PATH
from .features import FEATURE_SIZE, SKELETON_JOINTS, photo_features
from .models import INPUT_PX
from .project import PinholeCamera, rotate_y, silhouette, turn_arms, turned_joints

ALPHAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
# Outline perturbation (``perturb_outline``): the share of silhouettes perturbed, the size of the grid
# they are read on (times the landmark model's cell: the crop's margin varies with the box it starts
# from) and the cut on the interpolated mask (0.35-0.65 moves a straight edge by up to +-0.15 cell).
OUTLINE_PERTURBED_FRACTION = 0.9
OUTLINE_CELL_SCALE = (0.8, 1.2)
OUTLINE_THRESHOLD = (0.35, 0.65)
CAMERA_TRIES = 5  # random camera set-ups tried per view until the body fits in the frame
# Arms turned about the shoulders (degrees from the model's A-pose, about 41 deg from hanging down).
# The A-pose models (``calibration.json``): up to 12 deg either way on four bodies in five; +-10 degrees
# had moved the estimated shoulder breadth by 2-4 cm and the hip by up to 2.6 cm on models calibrated on
# the A-pose alone. The held-arms models (``--arms``, ``calibration_arms.json``): from 12 deg lower to
# 49 deg higher (a T-pose), every body, the front widths read without the arms.
ARM_TURN_DEG = 12.0
ARM_TURN_FRACTION = 0.8
HELD_ARMS_TURN_DEG = (-12.0, 49.0)


# ----------------------------------------------------------------------------------------- bodies
def random_body(rng: np.random.Generator, model):
    """A random adult avatar of the body model."""
    from avatar.avatar import make_avatar
    from avatar.body_model import Phenotype

    sex = "female" if rng.random() < 0.5 else "male"
    gender = rng.uniform(0.75, 1.0) if sex == "female" else rng.uniform(0.0, 0.25)
    pheno = Phenotype(gender=gender, age=rng.uniform(0.55, 0.95), muscle=rng.uniform(0.1, 0.9),
                      weight=rng.beta(1.6, 1.6), height=rng.uniform(0.1, 0.8), proportions=rng.uniform(0.2, 0.8))
    n = len(model.local_target_names)
    weights = np.clip(rng.normal(0.0, 0.25, n), -1.0, 1.0) * (rng.random(n) < 0.6)
    return make_avatar(pheno, weights, scale=rng.uniform(0.97, 1.03), sex=sex, model=model)


def realistic_body(rng: np.random.Generator, model):
    """The avatar fitted to a measurement record drawn from the survey statistics of a random sex."""
    from avatar.fitting import fit_avatar
    from avatar.measurements import MEASUREMENTS
    from avatar.statistics import load_statistics

    sex = "female" if rng.random() < 0.5 else "male"
    stats = load_statistics()[sex]
    draw = rng.multivariate_normal(stats.mean, stats.cov)
    values = {}
    for name, value in zip(stats.names, draw):
        spec = MEASUREMENTS.get(name)
        if spec is not None:
            values[name] = float(np.clip(value, spec.low + 1, spec.high - 1))
    return fit_avatar(values, sex, model=model).avatar


def sample_body(rng: np.random.Generator, model, realistic_fraction: float = 0.6):
    """A calibration body: mostly fitted to survey-like records, the rest random model shapes."""
    if rng.random() < realistic_fraction:
        return realistic_body(rng, model)
    return random_body(rng, model)


def reference_measurements(avatar) -> dict[str, float]:
    """Measurements of an avatar in cm (kg for body_mass), by the project's tape."""
    from avatar.measure import measure_all

    return {name: float(m.value) for name, m in measure_all(avatar).items()}


# ---------------------------------------------------------------------------------------- cameras
def random_camera(rng: np.random.Generator, stature_m: float) -> PinholeCamera:
    """A camera that sees the whole body with a margin, as a shopper would set it up."""
    h = int(rng.uniform(600, 1400))
    w = int(h * rng.uniform(0.56, 1.0)) if rng.random() < 0.7 else int(h * 16 / 9)
    fov = rng.uniform(40.0, 65.0)
    fill = rng.uniform(0.55, 0.9)  # fraction of the frame height the body spans
    distance = stature_m / (fill * 2 * np.tan(np.radians(fov) / 2))
    cam_h = rng.uniform(0.7, 1.6)
    aim = stature_m / 2 + rng.uniform(-0.15, 0.15) if rng.random() < 0.6 else None
    return PinholeCamera(height_m=cam_h, distance_m=distance + 0.15, yfov_deg=fov, width_px=w, height_px=h,
                         aim_height_m=aim)


def perturb_outline(mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A silhouette's outline as the learned person mask gives it: read on a grid of the landmark
    model's cells (its 256-pixel crop of the person, ``POSE_CROP_MARGIN`` times the person's box),
    interpolated back and cut at a random level (``OUTLINE_THRESHOLD``), so edges move by up to
    about a cell's fraction and the narrowest gaps close or open.

    Calibrating on exact outlines gives models that lean on pixel-exact details and turn the
    learned mask's coarser outline into centimetres; these outlines teach them what varies.
    """
    if rng.random() >= OUTLINE_PERTURBED_FRACTION:
        return mask
    ys, xs = np.nonzero(mask)
    cell = C.POSE_CROP_MARGIN * max(np.ptp(ys), np.ptp(xs)) / INPUT_PX * rng.uniform(*OUTLINE_CELL_SCALE)
    h, w = mask.shape
    small = cv2.resize(mask.astype(np.float32), (max(1, round(w / cell)), max(1, round(h / cell))),
                       interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR) > rng.uniform(*OUTLINE_THRESHOLD)


def body_features(avatar, rng: np.random.Generator, height_cm: float, held_arms: bool = False,
                  side_arms_down: bool = False) -> np.ndarray | None:
    """Feature vector of an avatar seen through random front and side cameras.

    Most bodies hold their arms a little higher or lower than the model's A-pose (``turn_arms``);
    with ``held_arms`` every body holds them at a random angle from a little below the A-pose to a
    T-pose, and the front view's widths are read without the arms, cut off along the projected
    skeleton as the estimate cuts them along the landmarks. The side photo shows the arms as the
    front one does, or with ``side_arms_down`` hanging at the sides (``pose.hang_arms``), within
    ``SIDE_ARMS_DOWN_DEG`` of straight down. Each view tries a few set-ups until the body fits in the
    frame, as a shopper steps back until the arms are in view; None if none fits.
    """
    masks = []
    if held_arms:
        turn = rng.uniform(*HELD_ARMS_TURN_DEG)
    else:
        turn = rng.uniform(-ARM_TURN_DEG, ARM_TURN_DEG) if rng.random() < ARM_TURN_FRACTION else 0.0
    posed = turn_arms(avatar.vertices, avatar.joints, turn) if turn else avatar.vertices
    side_posed = posed
    if side_arms_down:
        from avatar.pose import hang_arms

        side_posed = hang_arms(avatar, rng.uniform(*C.SIDE_ARMS_DOWN_DEG)).vertices
    joints = turned_joints(avatar.joints, turn)
    names = list(SKELETON_JOINTS)
    skeleton = None
    for view, yaw in enumerate((rng.normal(0.0, 3.0), rng.choice([-90.0, 90.0]) + rng.normal(0.0, 4.0))):
        vertices = rotate_y(posed if view == 0 else side_posed, yaw)
        for _ in range(CAMERA_TRIES):
            camera = random_camera(rng, avatar.stature_m)
            mask = silhouette(vertices, avatar.body_faces, camera)
            if not (mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any()):
                masks.append(perturb_outline(mask, rng))
                if view == 0 and held_arms:
                    points = camera.project(rotate_y(np.array([joints[n] for n in names]), yaw))
                    skeleton = dict(zip(names, points))
                break
        else:
            return None
    return photo_features(masks[0], masks[1], height_cm, skeleton)


# ------------------------------------------------------------------------------------- regression
def fit_ridge(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, folds: int = 5,
              groups: np.ndarray | None = None, outline_noise: np.ndarray | None = None):
    """Ridge regression with the penalty chosen by cross-validation.

    ``groups`` (n,) int keeps the rows of one body (seen through several cameras) in one fold, so
    the held-out residual is that of bodies the model has not seen.

    ``outline_noise`` (k, D) float: how the features of photos differ from those of their exact
    silhouettes (the learned mask's outline minus the exact one, same bodies). The fit then minimises
    the expected squared error of features carrying such errors, ``|y - Xw|^2 + n w' S w`` with
    ``S`` their second moment, besides the ridge penalty: a feature the learned mask moves a lot
    (a width at the armpits, where a gap opens or closes) gets little weight.

    Returns
    -------
    coef : (D,) float, intercept : float, residual_std : float (held-out), alpha : float
    """
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    unique, index = np.unique(groups, return_inverse=True)
    fold_of_group = np.empty(len(unique), int)
    fold_of_group[rng.permutation(len(unique))] = np.arange(len(unique)) % folds
    fold_of = fold_of_group[index]

    noise_penalty = np.zeros((z.shape[1], z.shape[1]))
    if outline_noise is not None:
        zn = np.asarray(outline_noise, float) / scale
        noise_penalty = zn.T @ zn / len(zn)

    def solve(zz, yy, alpha):
        ym = yy.mean()
        a = zz.T @ zz + alpha * np.eye(zz.shape[1]) + len(yy) * noise_penalty
        return np.linalg.solve(a, zz.T @ (yy - ym)), ym

    best = None
    for alpha in ALPHAS:
        resid = np.empty(len(y))
        for k in range(folds):
            tr, te = fold_of != k, fold_of == k
            w, b = solve(z[tr], y[tr], alpha)
            resid[te] = y[te] - (z[te] @ w + b)
        err = float(np.sqrt(np.mean(resid ** 2)))
        if best is None or err < best[0]:
            best = (err, alpha)
    w, b = solve(z, y, best[1])
    coef = w / scale
    return coef, float(b - mean @ coef), best[0], best[1]


def make_dataset(n_bodies: int, seed: int, realistic_fraction: float = 0.6, progress=print, draws: int = 1,
                 held_arms: bool = False, side_arms_down: bool = False):
    """Features and measurements of random bodies, each seen through ``draws`` random camera set-ups.

    Returns
    -------
    x : (n_bodies * draws, FEATURE_SIZE) float, y : (n_bodies * draws, M) float,
    names : list of M measurement names, groups : (n_bodies * draws,) int, the body of each row
    """
    from avatar.body_model import load_body_model

    model = load_body_model()
    rng = np.random.default_rng(seed)
    xs, ys, groups, names = [], [], [], None
    start = time.time()
    body = 0
    while len(xs) < n_bodies * draws:
        body += 1
        avatar = sample_body(rng, model, realistic_fraction)
        truth = reference_measurements(avatar)
        names = names or sorted(truth)
        for _ in range(draws):
            feats = body_features(avatar, rng, truth["stature"], held_arms, side_arms_down)
            if feats is not None:
                xs.append(feats)
                ys.append([truth[n] for n in names])
                groups.append(body)
        if body % 50 == 0:
            progress(f"{body} bodies, {len(xs)} views, {time.time() - start:.0f} s")
    return np.array(xs), np.array(ys), names, np.array(groups)


def calibrate(x: np.ndarray, y: np.ndarray, names: list[str], seed: int, progress=print,
              groups: np.ndarray | None = None, held_arms: bool = False, side_arms_down: bool = False,
              outline_noise: np.ndarray | None = None) -> dict:
    """Fit the models of every measurement on a dataset from :func:`make_dataset`; ``outline_noise``
    (k, FEATURE_SIZE) float: feature errors of photos (see :func:`fit_ridge`)."""
    rng = np.random.default_rng(seed + 1)
    weight_col = names.index("body_mass")
    models = {}
    for i, name in enumerate(names):
        if name == "stature":
            continue
        entry = {}
        for key, xx in (("photo", x), ("photo_weight", np.column_stack([x, y[:, weight_col]]))):
            if name == "body_mass" and key == "photo_weight":
                continue
            noise = outline_noise
            if noise is not None and key == "photo_weight":  # the typed weight carries no outline error
                noise = np.column_stack([noise, np.zeros(len(noise))])
            coef, intercept, resid, alpha = fit_ridge(xx, y[:, i], rng, groups=groups, outline_noise=noise)
            entry[key] = {"coef": [float(f"{c:.6g}") for c in coef], "intercept": float(f"{intercept:.6g}"),
                          "residual_cm": round(resid, 3), "alpha": alpha}
        models[name] = entry
        progress(f"{name}: held-out residual {entry['photo']['residual_cm']:.2f}"
                 + (f", with weight {entry['photo_weight']['residual_cm']:.2f}" if "photo_weight" in entry else ""))
    return {
        "about": "Ridge regressions from avatar.estimate.features.feature_vector (and optionally body_mass) to "
                 "measurements; made by `python -m avatar.estimate.calibrate` on silhouettes of the body model "
                 "through random pinhole cameras. residual_cm is the cross-validated RMS error.",
        "feature_size": FEATURE_SIZE,
        "arms_removed": held_arms,  # the front widths were read without the arms (features.remove_arms)
        "side_arms_down": side_arms_down,  # the side photos' arms hung at the sides (SIDE_ARMS_DOWN_DEG)
        "n_bodies": len(x),
        "outline_noise_photos": 0 if outline_noise is None else len(outline_noise),
        "seed": seed,
        "models": models,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=600)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1, help="random camera set-ups per body")
    parser.add_argument("--out", type=Path, help="default: calibration.json, or calibration_arms.json with --arms")
    parser.add_argument("--arms", action="store_true", help="the held-arms models: arms 30-90 deg, taken off the front")
    parser.add_argument("--side-arms-down", action="store_true",
                        help="with --arms: the side photos' arms hang at the sides (calibration_side_down.json)")
    parser.add_argument("--realistic", type=float, default=0.6, help="fraction of bodies fitted to survey records")
    parser.add_argument("--dataset", type=Path, help="keep the bodies' features in this .npz")
    parser.add_argument("--use", type=Path, nargs="*", default=[], help="fit on these saved datasets instead")
    parser.add_argument("--outline-noise", type=Path, nargs="+", default=[],
                        help="one or more .npz of photos' feature errors (bench/estimate_error_sources.py --save-noise), "
                             "taken together")
    args = parser.parse_args(argv)
    if args.use:
        parts = [np.load(p) for p in args.use]
        names = [str(n) for n in parts[0]["names"]]
        x = np.concatenate([p["x"] for p in parts])
        # rows of one body share a group; datasets saved without groups hold one row per body
        groups = np.concatenate([(p["groups"] if "groups" in p else np.arange(len(p["x"]))) + 10 ** 7 * k
                                 for k, p in enumerate(parts)])
        y = np.concatenate([p["y"][:, [list(map(str, p["names"])).index(n) for n in names]] for p in parts])
    else:
        x, y, names, groups = make_dataset(args.bodies, args.seed, args.realistic, draws=args.draws,
                                           held_arms=args.arms, side_arms_down=args.side_arms_down)
        if args.dataset:
            np.savez_compressed(args.dataset, x=x, y=y, names=np.array(names), groups=groups)
    noise = np.concatenate([np.load(p)["differences"] for p in args.outline_noise]) if args.outline_noise else None
    result = calibrate(x, y, names, args.seed, groups=groups, held_arms=args.arms,
                       side_arms_down=args.side_arms_down, outline_noise=noise)
    default = SIDE_DOWN_CALIBRATION_PATH if args.side_arms_down else HELD_ARMS_CALIBRATION_PATH
    out = args.out or (default if args.arms else CALIBRATION_PATH)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
