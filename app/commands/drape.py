"""``fitting-room drape``: dress an avatar in garments and write the scene (and a fit report).

    fitting-room drape (--measurements FILE | --avatar BODY.glb) --garment ID[:SIZE][@COLOUR] [--garment ...]
                       --out SCENE.glb [--report REPORT.json] [--pose NAME]
"""

from __future__ import annotations

from pathlib import Path

from app.posing import add_pose_argument, pose_dressed, pose_report
from app.inputs import avatar_from_measurement_file, resolve_colours, resolve_garments
from app.progress import TerminalProgress
from avatar.errors import UserError


class DrapeCommandError(UserError):
    """Bad arguments for ``fitting-room drape``."""


def register(sub) -> None:
    p = sub.add_parser("drape", help="dress an avatar in garments and write a GLB scene and a fit report",
                       description="Drape garments on an avatar (inner to outer) and write SCENE.glb with a node "
                                   "'body' and one node per garment id; without :SIZE the recommended size.")
    body = p.add_mutually_exclusive_group(required=True)
    body.add_argument("--measurements", type=Path, metavar="FILE", help="a JSON profile or measurement file")
    body.add_argument("--avatar", type=Path, metavar="BODY.glb", help="a body written by 'fitting-room avatar'")
    p.add_argument("--garment", action="append", required=True, metavar="ID[:SIZE][@COLOUR]",
                   help="a catalog garment, optionally in a size and a colourway (repeat for an outfit; each "
                        "garment once)")
    p.add_argument("--out", type=Path, required=True, metavar="SCENE.glb", help="the scene to write (.glb)")
    p.add_argument("--report", type=Path, metavar="REPORT.json", help="also write a fit report")
    add_pose_argument(p)
    p.set_defaults(func=run)


def check_outputs(out: Path, report: Path | None) -> None:
    """Refuse output paths that cannot be written as asked, before any work is done."""
    if out.suffix.lower() != ".glb":
        raise DrapeCommandError(f"--out {out}: the scene is written as GLB; give a file name ending in .glb")
    for flag, target in (("--out", out), ("--report", report)):
        if target is None:
            continue
        if target.is_dir():
            raise DrapeCommandError(f"{flag} {target} is a folder; give a file path")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise DrapeCommandError(f"{flag} {target}: folder {parent} does not exist; create it first")


def check_unique(items) -> None:
    """Refuse a garment given twice: the scene names one node per garment id."""
    seen = set()
    for garment, _size in items:
        if garment.id in seen:
            raise DrapeCommandError(f"--garment {garment.id} is given twice; give each garment once "
                                    "(drape other sizes in separate runs)")
        seen.add(garment.id)


def garment_report(avatar, garment, result, fit) -> dict:
    """One garment's entry of REPORT.json (see docs/fit.md).

    Every fit figure is read from ``fit`` (``garments.fit_report.FitReport``, with the drape's worn strain):
    ``zones`` is the draped size's finished ease per zone (cm), ``fit`` the same zones with the stretch they
    need, the worn strain and the verdict, ``reasons`` and ``between`` the size advice quoting those figures,
    ``size_probabilities`` the chance each size (and ``none``) is the one that fits. ``worn_ease_cm`` is the
    draped cloth's girth minus the body's per zone, as worn (the solver keeps cloth outside the body, so it is
    not a measure of fit).
    """
    from garments.catalog import rest_mesh
    from garments.fit import draped_zone_ease

    worn = draped_zone_ease(avatar, result.vertices, rest_mesh(garment, result.size).zones, faces=result.faces)
    worn.pop("length", None)
    data = fit.to_json(result.size)
    return {
        "id": result.garment_id, "size": result.size, "drape_ms": round(result.drape_ms, 1),
        "penetration": {k: round(v, 4) for k, v in result.penetration.items()},
        "max_strain": round(result.max_strain, 4),
        "zones": fit.per_size[result.size],
        "fit": data["sizes"][result.size],
        "recommended_size": fit.recommended, "fits": fit.fits, "reasons": list(fit.reasons),
        "between": fit.between, "size_probabilities": data["size_probabilities"],
        "uncertainty_cm": data["uncertainty_cm"], "worn_ease_cm": worn,
    }


def run(args) -> int:
    import json

    from avatar.storage import atomic_write_json
    from garments.field_store import stored_body_sdf
    from garments.fit_report import fit_report
    from garments.outfit import drape_outfit
    from garments.scene import write_scene

    check_outputs(args.out, args.report)
    items = resolve_garments(args.garment)
    check_unique(items)
    chosen = resolve_colours(args.garment, items)
    typed = None  # an avatar file's girths are its own; a measurement file's untyped ones were filled in
    with TerminalProgress() as bar:
        if args.measurements is not None:
            from avatar.measurements import read_measurement_file

            avatar = avatar_from_measurement_file(args.measurements, lambda f, m: bar(0.3 * f, m), "drape")
            typed = read_measurement_file(args.measurements)[0][0].values
        else:
            from avatar.export import avatar_from_file

            avatar = avatar_from_file(args.avatar)
        advice = {g.id: fit_report(avatar, g, typed=typed) for g, _ in items}
        items = [(g, size or advice[g.id].recommended) for g, size in items]
        stored_body_sdf(avatar)  # a body dressed before by a command: its field is read back, not built
        results = drape_outfit(avatar, items, progress=lambda f, m: bar(0.3 + 0.7 * f, m))
    from avatar.colour import srgb_to_linear

    from garments.textures import colourway, colourway_print

    colours, prints = {}, {}  # glTF's colours are linear
    for g, _ in items:
        if g.colours:
            colours[g.id] = tuple(srgb_to_linear(colourway(g, chosen.get(g.id, "")).rgb))
        factor, texture = colourway_print(g, chosen.get(g.id, ""))
        if texture is not None:
            prints[g.id] = (tuple(srgb_to_linear(factor)), texture)
    garments = {g.id: g for g, _ in items}
    posed_avatar, posed = pose_dressed(avatar, results, args.pose, garments)
    write_scene(args.out, posed_avatar, posed, colours, prints)
    if args.report is not None:
        report = {"garments": [garment_report(avatar, garments[r.garment_id], r,
                                              fit_report(avatar, garments[r.garment_id], drape=r, typed=typed))
                               for r in results]}
        pose_report(avatar, results, garments, report["garments"])
        atomic_write_json(args.report, json.loads(json.dumps(report)))
    return 0
