"""Designers' garments: registration, placement and the drape of garments authored in other poses on another body.

Each garment is a shell made by ``designer_garments.authored_garment`` on the male reference body posed with the
rig (a tee with sleeves to the elbow in a T-pose, A-poses at 65, 45 and 30 degrees and the rest pose; trousers
straight and legs 20 degrees apart), lifted 30 cm off the floor and written as an OBJ in centimetres, Z up. It is
imported as unisex (registered on the female reference body), then draped on a slim and a heavy avatar.

    uv run python bench/bench_designer.py [--png DIR] [--garments tee-T,trousers,...] [FILE ...]

FILEs (for example MakeHuman's CC0 ``.mhclo`` clothes) are imported as a designer would, category inferred,
and draped and counted the same way (floating: sleeves and legs below mid-thigh).

Per garment: import time; arm or leg angle found against the authored one; registration error (the registered
body's elbows or knees against where the authoring body's were, carried by the same placement, cm); then per
avatar: show-through pixels from the front, side and back (``app.render.showthrough``), the share of cloth more
than 5 cm off the skin on the sleeves or legs (floating), max strain and drape time. ``--png`` also renders each
dressed avatar from the front, side and back (``fitting-room render``) for looking at.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from designer_garments import authored_garment, authored_joints  # noqa: E402

LIFT_M = 0.3
GARMENTS = (("tee-T", "tee", 90.0, None, "top"), ("tee-A65", "tee", 65.0, None, "top"),
            ("tee-A45", "tee", 45.0, None, "top"), ("tee-A30", "tee", 30.0, None, "top"),
            ("tee-rest", "tee", None, None, "top"), ("trousers", "trousers", None, None, "trousers"),
            ("trousers-apart", "trousers", None, 20.0, "trousers"))
AVATARS = (("slim", "female", {"stature": 168.0, "chest_girth": 80.0, "waist_girth": 62.0, "hip_girth": 88.0}),
           ("heavy", "female", {"stature": 165.0, "chest_girth": 120.0, "waist_girth": 108.0, "hip_girth": 124.0}))
FLOAT_M = 0.05  # the limit for cloth meant to be close (sleeves, trouser legs)
TARGETS = "targets: angle within 8 deg, registration error < 5 cm, show-through 0 px, floating < 5 %"


def write_obj_cm_zup(path: Path, v: np.ndarray, f: np.ndarray) -> None:
    import trimesh

    zup = np.stack([v[:, 0], -v[:, 2], v[:, 1]], axis=1) * 100.0
    trimesh.Trimesh(zup, f, process=False).export(path)


def limb_mask(v: np.ndarray, kind: str, avatar) -> np.ndarray:
    """Cloth meant to sit close: past the shoulders on a tee, below mid-thigh on trousers, both on an outfit."""
    j = avatar.joints
    sleeves = np.abs(v[:, 0]) > abs(float(j["shoulder_l"][0])) + 0.03
    legs = v[:, 1] < 0.5 * float(j["hip_l"][1] + j["knee_l"][1])
    return {"tee": sleeves, "trousers": legs}.get(kind, sleeves | legs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", type=Path, help="render every dressed avatar from 3 sides into this folder")
    parser.add_argument("--garments", help="only these, comma-separated (e.g. trousers,trousers-apart; none: no shells)")
    parser.add_argument("files", nargs="*", type=Path, help="garment files to import too (e.g. MakeHuman .mhclo)")
    args = parser.parse_args()
    only = set(args.garments.split(",")) if args.garments is not None else {g[0] for g in GARMENTS}
    home = Path(tempfile.mkdtemp(prefix="bench-designer-"))
    os.environ["FITTING_ROOM_HOME"] = str(home)

    from app.render.showthrough import ShowThroughCounter
    from avatar.fitting import fit_avatar
    from garments.import_options import ImportOptions
    from garments.importers import import_garment
    from garments.outfit import drape_garment
    from garments.placement import place_on_body
    from garments.registration import register_garment
    from garments.sdf import body_sdf

    avatars = [(label, fit_avatar(values, sex).avatar, values) for label, sex, values in AVATARS]
    rows = []

    def drape_rows(g, label: str, kind: str, head: tuple) -> None:
        for av_label, avatar, values in avatars:
            result = drape_garment(avatar, g, g.size_names[0])
            seen = counter.count_avatar(avatar, [result])[0]
            d = body_sdf(avatar).distance(result.vertices)
            close = limb_mask(result.vertices, kind, avatar)
            floating = float(np.mean(d[close] > FLOAT_M)) if close.any() else float("nan")
            rows.append((*head, av_label, {x.view: x.pixels for x in seen.views}, floating, result.max_strain,
                         result.drape_ms))
            if args.png:
                render_pngs(args.png, home, g.id, label, av_label, values)

    with ShowThroughCounter() as counter:
        for label, kind, arm, leg, category in (g for g in GARMENTS if g[0] in only):
            v, f = authored_garment(kind, arm, leg, lift_m=LIFT_M)
            path = home / f"{label}.obj"
            write_obj_cm_zup(path, v, f)
            start = time.perf_counter()
            g = import_garment(path, ImportOptions(category=category, price=10))
            import_s = time.perf_counter() - start
            reg = register_garment(v, f, category, "female", place_on_body=place_on_body)  # for its figures
            truth = authored_joints(arm, leg, lift_m=LIFT_M)
            names = ("elbow_l", "elbow_r") if kind == "tee" else ("knee_l", "knee_r")
            error = max(float(np.linalg.norm(truth[n] + reg.shift - reg.joints[n])) for n in names)
            found = reg.arm_deg.get("l") if kind == "tee" else reg.leg_deg.get("l")
            angle = arm if kind == "tee" else leg
            authored = "rest" if angle is None else f"{angle:.0f}"
            drape_rows(g, label, kind, (label, authored, found, error, import_s))
        for path in args.files:
            start = time.perf_counter()
            g = import_garment(path, ImportOptions(price=10))
            import_s = time.perf_counter() - start
            drape_rows(g, path.stem, "outfit", (path.stem[:19], "file", None, None, import_s))
    print(TARGETS)
    print(f"{'garment':<20}{'authored':>9}{'found':>7}{'reg err':>9}{'import':>8}  {'avatar':<7}"
          f"{'front':>6}{'side':>6}{'back':>6}{'floating':>10}{'strain':>8}{'drape':>8}")
    for label, authored, found, error, import_s, av, px, floating, strain, ms in rows:
        fd = "-" if found is None else f"{found:.1f}"
        err = "-" if error is None else f"{100 * error:.1f}cm"
        print(f"{label:<20}{authored:>9}{fd:>7}{err:>9}{import_s:>7.1f}s  {av:<7}"
              f"{px['front']:>6}{px['side']:>6}{px['back']:>6}{100 * floating:>9.1f}%{100 * strain:>7.0f}%{ms:>6.0f}ms")
    return 0


def render_pngs(folder: Path, home: Path, gid: str, label: str, av_label: str, values: dict) -> None:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    profile = home / f"{av_label}.json"
    profile.write_text(json.dumps({"sex": "female", "measurements": values}))
    for view in ("front", "side", "back"):
        subprocess.run([sys.executable, "-m", "app", "render", "--measurements", str(profile), "--garment", gid,
                        "--out", str(folder / f"{label}-{av_label}-{view}.png"), "--view", view],
                       check=False, env={**os.environ, "FITTING_ROOM_HOME": str(home)})


if __name__ == "__main__":
    raise SystemExit(main())
