"""Fit truth benchmark: does what a shopper reads about a size agree with itself and with the body?

Bodies are drawn from the ANSUR II statistics (``avatar.statistics``; women and men alternately) with the
covariance widened by ``--spread`` so that bodies beyond the 1st and 99th percentiles are drawn too; each
gives stature, chest, waist and hip, as a shopper types them, and is fitted as an avatar; five set bodies
(slim, the reported cases, chest and hip 140 cm) are swept as well. Every built-in garment in every size
is judged on every body (``garments.fit_report.fit_report``) and checked with ``garments.fit_audit``:
contradictions between the advice text and the fit table, zones whose ease does not
grow with the size (fixed body) or fall as the body grows (fixed size), and sizes that must stretch beyond
their fabric but read as fitting. The time per advice is measured warm (the garment's rest meshes measured
once per process, the body once per avatar). ``--drapes N`` drapes the recommended size of every garment on
the first N bodies and reports the drape time.

    uv run python bench/bench_fit_truth.py [--bodies 40] [--spread 1.5] [--seed 11] [--drapes 2]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from bench_fit import sample_bodies
from scipy.stats import norm

from avatar.errors import MeasurementError
from avatar.fitting import fit_avatar
from avatar.statistics import load_statistics
from garments.catalog import load_catalog
from garments.fit import body_girths
from garments.fit_audit import impossible_fits, non_monotone_bodies, non_monotone_sizes, text_contradictions
from garments.fit_report import NO_SIZE, fit_report

TYPED = ("stature", "chest_girth", "waist_girth", "hip_girth")
# Bodies always swept besides the drawn ones: the slim and heavy ends and the ones shoppers reported.
EXTREMES = (
    ("female", {"stature": 150.0, "chest_girth": 76.0, "waist_girth": 58.0, "hip_girth": 82.0}),
    ("female", {"stature": 165.0, "chest_girth": 92.0, "waist_girth": 76.0, "hip_girth": 101.0}),
    ("male", {"stature": 175.0, "chest_girth": 120.0, "waist_girth": 110.0, "hip_girth": 125.0}),
    ("male", {"stature": 178.0, "chest_girth": 140.0, "waist_girth": 130.0, "hip_girth": 140.0}),
    ("female", {"stature": 168.0, "chest_girth": 135.0, "waist_girth": 120.0, "hip_girth": 140.0}),
)


def percentile(sex: str, name: str, value: float) -> float:
    """Where a value lies in the survey's distribution for that sex, 0..100."""
    s = load_statistics()[sex]
    i = s.names.index(name)
    return float(norm.cdf((value - s.mean[i]) / np.sqrt(s.cov[i, i])) * 100.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bodies", type=int, default=40)
    parser.add_argument("--spread", type=float, default=1.5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--drapes", type=int, default=2, help="bodies whose recommended sizes are draped")
    args = parser.parse_args()

    garments = [g for g in load_catalog() if g.source == "builtin"]
    first = fit_avatar({"stature": 165.0}, "female").avatar  # the body model loaded
    start = time.perf_counter()
    for g in garments:  # rest meshes measured once per process
        fit_report(first, g)
    setup_s = time.perf_counter() - start

    bodies, reports, times, pct, refused = [], [], [], [], 0
    for sex, values in list(EXTREMES) + sample_bodies(args.bodies, args.spread, args.seed):
        typed = {k: values[k] for k in TYPED}
        try:
            avatar = fit_avatar(typed, sex).avatar
        except MeasurementError as exc:  # a widened sample outside the human range is refused by validation
            refused += 1
            print(f"refused: {exc}", file=sys.stderr)
            continue
        girths = body_girths(avatar)
        row = []
        for g in garments:
            t = time.perf_counter()
            row.append(fit_report(avatar, g, girths=girths))
            times.append((time.perf_counter() - t) * 1000.0)
        bodies.append((sex, typed, avatar))
        reports.append(row)
        pct += [percentile(sex, n, typed[n]) for n in ("chest_girth", "hip_girth")]

    contradictions = sum(bool(text_contradictions(r)) for row in reports for r in row)
    impossible = sum(len(impossible_fits(r)) for row in reports for r in row)
    by_size = sum(len(non_monotone_sizes(r)) for row in reports for r in row)
    by_body = sum(len(non_monotone_bodies([row[k] for row in reports])) for k in range(len(garments)))
    cases = len(reports) * sum(len(g.size_names) for g in garments)
    fits = sum(r.fits for row in reports for r in row)
    none = np.mean([r.probabilities[NO_SIZE] for row in reports for r in row])

    print(f"{len(bodies)} bodies ({sum(b[0] == 'female' for b in bodies)} women; {refused} refused), chest and hip "
          f"from the {min(pct):.1f}th to the {max(pct):.1f}th percentile; {len(garments)} garments, "
          f"{cases} body x size cases")
    print(f"chest {min(b[1]['chest_girth'] for b in bodies):.0f}-{max(b[1]['chest_girth'] for b in bodies):.0f} cm, "
          f"hip {min(b[1]['hip_girth'] for b in bodies):.0f}-{max(b[1]['hip_girth'] for b in bodies):.0f} cm")
    print()
    print("| check | target | measured |")
    print("|---|---|---|")
    print(f"| advice text contradicting the fit table (body x garment) | 0 | {contradictions} |")
    print(f"| sizes or zones that must stretch beyond the fabric but read as fitting | 0 | {impossible} |")
    print(f"| zones whose ease does not grow with the size (fixed body) | 0 | {by_size} |")
    print(f"| sizes and zones whose ease does not fall as the body grows (fixed size) | 0 | {by_body} |")
    print(f"| time per advice, every size of one garment, warm: median / p95 | | "
          f"{np.median(times):.1f} ms / {np.percentile(times, 95):.1f} ms |")
    print(f"| first advice per garment (its rest meshes measured), all {len(garments)} garments | | {setup_s:.1f} s |")
    print()
    print(f"Body x garment pairs with a size that fits: {fits} of {len(bodies) * len(garments)}; "
          f"mean chance that no size fits: {none * 100:.1f} %")

    if args.drapes:
        from garments.outfit import drape_garment

        drape_ms, strain = [], []
        for _sex, _typed, avatar in bodies[:args.drapes]:
            for g, report in zip(garments, reports[bodies.index((_sex, _typed, avatar))]):
                result = drape_garment(avatar, g, report.recommended)
                drape_ms.append(result.drape_ms)
                worn = fit_report(avatar, g, drape=result).size(report.recommended).zones
                strain += [z.worn_strain for z in worn.values() if z.worn_strain is not None]
        print(f"Drape of the recommended size, {len(drape_ms)} drapes on {args.drapes} bodies: median "
              f"{np.median(drape_ms):.0f} ms, max {max(drape_ms):.0f} ms; worn strain at the zones: median "
              f"{np.median(strain) * 100:.1f} %, max {max(strain) * 100:.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
