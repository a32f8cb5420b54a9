"""Where the photo estimate's error comes from, on the home scenes of ``bench_estimate.py --home``.

    uv run python bench/estimate_error_sources.py [--bodies 6] [--arm-range 30 55] [--seed 11]

Each body's photos are measured (with a background plate, or ``--modes plate "no plate"``) four ways
with the same calibrated models: the exact rendered silhouettes with the projected joints (what the
calibration saw: the models' own error), the exact silhouettes with the landmarks the pose model
found (the landmarks' error), the learned front outline with an exact side one, and both learned
outlines (the estimate). It prints the mean absolute error of each way per
torso measurement, the crotch and armpit levels' shifts, and the features whose change from the
exact to the learned outline moves the chest most (the model's coefficient times the mean change).
``--save-noise PATH`` keeps, per estimate, how the held-arms features of the photos differ from
those of the exact silhouettes with the projected joints, for ``python -m avatar.estimate.calibrate
--outline-noise PATH``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

NAMES = ("chest_girth", "underbust_girth", "waist_girth", "hip_girth", "neck_girth", "inside_leg_height")


def feature_names() -> list[str]:
    """A name for each entry of ``features.feature_vector``."""
    from avatar.estimate import constants as C
    from avatar.estimate.features import LEVELS

    names = []
    for kind in ("front total", "front centre", "side total", "side centre", "ellipse"):
        names += [f"{kind} {t:.2f}" for t in LEVELS]
    names += ["height", "crotch", "armpit"]
    for kind in ("torso front", "torso side", "torso ellipse"):
        names += [f"{kind} {k}" for k in range(C.N_TORSO_LEVELS)]
    return names


def main(argv=None) -> int:
    from bench_estimate import Renderer, bench_bodies, degrade, photo_camera, render_photo
    from bench_home import home_case

    from avatar.estimate import assess_frame
    from avatar.estimate.checks import arm_angle
    from avatar.estimate.estimate import calibration_for, predict_photos
    from avatar.estimate.features import photo_features, torso_landmarks

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=6)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--arm-range", type=float, nargs=2, default=(30.0, 55.0))
    parser.add_argument("--modes", nargs="+", default=["plate"], choices=["plate", "no plate"])
    parser.add_argument("--save-noise", type=Path, help="write the photos' held-arms feature errors to this .npz "
                                                        "(calibrate --outline-noise)")
    parser.add_argument("--calibration", type=Path, help="use these models for every measurement and arm angle")
    args = parser.parse_args(argv)
    if args.calibration:
        import avatar.estimate.estimate as estimate_module

        fixed = estimate_module.load_calibration(args.calibration)
        estimate_module.calibration_for = calibration_for = lambda angle: fixed
        estimate_module.C.APOSE_FROM_HELD_ARMS = ()
    rng = np.random.default_rng(args.seed + 500)
    renderer = Renderer()
    ways = ("exact + joints", "exact + landmarks", "learned front", "learned both")
    errors = {w: {n: [] for n in NAMES} for w in ways}
    level_shift, feature_change, coefs, noise = [], [], None, []
    for i, (avatar, truth) in enumerate(bench_bodies(args.bodies, args.seed)):
        case = home_case(rng, i, avatar, tuple(args.arm_range), make_photo=render_photo, renderer=renderer,
                         degrade=degrade, camera=photo_camera)
        for mode in args.modes:
            plate = case["plate"] if mode == "plate" else None
            found = {v: assess_frame(case[v], v, plate) for v in ("front", "side")}
            if any(not a.ok for a in found.values()):
                print(f"body {i} ({mode}): refused: {[a.guidance for a in found.values() if not a.ok]}",
                      file=sys.stderr)
                continue
            landmarks = found["front"].pose.skeleton()
            angle = arm_angle(found["front"].pose)
            learned = {v: a.segmentation.mask for v, a in found.items()}
            inputs = {"exact + joints": (case["front_mask"], case["side_mask"], case["skeleton"]),
                      "exact + landmarks": (case["front_mask"], case["side_mask"], landmarks),
                      "learned front": (learned["front"], case["side_mask"], landmarks),
                      "learned both": (learned["front"], learned["side"], landmarks)}
            for way, (f, s, joints) in inputs.items():
                predicted = predict_photos(f, s, truth["stature"], joints, angle)
                for n in NAMES:
                    errors[way][n].append(predicted[n][0] - truth[n])
            level_shift.append(np.subtract(torso_landmarks(learned["front"]), torso_landmarks(case["front_mask"])))
            # the held-arms features, as calibrated (exact outlines, projected joints) and as photographed
            noise.append(photo_features(learned["front"], learned["side"], truth["stature"], landmarks)
                         - photo_features(case["front_mask"], case["side_mask"], truth["stature"], case["skeleton"]))
            calibration = calibration_for(angle)
            joints = landmarks if calibration.get("arms_removed") else None
            exact = photo_features(case["front_mask"], case["side_mask"], truth["stature"], joints)
            feature_change.append(photo_features(learned["front"], learned["side"], truth["stature"], joints) - exact)
            coefs = np.asarray(calibration["models"]["chest_girth"]["photo"]["coef"])
            print(f"body {i + 1}/{args.bodies} ({mode}, arms {case['arm_angle']:.0f} deg, read {angle:.0f}): chest "
                  + ", ".join(f"{w} {errors[w]['chest_girth'][-1]:+.1f}" for w in ways), file=sys.stderr)
    renderer.close()
    if args.save_noise:
        np.savez_compressed(args.save_noise, differences=np.array(noise, np.float32), seed=args.seed,
                            arm_range=np.array(args.arm_range), modes=np.array(args.modes))
        print(f"wrote {len(noise)} photos' feature errors to {args.save_noise}")
    print(f"\nError sources: {len(level_shift)} estimates of home scenes, arms {args.arm_range[0]:g}-"
          f"{args.arm_range[1]:g} deg, {' and '.join(args.modes)}. Mean absolute error (mean signed error), cm")
    print(f"{'measurement':<18}" + "".join(f" {w:>20}" for w in ways))
    for n in NAMES:
        print(f"{n:<18}" + "".join(f" {np.mean(np.abs(errors[w][n])):>10.2f} ({np.mean(errors[w][n]):+5.2f})"
                                   .rjust(21) for w in ways))
    shift = np.array(level_shift) * 100
    print(f"crotch / armpit level, learned minus exact: mean {shift[:, 0].mean():+.2f} / {shift[:, 1].mean():+.2f}, "
          f"mean |.| {np.abs(shift[:, 0]).mean():.2f} / {np.abs(shift[:, 1]).mean():.2f} % of the height")
    if feature_change:
        change = np.array(feature_change)
        effect = coefs * change  # cm of chest moved by each feature, per body
        order = np.argsort(-np.abs(effect.mean(axis=0)))[:10]
        names = feature_names()
        print("features moving the chest most (learned minus exact outline; the last body's models):")
        for k in order:
            print(f"  {names[k]:<22} change {change[:, k].mean():+6.2f} cm, chest moved {effect[:, k].mean():+6.2f} cm")
        print(f"  all features together: chest moved {effect.sum(axis=1).mean():+.2f} cm "
              f"(mean |.| {np.abs(effect.sum(axis=1)).mean():.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
