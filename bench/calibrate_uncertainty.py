"""Calibrate the stated ± of the photo estimate per zone on home scenes (writes ``uncertainty.json``).

    uv run python bench/calibrate_uncertainty.py [--seed 5 11 13] [--bodies 30 10 12] [--write]

Survey-fitted bodies of known measurements (``--bodies`` of each ``--seed``: the seed picks the
bodies and scenes as in ``bench_estimate.py --home --seed``) are photographed in rooms like a home's
(``bench_home.home_case``: dressed, arms at 30-90 deg) and estimated with and without a background
plate. For each zone and mode the factor on the base uncertainty is the one that puts 68 % of the
errors within the stated ± (``avatar.estimate.uncertainty.fit_zone_factors``). It prints each zone's
share of errors within the current ± and the new factors; ``--write`` stores them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def main(argv=None) -> int:
    from bench_estimate import Renderer, bench_bodies, degrade, photo_camera, render_photo
    from bench_home import home_case
    from estimate_scoring import score_estimate

    from avatar.estimate.uncertainty import MODES, UNCERTAINTY_PATH, fit_zone_factors, load_zone_factors, zone_of

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, nargs="+", default=[5, 11, 13])
    parser.add_argument("--bodies", type=int, nargs="+", default=[30, 10, 12], help="how many of each seed's bodies")
    parser.add_argument("--arm-range", type=float, nargs=2, default=(30.0, 90.0))
    parser.add_argument("--write", action="store_true", help=f"write {UNCERTAINTY_PATH.name}")
    args = parser.parse_args(argv)
    if len(args.bodies) != len(args.seed):
        parser.error("give one --bodies count per --seed")
    renderer = Renderer()
    errors = {m: {} for m in MODES}
    inside = {m: {} for m in MODES}
    ratios = {m: {} for m in MODES}
    times, refused = [], 0
    for seed, count in zip(args.seed, args.bodies):
        rng = np.random.default_rng(seed + 500)
        for i, (avatar, truth) in enumerate(bench_bodies(count, seed)):
            case = home_case(rng, i, avatar, tuple(args.arm_range), make_photo=render_photo, renderer=renderer,
                             degrade=degrade, camera=photo_camera)
            for mode in MODES:
                refusal = score_estimate(case, truth, mode, errors, inside, times, skip=("stature",), ratios=ratios)
                refused += refusal is not None
            print(f"seed {seed}: body {i + 1}/{count} done", file=sys.stderr)
    renderer.close()
    current = load_zone_factors()
    zone_ratios = {}  # (zone, mode) -> errors over the ± a factor of 1 would state
    for mode in MODES:
        for name, values in ratios[mode].items():
            zone = zone_of(name)
            zone_ratios.setdefault((zone, mode), []).extend(np.asarray(values) * current[zone][mode])
    fitted = fit_zone_factors(zone_ratios)
    scenes = ", ".join(f"{n} of seed {s}" for s, n in zip(args.seed, args.bodies))
    print(f"\nUncertainty per zone: home scenes ({scenes}), {refused} estimates refused")
    print(f"{'zone':<8} {'mode':<9} {'estimates':>9} {'within +-u now':>15} {'factor now':>11} {'fitted':>7}")
    for (zone, mode), values in sorted(zone_ratios.items()):
        within = np.mean(np.asarray(values) <= current[zone][mode])
        print(f"{zone:<8} {mode:<9} {len(values):>9} {within:>15.0%} {current[zone][mode]:>11.2f} "
              f"{fitted[zone][mode]:>7.2f}")
    if args.write:
        UNCERTAINTY_PATH.write_text(json.dumps({
            "about": "Per zone and mode (with or without a background plate), the factor on the base uncertainty "
                     "(model residual and outline error in quadrature) that puts 68 % of home-scene errors within "
                     "the stated uncertainty; made by bench/calibrate_uncertainty.py.",
            "bodies": sum(args.bodies), "seed": args.seed, "bodies_per_seed": args.bodies,
            "arm_range_deg": list(args.arm_range),
            "zones": fitted}, indent=1) + "\n")
        print(f"wrote {UNCERTAINTY_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
