"""Frame times of the 3D view on this machine's OpenGL (Mesa llvmpipe here).

    uv run python bench/bench_render.py [--frames 20]

Prints a table: the first frame including renderer creation, then the median (and best) of
``--frames`` frames after warm-up for a full 1024x1280 frame of the avatar and two garments (without
MSAA, as drawn while turning, and with 4x MSAA, as drawn at rest) and for the half-size frame drawn
while dragging, with the CPU time each frame took over all threads. The garments come from ``garments.outfit``
when it can drape the catalog's first two garments, else they are stand-ins: the body's surface
offset outwards, subdivided to ~10k vertices each (what a draped garment costs to draw).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

from app.render import GarmentLayer, RenderRequest, RenderWorker, SceneContent
from app.render.constants import FAST_SAMPLES, FULL_SAMPLES
from avatar.avatar import reference_avatar


def stand_in_garment(avatar, name, y_range, offset_m, colour, target_vertices=10_000, seed=0):
    """A garment-like mesh: the skin between two heights, pushed out by ``offset_m`` and subdivided."""
    import trimesh

    v, f = avatar.vertices, avatar.body_faces
    keep = np.all((v[f, 1] > y_range[0]) & (v[f, 1] < y_range[1]), axis=1)
    mesh = trimesh.Trimesh(v, f[keep], process=False)
    mesh.remove_unreferenced_vertices()
    vertices, faces = mesh.vertices, mesh.faces
    while len(vertices) * 4 <= target_vertices * 1.5:
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
    normals = trimesh.Trimesh(vertices, faces, process=False).vertex_normals
    vertices = vertices + offset_m * normals
    rng = np.random.default_rng(seed)
    strain = np.clip(0.06 + 0.04 * np.sin(vertices[:, 1] * 25) + 0.01 * rng.standard_normal(len(vertices)), 0, None)
    return GarmentLayer(name, vertices, faces, colour, strain=strain)


def outfit(avatar, stand_ins: bool = False):
    """Two garments on ``avatar``: the catalog's first top and bottom draped, or stand-ins."""
    try:
        if stand_ins:
            raise ImportError("stand-ins asked for")
        from garments.catalog import BOTTOM_CATEGORIES, load_catalog
        from garments.outfit import drape_outfit
    except ImportError:
        pass
    else:
        try:
            from app.render.content import garment_from_drape, garment_srgb

            catalog = load_catalog()
            top = next(g for g in catalog if g.category in ("top", "shirt"))
            bottom = next(g for g in catalog if g.category in BOTTOM_CATEGORIES)
            chosen = [(g, g.size_names[len(g.size_names) // 2]) for g in (bottom, top)]
            results = drape_outfit(avatar, chosen)
            by_id = {g.id: g for g, _ in chosen}
            return [garment_from_drape(r, garment_srgb(by_id[r.garment_id]),
                                       stretch_limit=by_id[r.garment_id].stretch) for r in results], "catalog"
        except Exception as exc:  # the benchmark measures drawing; fall back to stand-ins
            print(f"(catalog garments unavailable: {exc}; using stand-ins)", file=sys.stderr)
    knee = avatar.joints["knee_l"][1]
    hip = avatar.joints["hip_l"][1]
    neck = avatar.joints["neck"][1]
    top = stand_in_garment(avatar, "top", (hip - 0.05, neck - 0.03), 0.012, (0.80, 0.30, 0.28))
    trousers = stand_in_garment(avatar, "trousers", (knee - 0.25, hip + 0.08), 0.008, (0.20, 0.27, 0.42), seed=1)
    return [top, trousers], "stand-in"


def timed(worker, content, camera, width, height, samples, frames):
    for _ in range(2):  # warm-up: shaders, framebuffers of this size
        worker.render_sync(RenderRequest(content, camera, width, height, samples=samples))
    times = []
    cpu_start = sum(os.times()[:2])
    for i in range(frames):
        request = RenderRequest(content, camera.turned(3.0 * i), width, height, samples=samples)
        start = time.perf_counter()
        worker.render_sync(request)
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (sum(os.times()[:2]) - cpu_start) / frames * 1000  # all threads (llvmpipe's too)
    return statistics.median(times), min(times), cpu_ms


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--stand-ins", action="store_true",
                        help="two ~10k-vertex stand-in garments instead of the draped catalog's (lighter) ones")
    args = parser.parse_args(argv)

    avatar = reference_avatar("female")
    garments, source = outfit(avatar, stand_ins=args.stand_ins)
    content = SceneContent.from_avatar(avatar, garments)
    n_garment = sum(len(g.vertices) for g in garments)
    camera = content.framed(1024 / 1280, "front")

    rows = []
    with RenderWorker() as worker:
        start = time.perf_counter()
        worker.render_sync(RenderRequest(content, camera, 1024, 1280, samples=FAST_SAMPLES))
        rows.append(("first frame, cold: GL context, shaders, upload", "1024x1280", "0",
                     (time.perf_counter() - start) * 1000, None, None))
        for label, (w, h), samples in (("full frame", (1024, 1280), FAST_SAMPLES),
                                       ("full frame (still picture)", (1024, 1280), FULL_SAMPLES),
                                       ("dragging frame", (512, 640), FAST_SAMPLES)):
            median, best, cpu = timed(worker, content, camera, w, h, samples, args.frames)
            rows.append((label, f"{w}x{h}", str(samples), median, best, cpu))
        uploads = worker.uploads
    with RenderWorker(warm=True) as worker:  # the app's worker compiles its shaders while the app starts
        worker.warmed.wait(60)
        start = time.perf_counter()
        worker.render_sync(RenderRequest(content, camera, 1024, 1280, samples=FAST_SAMPLES))
        rows.insert(1, ("first frame, warmed-up worker: upload + frame", "1024x1280", "0",
                        (time.perf_counter() - start) * 1000, None, None))

    from OpenGL import GL  # noqa: F401  (the renderer's name, for the record)

    print(f"avatar {len(content.body_vertices)} vertices + {len(garments)} {source} garments "
          f"({n_garment} vertices); {args.frames} frames after warm-up; mesh uploads: {uploads}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'frame':<46} {'size':>10} {'MSAA':>5} {'median ms':>10} {'best ms':>8} {'CPU ms':>7}")
    for label, size, samples, median, best, cpu in rows:
        print(f"{label:<46} {size:>10} {samples:>5} {median:>10.1f} {'' if best is None else f'{best:8.1f}'}"
              f" {'' if cpu is None else f'{cpu:7.1f}'}")
    print("CPU ms: process CPU time per frame over all threads (llvmpipe draws on every core); "
          "on a busy machine it shows the work a frame needs when the wall-clock figures cannot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
