"""Drape speed of a 12k-vertex imported garment, against the targets.

The built-in crew-neck T-shirt subdivided once (12,892 vertices) is imported like a designer's GLB into a
temporary catalog, then draped: on a first new avatar (binding to the reference body's surface and cloth
model made), then on a second new avatar (both reused: the warm drape). ``drape_ms`` is the transfer and
relaxation; "wall" adds the fit zones, strain and penetration of ``drape_garment``. The command line is run
twice in new processes (with bytecode written, as an installed app has it) and both are reported, wall
and CPU (the child's user and system time).

    uv run python bench/bench_import_drape.py
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_DRAPE_MS = 300.0
TARGET_COMMAND_S = 2.0


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-import-drape-"))
    os.environ["FITTING_ROOM_HOME"] = str(home)
    import trimesh

    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar
    from garments.import_options import ImportOptions
    from garments.importers import import_garment
    from garments.outfit import drape_garment
    from garments.sdf import body_sdf

    tee = trimesh.load(ROOT / "assets" / "garments" / "crew-tee" / "M.glb", force="mesh", process=False)
    v, f = trimesh.remesh.subdivide(tee.vertices, tee.faces)
    path = home / "tee-12k.glb"
    trimesh.Trimesh(v, f, process=False).export(path)
    start = time.perf_counter()
    g = import_garment(path, ImportOptions(category="top", price=10))
    import_s = time.perf_counter() - start
    rows = []
    for label, weight in (("first new avatar", 0.6), ("second new avatar (warm)", 0.4)):
        avatar = make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=weight), sex="female")
        sdf = body_sdf(avatar)
        start, cpu = time.perf_counter(), time.process_time()
        r = drape_garment(avatar, g, "M", sdf=sdf)
        rows.append((label, r.drape_ms, (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000,
                     r.max_strain))
    profile = home / "body.json"
    profile.write_text(json.dumps({"schema_version": 1, "sex": "female", "measurements": {"stature": 166}}))
    command = [sys.executable, "-m", "app", "drape", "--measurements", str(profile), "--garment", f"{g.id}:M",
               "--out", str(home / "scene.glb")]
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its bytecode
    times, cpus = [], []
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"garment: {len(v):,} vertices, import {import_s:.1f} s")
    print(f"{'drape':<28} {'drape ms':>9} {'wall ms':>8} {'cpu ms':>7} {'target ms':>10} {'max strain':>11} {'met':>4}")
    for label, ms, wall, cpu_ms, strain in rows:
        warm = "warm" in label
        target = f"{TARGET_DRAPE_MS:.0f}" if warm else "-"
        met = ("yes" if ms <= TARGET_DRAPE_MS else "no") if warm else ""
        print(f"{label:<28} {ms:>9.0f} {wall:>8.0f} {cpu_ms:>7.0f} {target:>10} {strain:>11.2f} {met:>4}")
    for label, wall, cpu_s in zip(("command, first", "command, second"), times, cpus):
        met = ("yes" if cpu_s <= TARGET_COMMAND_S else "no") if "second" in label else ""
        print(f"{label:<28} {'':>9} {wall * 1000:>8.0f} {cpu_s * 1000:>7.0f} {TARGET_COMMAND_S * 1000:>10.0f} "
              f"{'':>11} {met:>4}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
