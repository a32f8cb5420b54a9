"""Skin through cloth: show-through pixels of every built-in garment in every size on survey-drawn bodies.

Bodies are drawn from the ANSUR II statistics (alternately women and men) with the covariance widened by
``--spread`` (1.5: about one body in ten beyond the 1st or 99th percentile of chest or hip), giving their
stature, chest, waist and hip girths (``--full``: every measurement the survey has), after two very heavy
bodies (chest and hip 140 cm, one of each sex).
Interrupted (Ctrl-C or SIGTERM), it reports the bodies it finished. Each garment is draped alone in every size (``garments.outfit.drape_outfit``) and counted by
``app.render.showthrough.ShowThroughCounter`` from the front, the side and the back (480 x 640 depth maps).

    uv run python bench/bench_showthrough.py [--bodies 40] [--spread 1.5] [--seed 11] [--garments ID,ID]
                                             [--pose NAME] [--recommended-only] [--part I/N] [--body N,N]
                                             [--full] [--save ROWS.json]
    uv run python bench/bench_showthrough.py --report ROWS.json [ROWS.json ...]

Prints the bodies' spread, then per view the worst and 95th percentile show-through (pixels and share of
the garment's pixels) for the recommended sizes (``garments.fit_report.fit_report(...).recommended``) and
for all sizes, the cases over the 0.2 % limit, the recommended cases with any show-through, and the drape
times. ``--recommended-only`` drapes only the recommended size of each garment (a fifth of the work); ``--pose``
moves each drape into that pose and counts it there.
``--part I/N`` measures every N-th body from the I-th (a long run shared between processes), ``--body``
only the bodies of those numbers (as printed, from 1), fitting the part's bodies before them too (a fit starts
from the recent fits, so the avatars come out as in the run with the same ``--part``), ``--save``
writes what was measured to a file, and ``--report`` prints the tables of one or more such files together.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

import numpy as np

# Targets of the fit-truth contract: no skin through the recommended size, almost none through any size.
RECOMMENDED_MAX_PIXELS = 0
ANY_SIZE_MAX_SHARE = 0.002
# Two bodies beyond the survey's range that the fitting room still has to dress.
EXTREME_BODIES = (
    ("male", {"stature": 178.0, "chest_girth": 140.0, "waist_girth": 132.0, "hip_girth": 140.0}),
    ("female", {"stature": 165.0, "chest_girth": 138.0, "waist_girth": 125.0, "hip_girth": 140.0}),
)
DRAWN = ("stature", "chest_girth", "waist_girth", "hip_girth")


def sample_bodies(n: int, spread: float, seed: int, full: bool = False) -> list[tuple[str, dict[str, float]]]:
    """``n`` bodies drawn from the survey's Gaussians (widened by ``spread``), then the extreme ones; each with
    its stature and three girths (``DRAWN``), or with every measurement the survey has (``full``, the extreme
    ones still with the four)."""
    from avatar.statistics import load_statistics

    rng = np.random.default_rng(seed)
    stats = load_statistics()
    bodies = []
    for i in range(max(n - len(EXTREME_BODIES), 0)):
        sex = ("female", "male")[i % 2]
        s = stats[sex]
        x = rng.multivariate_normal(s.mean, s.cov * spread ** 2)
        values = dict(zip(s.names, x))
        bodies.append((sex, {k: round(float(values[k]), 1) for k in (s.names if full else DRAWN)}))
    return list(EXTREME_BODIES[:n]) + bodies


def survey_percentile(sex: str, name: str, value: float) -> float:
    """Percentile of a value in the survey's (unwidened) Gaussian for that sex."""
    from math import erf, sqrt

    from avatar.statistics import load_statistics

    s = load_statistics()[sex]
    i = s.names.index(name)
    z = (value - s.mean[i]) / np.sqrt(s.cov[i, i])
    return 50.0 * (1.0 + erf(z / sqrt(2.0)))


def measure_body(counter, index: int, avatar, garments, views, recommended_only: bool = False,
                 pose: str = "stand") -> list[tuple]:
    """Drape every size (or only the recommended one) of every garment on one avatar, move it into ``pose``
    (``garments.motion.pose_outfit``; the drape itself when standing) and count its show-through.

    Returns
    -------
    list of (body index, garment id, size, recommended?, {view: (pixels, share)}, drape ms, any size fits?)
    """
    from garments.fit_report import fit_report
    from garments.motion import pose_outfit
    from garments.outfit import drape_outfit

    rows = []
    for garment in garments:
        report = fit_report(avatar, garment)
        recommended = report.recommended  # the largest size when none fits (the advice then says so)
        for size in ([recommended] if recommended_only else garment.size_names):
            result = drape_outfit(avatar, [(garment, size)])[0]
            posed, (result,) = pose_outfit(avatar, [result], pose, garments={garment.id: garment})
            counts = counter.count_avatar(posed.avatar, [result], views)[0]
            rows.append((index, garment.id, size, size == recommended,
                         {v.view: (int(v.pixels), float(v.share)) for v in counts.views}, float(result.drape_ms),
                         bool(report.fits)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=40)
    parser.add_argument("--spread", type=float, default=1.5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--garments", default="", help="comma-separated ids (default: every built-in garment)")
    parser.add_argument("--pose", default="stand", help="count in this pose (avatar.pose.POSE_NAMES)")
    parser.add_argument("--recommended-only", action="store_true", help="drape only each garment's recommended size")
    parser.add_argument("--part", default="1/1", help="I/N: measure every N-th body from the I-th")
    parser.add_argument("--body", default="", help="comma-separated body numbers as printed (default: every body)")
    parser.add_argument("--full", action="store_true",
                        help="give each drawn body every measurement the survey has, not only stature and 3 girths")
    parser.add_argument("--save", help="write the measured rows to this JSON file")
    parser.add_argument("--report", nargs="+", metavar="ROWS.json", help="print the tables of saved runs together")
    args = parser.parse_args()
    if args.report:
        runs = [json.loads(open(path, encoding="utf-8").read()) for path in args.report]
        return report([tuple(r) for run in runs for r in run["rows"]],
                      [tuple(b) for run in runs for b in run["bodies"]], sum(run["refused"] for run in runs),
                      runs[0]["spread"], runs[0]["seed"], len(runs[0]["garments"]),
                      sum(run["seconds"] for run in runs))
    try:
        part, parts = (int(v) for v in args.part.split("/"))
    except ValueError:
        parser.error(f"--part {args.part}: give I/N, e.g. 1/2")
    if not 1 <= part <= parts:
        parser.error(f"--part {args.part}: I must be 1 to N")
    try:
        only = {int(v) for v in args.body.split(",")} if args.body else None
    except ValueError:
        parser.error(f"--body {args.body}: give body numbers, e.g. 29,30")
    # Stopped by Ctrl-C or a plain kill, report what was measured (started in the background, a process
    # inherits SIGINT ignored, so the handler is set here).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    from app.render.showthrough import ShowThroughCounter
    from avatar.fitting import fit_avatar
    from garments.catalog import get_garment, load_catalog

    garments = ([get_garment(g) for g in args.garments.split(",")] if args.garments
                else [g for g in load_catalog() if g.source == "builtin"])
    views = ("front", "side", "back")
    rows = []  # (body, garment, size, recommended?, {view: (pixels, share)}, drape ms, any size fits?)
    fitted, refused = [], 0  # fitted: (sex, values)
    start = time.perf_counter()
    with ShowThroughCounter() as counter:
        try:
            for b, (sex, values) in enumerate(sample_bodies(args.bodies, args.spread, args.seed, args.full)):
                if b % parts != part - 1 or (only is not None and b + 1 > max(only)):
                    continue
                try:
                    avatar = fit_avatar(values, sex).avatar
                except Exception as exc:  # a widened sample outside the human range is refused by validation
                    refused += only is None or b + 1 in only
                    print(f"refused body {b + 1}: {exc}", file=sys.stderr)
                    continue
                if only is not None and b + 1 not in only:
                    continue  # fitted only: a fit starts from the recent ones', so the bodies come out as in the run
                rows += measure_body(counter, b, avatar, garments, views, args.recommended_only, args.pose)
                fitted.append((sex, values))
                print(f"body {b + 1}: {sex}, " + ", ".join(f"{k} {values[k]:.0f}" for k in DRAWN)
                      + f" ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
        except KeyboardInterrupt:  # a long run stopped by hand still reports the bodies it finished
            print(f"stopped after {len(fitted)} bodies", file=sys.stderr)
    seconds = time.perf_counter() - start
    if args.save:
        with open(args.save, "w", encoding="utf-8") as f:
            json.dump({"rows": rows, "bodies": fitted, "refused": refused, "spread": args.spread, "seed": args.seed,
                       "garments": [g.id for g in garments], "seconds": seconds}, f)
    return report(rows, fitted, refused, args.spread, args.seed, len(garments), seconds)


def report(rows: list[tuple], fitted: list[tuple], refused: int, spread: float, seed: int, n_garments: int,
           seconds: float) -> int:
    """Print the bodies' spread and the show-through tables of measured rows (see ``measure_body``)."""
    views = ("front", "side", "back")
    p = np.array([[survey_percentile(sex, k, values[k]) for k in ("chest_girth", "hip_girth")] for sex, values in fitted])
    chest = [v["chest_girth"] for _, v in fitted]
    hip = [v["hip_girth"] for _, v in fitted]
    print(f"bodies: {len(fitted)} ({sum(s == 'female' for s, _ in fitted)} women, "
          f"{sum(s == 'male' for s, _ in fitted)} men; {refused} refused), spread x{spread}, seed {seed}")
    print(f"chest {min(chest):.0f}-{max(chest):.0f} cm, hip {min(hip):.0f}-{max(hip):.0f} cm; "
          f"survey percentiles of chest {p[:, 0].min():.1f}-{p[:, 0].max():.1f}, hip {p[:, 1].min():.1f}-{p[:, 1].max():.1f}")
    print(f"garments: {n_garments}, drapes: {len(rows)} ({sum(r[3] for r in rows)} in the recommended size)")
    print()
    print(f"{'sizes':<12}{'view':<7}{'worst px':>9}{'p95 px':>8}{'worst share':>13}{'p95 share':>11}"
          f"{'over 0.2 %':>11}{'with any':>10}")
    for label, chosen in (("recommended", [r for r in rows if r[3]]), ("all", rows)):
        for view in views:
            px = np.array([r[4][view][0] for r in chosen])
            share = np.array([r[4][view][1] for r in chosen])
            print(f"{label:<12}{view:<7}{px.max():>9d}{np.percentile(px, 95):>8.0f}{100 * share.max():>12.3f}%"
                  f"{100 * np.percentile(share, 95):>10.3f}%{int((share > ANY_SIZE_MAX_SHARE).sum()):>11d}"
                  f"{int((px > 0).sum()):>10d}")
    bad = [r for r in rows if r[3] and sum(c[0] for c in r[4].values()) > RECOMMENDED_MAX_PIXELS]
    print(f"\nrecommended sizes with show-through: {len(bad)} of {sum(r[3] for r in rows)} "
          f"({sum(not r[6] for r in bad)} of them where no size fits and the advice says so)")
    for r in bad:
        print(f"  body {r[0] + 1} {r[1]}:{r[2]}: " + ", ".join(f"{v} {c[0]} px" for v, c in r[4].items())
              + ("" if r[6] else " (no size fits)"))
    over = [r for r in rows if max(c[1] for c in r[4].values()) > ANY_SIZE_MAX_SHARE]
    print(f"any size over {100 * ANY_SIZE_MAX_SHARE:.1f} % of the garment's pixels: {len(over)} of {len(rows)}")
    for r in over:
        print(f"  body {r[0] + 1} {r[1]}:{r[2]}: " + ", ".join(f"{v} {100 * c[1]:.2f} %" for v, c in r[4].items()))
    t = np.array([r[5] for r in rows])
    print(f"\ndrape time per garment: median {np.median(t):.0f} ms, p95 {np.percentile(t, 95):.0f} ms, "
          f"max {t.max():.0f} ms; whole run {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
