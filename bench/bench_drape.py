"""Drape speed against garment size: a skirt-like tube around the reference body at 2.5k-20k vertices.

Prints, per size, the one-off preparation (constraints and coarse space, cached per garment size), the
median time of a drape (transfer to a different body + relaxation) and that time per 1,000 vertices, which
stays about flat when the time grows linearly; "cpu" is the processor time of this process, which is what
the wall time comes to on an otherwise idle machine. The body's distance field is built once per avatar
and reported on its own line.

    uv run python bench/bench_drape.py [--runs 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar, reference_avatar
    from garments.drape import build_cloth_model, relax, tube_garment
    from garments.sdf import body_sdf
    from garments.transfer import transfer_vertices

    reference = reference_avatar("female")
    target = make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=0.6), sex="female")
    start = time.perf_counter()
    sdf = body_sdf(target)
    print(f"body distance field (once per avatar): {(time.perf_counter() - start) * 1000:.0f} ms, grid {sdf.shape}")
    print(f"{'vertices':>9} {'prepare ms':>11} {'drape ms':>9} {'ms / 1k':>8} {'cpu ms':>7} {'cpu / 1k':>9} "
          f"{'max strain':>11}")
    for around, down in ((80, 32), (112, 45), (160, 64), (226, 90)):
        rings = np.linspace(0.0, 1.0, down)
        ease = np.where(rings < 0.05, -0.005, 0.01 + 0.06 * rings ** 2)  # tight waistband, flared hem
        vertices, faces = tube_garment(reference, 1.06, 0.55, ease, around=around, down=down)
        start = time.perf_counter()
        model = build_cloth_model(vertices, faces, stretch=0.03)
        prepare = (time.perf_counter() - start) * 1000
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            placed = transfer_vertices(vertices, model.edges, reference, target)
            draped = relax(model, placed, sdf)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        length = np.linalg.norm(draped[model.edges[:, 0]] - draped[model.edges[:, 1]], axis=1)
        strain = float((length / model.rest_edge_lengths - 1).max())
        ms, cms = float(np.median(times)), float(np.median(cpu))
        k = len(vertices) / 1000
        print(f"{len(vertices):>9} {prepare:>11.0f} {ms:>9.0f} {ms / k:>8.1f} {cms:>7.0f} {cms / k:>9.1f} {strain:>11.3f}")


if __name__ == "__main__":
    main()
