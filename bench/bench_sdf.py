"""The body's distance field per new avatar, against its 300 ms target.

    uv run python bench/bench_sdf.py [--runs 3] [--save FIELDS.npz | --compare FIELDS.npz]

Builds ``garments.sdf.build_sdf`` uncached (what a new body costs) for both reference bodies and a heavy
body (chest 120, waist 110, hip 125 cm), ``--runs`` times each after one warm-up, and prints the median
wall and CPU time, the grid and how many grid points got exact values. On shared cores wall times are
upper bounds; the load average is printed.

``--save`` keeps the three fields' values; ``--compare`` checks another build's against them: the
largest difference where either reads under the band (where the drape uses the field) must stay within
``SAME_WITHIN_M``, else the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

TARGET_MS = 300
# Two builds give the same field when their values under the band differ by no more than this.
SAME_WITHIN_M = 1e-4


def _bodies():
    from avatar.avatar import reference_avatar
    from avatar.fitting import fit_avatar

    heavy = {"stature": 175, "chest_girth": 120, "waist_girth": 110, "hip_girth": 125}
    return [("female", reference_avatar("female")), ("male", reference_avatar("male")),
            ("heavy", fit_avatar(heavy, "male").avatar)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="builds measured per body")
    parser.add_argument("--save", help="keep the fields' values in this .npz")
    parser.add_argument("--compare", help="compare the fields' values with those kept in this .npz")
    args = parser.parse_args(argv)
    from garments.sdf import build_sdf

    rows, fields = [], {}
    for name, body in _bodies():
        build = lambda: build_sdf(body.vertices, body.faces, distance_faces=body.body_faces)  # noqa: E731
        field = build()  # warm-up: imports, first allocations
        wall, cpu = [], []
        for _ in range(args.runs):
            c0, t0 = time.process_time(), time.perf_counter()
            build()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        inner = int((np.abs(field.values) < field.band).sum())
        rows.append((name, field.shape, inner, statistics.median(wall), statistics.median(cpu)))
        fields[name] = field
    print(f"body distance field, median of {args.runs}, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print("| body | grid | points nearer than the band | wall | CPU | target | met |")
    print("|---|---|---|---|---|---|---|")
    for name, shape, inner, wall, cpu in rows:
        met = "yes" if wall <= TARGET_MS else "NO"
        print(f"| {name} | {'×'.join(map(str, shape))} | {inner:,} | {wall:.0f} ms | {cpu:.0f} ms | "
              f"{TARGET_MS} ms | {met} |")
    if args.save:
        np.savez_compressed(args.save, **{n: f.values for n, f in fields.items()},
                            **{f"{n}_origin": f.origin for n, f in fields.items()})
    status = 0
    if args.compare:
        kept = np.load(args.compare)
        for name, field in fields.items():
            old, new = kept[name], field.values
            if old.shape != new.shape or not np.allclose(kept[f"{name}_origin"], field.origin):
                print(f"{name}: another grid than the kept one")
                status = 1
                continue
            used = (np.abs(old) < field.band) | (np.abs(new) < field.band)
            worst = float(np.abs(old - new)[used].max())
            same = worst <= SAME_WITHIN_M
            status |= not same
            print(f"{name}: largest difference under the band {worst * 1000:.4f} mm over {int(used.sum()):,} "
                  f"grid points ({'same' if same else 'DIFFERENT'})")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
