"""Avatar fitting benchmark: accuracy per measurement and time per fit.

Bodies are drawn from the ANSUR II statistics (men and women), with the covariance widened
by ``--spread`` so short, tall, thin and heavy bodies are well represented. Each body gives
every survey measurement except body mass (which is checked separately on a subset).

    uv run python bench/bench_fit.py [--n 60] [--spread 1.5] [--seed 7]

Prints a table: per measurement the mean and 95th-percentile absolute error (mm), how many
bodies missed the ISO 20685-1 limit, then the time per fit (warm) and from process start
to the first fitted body (cold, in a fresh process).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np

from avatar.body_model import load_body_model
from avatar.fitting import fit_avatar
from avatar.measurements import MEASUREMENTS
from avatar.statistics import load_statistics

COLD_START = (
    "import time; t=time.perf_counter()\n"
    "from avatar.fitting import fit_avatar\n"
    "fit_avatar({'stature': 170.0, 'chest_girth': 95.0, 'waist_girth': 80.0, 'hip_girth': 100.0}, 'female')\n"
    "print(time.perf_counter() - t)\n"
)


def sample_bodies(n: int, spread: float, seed: int):
    rng = np.random.default_rng(seed)
    stats = load_statistics()
    bodies = []
    for i in range(n):
        sex = ("female", "male")[i % 2]
        s = stats[sex]
        x = rng.multivariate_normal(s.mean, s.cov * spread**2)
        values = {k: float(v) for k, v in zip(s.names, x)}
        if i % 3:
            values.pop("body_mass")
        bodies.append((sex, values))
    return bodies


def limit_text(name: str) -> str:
    spec = MEASUREMENTS[name]
    return "4 %" if spec.kind == "mass" else f"{spec.tolerance_mm:g} mm"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--spread", type=float, default=1.5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True)
    cold_in_process = float(proc.stdout.strip())
    cold_total = time.perf_counter() - start

    load_body_model()
    fit_avatar({"stature": 170.0}, "female")
    fit_avatar({"stature": 180.0}, "male")
    errors: dict[str, list[float]] = {n: [] for n in MEASUREMENTS}
    misses: dict[str, int] = {n: 0 for n in MEASUREMENTS}
    times = []
    skipped = 0
    for sex, values in sample_bodies(args.n, args.spread, args.seed):
        try:
            result = fit_avatar(values, sex)
        except Exception as exc:  # an out-of-range sample (widened spread) is refused by validation
            skipped += 1
            print(f"skipped a body: {exc}", file=sys.stderr)
            continue
        times.append(result.seconds)
        for name, value in values.items():
            err = abs(result.measurements[name]["achieved"] - value)
            errors[name].append(err * (1 if name == "body_mass" else 10))
            if name in result.missed:
                misses[name] += 1

    print(f"bodies: {len(times)} fitted ({skipped} refused as outside the human range), "
          f"spread x{args.spread}, seed {args.seed}")
    print(f"{'measurement':<20}{'n':>5}{'mean':>11}{'p95':>11}{'max':>11}{'limit':>10}{'missed':>8}")
    for name, errs in errors.items():
        if not errs:
            continue
        unit = "kg" if name == "body_mass" else "mm"
        e = np.array(errs)
        print(f"{name:<20}{len(e):>5}{e.mean():>8.2f} {unit}{np.percentile(e, 95):>8.2f} {unit}"
              f"{e.max():>8.2f} {unit}{limit_text(name):>10}{misses[name]:>8}")
    t = np.array(times) * 1000
    print(f"\ntime per fit (warm): median {np.median(t):.0f} ms, mean {t.mean():.0f} ms, p95 {np.percentile(t, 95):.0f} ms")
    print(f"cold start to first fitted body: {cold_in_process:.2f} s in the process, "
          f"{cold_total:.2f} s including the interpreter start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
