"""``fitting-room drape``: dress an avatar in garments and write the scene (and a fit report).

    fitting-room drape (--measurements FILE | --avatar BODY.glb) --garment ID[:SIZE] [--garment ...]
                       --out SCENE.glb [--report REPORT.json]
"""

from __future__ import annotations

from pathlib import Path

from app.inputs import avatar_from_measurement_file, resolve_garments
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
    p.add_argument("--garment", action="append", required=True, metavar="ID[:SIZE]",
                   help="a catalog garment, optionally in a size (repeat for an outfit)")
    p.add_argument("--out", type=Path, required=True, metavar="SCENE.glb", help="the scene to write")
    p.add_argument("--report", type=Path, metavar="REPORT.json", help="also write a fit report")
    p.set_defaults(func=run)


def run(args) -> int:
    import json

    from avatar.storage import atomic_write_json
    from garments.fit import recommend_size
    from garments.outfit import drape_outfit
    from garments.scene import write_scene

    items = resolve_garments(args.garment)
    for target in (args.out, args.report):
        if target is not None and target.exists() and target.is_dir():
            raise DrapeCommandError(f"{target} is a folder; give a file path")
    with TerminalProgress() as bar:
        if args.measurements is not None:
            avatar = avatar_from_measurement_file(args.measurements, lambda f, m: bar(0.3 * f, m), "drape")
        else:
            from avatar.export import avatar_from_file

            avatar = avatar_from_file(args.avatar)
        advice = {g.id: recommend_size(avatar, g) for g, _ in items}
        items = [(g, size or advice[g.id].recommended) for g, size in items]
        results = drape_outfit(avatar, items, progress=lambda f, m: bar(0.3 + 0.7 * f, m))
    colours = {g.id: g.colours[0].rgb for g, _ in items if getattr(g, "colours", None)}
    write_scene(args.out, avatar, results, colours)
    if args.report is not None:
        report = {"garments": [{
            "id": r.garment_id, "size": r.size, "drape_ms": round(r.drape_ms, 1),
            "penetration": {k: round(v, 4) for k, v in r.penetration.items()},
            "max_strain": round(r.max_strain, 4), "zones": r.zones,
            "recommended_size": advice[r.garment_id].recommended, "reasons": advice[r.garment_id].reasons,
        } for r in results]}
        atomic_write_json(args.report, json.loads(json.dumps(report)))
    return 0
