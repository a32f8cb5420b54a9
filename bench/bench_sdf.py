"""The body's distance field per new avatar, against its 300 ms target.

    uv run python bench/bench_sdf.py [--runs 3]

Builds ``garments.sdf.build_sdf`` uncached (what a new body costs) for both reference bodies, ``--runs``
times each after one warm-up, and prints the median wall and CPU time, the grid and how many grid
points got exact values. On shared cores wall times are upper bounds; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

TARGET_MS = 300


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="builds measured per body")
    args = parser.parse_args(argv)
    from avatar.avatar import reference_avatar
    from garments.sdf import build_sdf

    rows = []
    for sex in ("female", "male"):
        body = reference_avatar(sex)
        build = lambda: build_sdf(body.vertices, body.faces, distance_faces=body.body_faces)  # noqa: E731
        field = build()  # warm-up: imports, first allocations
        wall, cpu = [], []
        for _ in range(args.runs):
            c0, t0 = time.process_time(), time.perf_counter()
            build()
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        inner = int((np.abs(field.values) < field.band).sum())
        rows.append((sex, field.shape, inner, statistics.median(wall), statistics.median(cpu)))
    print(f"body distance field, median of {args.runs}, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print("| body | grid | points nearer than the band | wall | CPU | target | met |")
    print("|---|---|---|---|---|---|---|")
    for sex, shape, inner, wall, cpu in rows:
        met = "yes" if wall <= TARGET_MS else "NO"
        print(f"| {sex} | {'×'.join(map(str, shape))} | {inner:,} | {wall:.0f} ms | {cpu:.0f} ms | "
              f"{TARGET_MS} ms | {met} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
