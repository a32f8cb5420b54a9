"""The built-in catalog, made from pattern-like parameters around the reference bodies.

``PATTERNS`` lists the garments; ``garments.patterns_make`` cuts each from the reference body's
skin, eases it out and finishes its edges (hems, neckbands, collars, cuffs, waistbands). The
middle size is written as a mesh and the other sizes as grading rules (or, for some garments,
meshes of their own); finished measurements are measured on each size's mesh.

Regenerate the catalog with::

    uv run python -m garments.generator [--out assets/garments]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np

from . import dress_form as pt
from .catalog import reference_sex
from .catalog_entry import write_entry_file
from .constants import CATALOG_SCHEMA_PLAIN
from .easing import radial
from .making_constants import TAU
from .pattern import Pattern
from .patterns_make import build

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets" / "garments"
# Rest meshes with fewer vertices than this are subdivided once (the draper needs ~1-2 cm edges).
MIN_VERTICES = 2500


def _f(*parts):
    return tuple({"name": n, "rgb": list(rgb)} for n, rgb in parts)


PATTERNS = (
    Pattern(
        id="crew-tee", name="Crew-neck T-shirt", category="top", kind="top", fits="unisex", price=19.95,
        sku="TEE-CRW", colours=_f(("white", (0.94, 0.94, 0.92)), ("black", (0.08, 0.08, 0.09)),
                                  ("heather grey", (0.6, 0.6, 0.62)), ("navy", (0.12, 0.16, 0.32))),
        stretch=0.06, layer=2, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=1.5, ease={"chest": 10.0, "waist": 10.0, "hip": 6.0, "shoulder": 2.5},
        hem=("hip", 0.02), sleeve=0.17, sleeve_open_cm=9.0, hang=1.0, neck="crew", neck_open=0.018,
        neck_drop=0.01),
    Pattern(
        id="oxford-shirt", name="Oxford long-sleeve shirt", category="shirt", kind="top", fits="male",
        price=49.90, sku="SHT-OXF", colours=_f(("white", (0.95, 0.95, 0.96)), ("light blue", (0.62, 0.75, 0.9)),
                                                ("pink", (0.93, 0.72, 0.76))),
        stretch=0.02, layer=2, sizes=("S", "M", "L", "XL", "XXL"), base_size="M", grade_circ_cm=6.0,
        grade_len_cm=1.5, ease={"chest": 14.0, "waist": 16.0, "hip": 8.0, "shoulder": 2.5},
        hem=("crotch", 0.05), sleeve=0.58, sleeve_open_cm=8.0, hang=0.9, neck="collar", neck_open=0.012),
    Pattern(
        id="slim-chino", name="Slim chino trousers", category="trousers", kind="bottom", fits="male",
        price=59.90, sku="TRS-CHN", colours=_f(("khaki", (0.76, 0.68, 0.5)), ("navy", (0.13, 0.17, 0.3)),
                                                ("olive", (0.38, 0.4, 0.24)), ("black", (0.09, 0.09, 0.1))),
        stretch=0.03, layer=1, sizes=("46", "48", "50", "52", "54"), base_size="50", grade_circ_cm=4.0,
        grade_len_cm=0.8, ease={"waist": 3.0, "hip": 8.0, "thigh": 11.0}, top=("waist", -0.05),
        hem=("ankle", 0.03), leg_hang=1.0, hem_open_cm=40.0),
    Pattern(
        id="cotton-shorts", name="Cotton shorts", category="shorts", kind="bottom", fits="unisex",
        price=29.95, sku="SHO-CTN", colours=_f(("sand", (0.84, 0.77, 0.62)), ("denim", (0.28, 0.38, 0.56)),
                                                ("white", (0.93, 0.93, 0.9))),
        stretch=0.03, layer=1, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=0.8, ease={"waist": 3.0, "hip": 8.0, "thigh": 12.0}, top=("waist", -0.07),
        hem=("knee", 0.16), leg_hang=1.0, hem_open_cm=0.0),
    Pattern(
        id="a-line-skirt", name="A-line midi skirt", category="skirt", kind="skirt", fits="female",
        price=39.95, sku="SKT-ALN", colours=_f(("black", (0.07, 0.07, 0.08)), ("burgundy", (0.45, 0.1, 0.16)),
                                                ("camel", (0.72, 0.56, 0.36))),
        stretch=0.02, layer=1, sizes=("34", "36", "38", "40", "42"), base_size="38", grade_circ_cm=5.0,
        grade_len_cm=0.8, ease={"waist": 2.0, "hip": 6.0}, top=("waist", -0.02), hem=("knee", -0.12),
        flare=0.32),
    Pattern(
        id="shift-dress", name="Sleeveless A-line dress", category="dress", kind="dress", fits="female",
        price=69.90, sku="DRS-ALN", colours=_f(("emerald", (0.06, 0.45, 0.33)), ("navy", (0.1, 0.14, 0.3)),
                                                ("coral", (0.94, 0.5, 0.42)), ("black", (0.07, 0.07, 0.08))),
        stretch=0.04, layer=2, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=1.2, ease={"chest": 7.0, "waist": 8.0, "hip": 7.0, "shoulder": 1.2},
        hem=("knee", 0.04), hang=0.45, neck="scoop", neck_open=0.025, neck_drop=0.07, flare=0.22,
        armhole=0.075),
    Pattern(
        id="field-jacket", name="Field jacket", category="outerwear", kind="top", fits="male", price=129.00,
        sku="JKT-FLD", colours=_f(("olive", (0.33, 0.36, 0.22)), ("navy", (0.1, 0.13, 0.25)),
                                  ("stone", (0.7, 0.66, 0.58))),
        stretch=0.01, layer=3, sizes=("S", "M", "L", "XL", "XXL"), base_size="M", grade_circ_cm=6.0,
        grade_len_cm=1.5, ease={"chest": 24.0, "waist": 26.0, "hip": 16.0, "shoulder": 5.0},
        hem=("crotch", 0.04), sleeve=0.6, sleeve_open_cm=16.0, hang=1.0, neck="collar", neck_open=0.022,
        hem_width=0.04),
    Pattern(
        id="studio-leggings", name="Studio leggings", category="leggings", kind="bottom", fits="female",
        price=34.95, sku="LEG-STU", colours=_f(("black", (0.05, 0.05, 0.06)), ("charcoal", (0.22, 0.22, 0.24)),
                                                ("plum", (0.35, 0.16, 0.3))),
        stretch=0.30, layer=0, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=0.8, ease={"waist": 1.0, "hip": 1.5, "thigh": 1.5}, top=("waist", -0.04),
        hem=("ankle", 0.04), leg_hang=0.0, waistband=0.06, hem_width=0.015),
)


# ---------------------------------------------------------------- catalog files

MAIN_GIRTH = {"top": "chest", "dress": "chest", "bottom": "hip", "skirt": "hip"}


def cylinder_uv(form: pt.BodyForm, v: np.ndarray) -> np.ndarray:
    """Simple texture coordinates: angle around the torso and height, (N, 2) in 0-1 (u) and metres/2 (v)."""
    theta, _, _ = radial(form, v)
    return np.stack([(theta + np.pi) / TAU, v[:, 1] / 2.0], axis=1)


def grade_for(p: Pattern, steps: int, v: np.ndarray, form: pt.BodyForm, base_finished: dict) -> dict:
    """Grading rule ``steps`` sizes away from the base size: circumference and length scale factors."""
    girth = base_finished.get(MAIN_GIRTH[p.kind]) or base_finished.get("waist") or 100.0
    length = base_finished["length"]
    s_c = 1.0 + steps * p.grade_circ_cm / girth
    s_l = 1.0 + steps * p.grade_len_cm / length
    anchor_y = float(v[:, 1].max())
    anchor_z = float(form.centre_at(form.levels["chest" if p.kind in ("top", "dress") else "hip"]))
    return {"from": p.base_size, "scale": [round(s_c, 5), round(s_l, 5), round(s_c, 5)],
            "anchor": [0.0, round(anchor_y, 5), round(anchor_z, 5)]}


# Graded sleeves: from this far outside the shoulder joint (metres along x; the torso's sides stay inside it
# and take the full grade) the grade fades out over SLEEVE_BLEND_M, so a sleeve keeps the base size's
# position on the arm and its cuff stays above the wrist (scaling a whole top about the chest would carry
# the sleeves outwards along the arm, into the hands).
SLEEVE_BLEND_OUTSIDE_M = 0.01
SLEEVE_BLEND_M = 0.07


def grade_sleeved(v: np.ndarray, grade: dict, form: pt.BodyForm) -> np.ndarray:
    """A graded top whose sleeves stay where the base size's are, (N, 3) metres.

    The torso takes the grade's scaling; past the shoulder joints the vertices blend (smoothstep in |x|)
    back to the base size, so only the armhole region absorbs the larger or smaller body.
    """
    from .catalog import apply_grade

    graded = apply_grade(v, grade)
    xs = abs(float(form.joints["shoulder_l"][0]))
    t = np.clip((np.abs(v[:, 0]) - (xs + SLEEVE_BLEND_OUTSIDE_M)) / SLEEVE_BLEND_M, 0.0, 1.0)
    w = (t * t * (3.0 - 2.0 * t))[:, None]
    return (1.0 - w) * graded + w * v


# Graded legs: below the crotch the grade's girth blends (over LEG_BLEND_M, smoothstep) from scaling about
# the body's centre to scaling about each leg's own axis (hip, knee and ankle joints); lengths grade as
# before. Scaling a pair of leggings about the centre carried the legs sideways into the thighs and ankles.
LEG_BLEND_M = 0.06


def grade_legged(v: np.ndarray, grade: dict, form: pt.BodyForm) -> np.ndarray:
    """A graded pair of trousers, shorts or leggings whose legs grow about their own axes, (N, 3) metres."""
    from .catalog import apply_grade

    graded = apply_grade(v, grade)
    s_c = grade["scale"][0]
    crotch = form.levels["crotch"]
    joints = form.joints
    legs = np.empty_like(v)
    for side, sign in (("l", 1.0), ("r", -1.0)):
        axis = np.array([joints[f"hip_{side}"], joints[f"knee_{side}"], joints[f"ankle_{side}"]])[::-1]
        mine = v[:, 0] >= 0 if sign > 0 else v[:, 0] < 0
        y = v[mine, 1]
        centre = np.stack([np.interp(y, axis[:, 1], axis[:, 0]), np.interp(y, axis[:, 1], axis[:, 2])], axis=1)
        legs[mine, 0] = centre[:, 0] + (v[mine, 0] - centre[:, 0]) * s_c
        legs[mine, 2] = centre[:, 1] + (v[mine, 2] - centre[:, 1]) * s_c
    legs[:, 1] = graded[:, 1]  # lengths grade as before
    t = np.clip((crotch + 0.02 - v[:, 1]) / LEG_BLEND_M, 0.0, 1.0)
    w = (t * t * (3.0 - 2.0 * t))[:, None]
    return (1.0 - w) * graded + w * legs


def write_garment(p: Pattern, out_dir: Path, per_size_meshes: bool = False) -> dict:
    """Build one pattern and write its catalog folder; returns the garment.json content."""
    from .catalog import apply_grade
    from .mesh_files import write_mesh_file

    form = pt.body_form(reference_sex(p.fits))
    v, f = build(p)
    if len(v) < MIN_VERTICES:  # enough cloth resolution to drape and fold
        import trimesh

        v, f = trimesh.remesh.subdivide(v, f)
    uv = cylinder_uv(form, v)
    folder = out_dir / p.id
    tmp = out_dir / f".{p.id}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    base_file = f"{p.base_size}.glb"
    write_mesh_file(tmp / base_file, v, f, uv)
    base_finished = pt.finished_measurements(v, f, p.category, form)
    base_index = p.sizes.index(p.base_size)
    sizes = []
    for i, name in enumerate(p.sizes):
        entry = {"name": name, "sku": f"{p.sku}-{name}"}
        if name == p.base_size:
            entry["finished"] = base_finished
            entry["mesh"] = base_file
        else:
            grade = grade_for(p, i - base_index, v, form, base_finished)
            sleeved, legged = p.sleeve > 0, p.kind == "bottom"
            if sleeved:
                gv = grade_sleeved(v, grade, form)
            elif legged:
                gv = grade_legged(v, grade, form)
            else:
                gv = apply_grade(v, grade)
            entry["finished"] = pt.finished_measurements(gv, f, p.category, form)
            if per_size_meshes or sleeved or legged:  # a grading rule cannot hold sleeves or legs: own mesh  # a size with its own mesh file (the format allows both)
                write_mesh_file(tmp / f"{name}.glb", gv, f, uv)
                entry["mesh"] = f"{name}.glb"
            else:
                entry["grade"] = grade
        sizes.append(entry)
    data = {
        "schema_version": CATALOG_SCHEMA_PLAIN, "id": p.id, "name": p.name, "category": p.category,
        "fits": p.fits, "price": p.price, "currency": "EUR", "stretch": p.stretch, "layer": p.layer,
        "colours": list(p.colours), "sizes": sizes,
    }
    write_entry_file(tmp, data)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return data


# Garments whose sizes are written as separate mesh files instead of grading rules.
PER_SIZE_MESHES = ("slim-chino",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the built-in garment catalog.")
    parser.add_argument("--out", type=Path, default=ASSETS_DIR)
    parser.add_argument("ids", nargs="*", help="only these garments")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for p in PATTERNS:
        if args.ids and p.id not in args.ids:
            continue
        data = write_garment(p, args.out, per_size_meshes=p.id in PER_SIZE_MESHES)
        print(p.id, ", ".join(f"{s['name']}: {s['finished']}" for s in data["sizes"][:1]), "...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
