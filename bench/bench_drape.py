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



def tube_garment(avatar, y_top: float, y_bottom: float, ease, *, around: int = 96, down: int = 40,
                 half_width: float = 0.26) -> tuple[np.ndarray, np.ndarray]:
    """A plain tube of cloth around a body between two heights: the simplest garment, for this benchmark.

    Each ring follows the convex outline of the body's cross-section (arms beyond ``half_width`` left out)
    pushed out by ``ease``; a negative ease makes a tube smaller than the body.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    y_top, y_bottom : float, metres above the floor
    ease : float or (down,) float, metres added to the outline's radius (per ring, top first)
    around, down : vertices per ring and number of rings

    Returns
    -------
    vertices : (around * down, 3) float, metres
    faces : (2 * around * (down - 1), 3) int; outward-facing
    """
    from scipy.spatial import ConvexHull

    skin = avatar.vertices[np.unique(avatar.body_faces)]
    heights = np.linspace(y_top, y_bottom, down)
    theta = np.linspace(0.0, 2.0 * np.pi, around, endpoint=False)
    rings = []
    for y in heights:
        sel = skin[(np.abs(skin[:, 1] - y) < 0.012) & (np.abs(skin[:, 0]) < half_width)]
        pts = sel[:, [0, 2]]
        centre = 0.5 * (pts.min(axis=0) + pts.max(axis=0))
        hull = pts[ConvexHull(pts).vertices] - centre
        ang = np.arctan2(hull[:, 1], hull[:, 0])
        order = np.argsort(ang)
        ang, rad = ang[order], np.linalg.norm(hull[order], axis=1)
        r = np.interp(theta, np.concatenate([ang - 2 * np.pi, ang, ang + 2 * np.pi]), np.tile(rad, 3))
        rings.append((centre, r))
    centres = np.array([c for c, _ in rings])
    radii = np.array([r for _, r in rings])
    # Cloth does not follow every dip of the body: smooth the outline down the tube.
    kernel = np.array([1.0, 2.0, 3.0, 2.0, 1.0]) / 9.0
    padded = np.pad(radii, ((2, 2), (0, 0)), mode="edge")
    radii = sum(kernel[i] * padded[i:i + down] for i in range(5))
    radii = np.maximum(radii + np.broadcast_to(np.asarray(ease, float), (down,))[:, None], 0.02)
    x = centres[:, 0:1] + radii * np.cos(theta)[None, :]
    z = centres[:, 1:2] + radii * np.sin(theta)[None, :]
    y = np.repeat(heights[:, None], around, axis=1)
    vertices = np.stack([x, y, z], axis=2).reshape(-1, 3)
    i = np.arange(down - 1)[:, None] * around
    j = np.arange(around)[None, :]
    a = (i + j).reshape(-1)
    b = (i + (j + 1) % around).reshape(-1)
    c = a + around
    d = b + around
    faces = np.concatenate([np.stack([a, b, c], axis=1), np.stack([b, d, c], axis=1)])
    return vertices, faces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar, reference_avatar
    from garments.cloth_model import build_cloth_model
    from garments.drape import relax
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
