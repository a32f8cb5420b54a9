"""``fitting-room avatar``: build avatars from measurement files."""

from __future__ import annotations

import sys
from pathlib import Path

from app.progress import TerminalProgress


def register(sub) -> None:
    parser = sub.add_parser(
        "avatar", help="build avatar meshes from measurements",
        description="Build an avatar from a JSON profile (PATH is the .glb/.obj file) or a CSV with one body "
                    "per row (PATH is a directory; each body is written to PATH/<id>.glb).")
    parser.add_argument("--measurements", required=True, type=Path, metavar="FILE",
                        help="JSON profile, or CSV whose header holds measurement names plus optional id and sex")
    parser.add_argument("--out", required=True, type=Path, metavar="PATH", help="output file (JSON) or directory (CSV)")
    parser.add_argument("--report", type=Path, metavar="REPORT.json", help="write requested and achieved values")
    parser.add_argument("--units", choices=("cm", "in"), default="cm", help="units of the input values (default cm)")
    parser.add_argument("--sex", choices=("female", "male"), help="sex for every body without its own")
    parser.set_defaults(func=run)


def _check_out(path: Path, kind: str) -> None:
    from avatar.errors import AvatarError

    if kind == "json":
        if path.suffix.lower() not in (".glb", ".obj"):
            raise AvatarError(f"--out {path}: give a file name ending in .glb or .obj")
        if not path.parent.exists() and str(path.parent) != "":
            raise AvatarError(f"--out {path}: folder {path.parent} does not exist; create it first")
        if path.is_dir():
            raise AvatarError(f"--out {path} is a folder; give a .glb or .obj file name for a JSON profile")
    elif (path.exists() and not path.is_dir()) or path.suffix.lower() in (".glb", ".obj"):
        raise AvatarError(f"--out {path}: with a CSV give a directory; one <id>.glb per body goes in it")


def run(args) -> int:
    from avatar.errors import AvatarError, UserError
    from avatar.export import export_avatar
    from avatar.fitting import fit_avatar
    from avatar.measurements import read_measurement_file
    from avatar.storage import atomic_write_json

    records, kind = read_measurement_file(args.measurements, units=args.units)
    _check_out(args.out, kind)
    if args.report is not None and args.report.is_dir():
        raise AvatarError(f"--report {args.report} is a folder; give a .json file name")
    if args.report is not None and str(args.report.parent) and not args.report.parent.is_dir():
        raise AvatarError(f"--report {args.report}: folder {args.report.parent} does not exist; create it first")
    if args.sex is not None:
        differing = [r.id for r in records if r.sex is not None and r.sex != args.sex]
        if differing:
            print(f"warning: --sex {args.sex} is not used for {', '.join(differing[:5])}"
                  f"{' and others' if len(differing) > 5 else ''}: the file gives their sex", file=sys.stderr)
    if kind == "csv":
        args.out.mkdir(parents=True, exist_ok=True)
    bodies = []
    failures = 0
    with TerminalProgress() as bar:
        for i, record in enumerate(records):
            share = 1.0 / len(records)

            def progress(f, message, i=i):
                bar(i * share + f * share, f"{record.id}: {message}" if len(records) > 1 else message)

            out = args.out / f"{record.id}.glb" if kind == "csv" else args.out
            try:
                result = fit_avatar(record.values, record.sex or args.sex, progress=progress)
                export_avatar(result.avatar, out)
            except (UserError, KeyboardInterrupt):
                raise
            except Exception as exc:  # one body failing must not lose the others of a batch
                if kind == "json":
                    raise
                failures += 1
                print(f"warning: {record.id}: could not be built ({exc.__class__.__name__}: {exc}); skipped",
                      file=sys.stderr)
                bodies.append({"id": record.id, "file": None, "error": f"{exc.__class__.__name__}: {exc}"})
                continue
            if result.missed:
                print(f"warning: {record.id}: the body cannot reach every value: {result.miss_text()}", file=sys.stderr)
            bodies.append({"id": record.id, "file": str(out), "sex": result.sex,
                           "measurements": result.measurements, "missed": result.missed,
                           "missed_by": {n: round(d, 2) for n, d in result.misses.items()},
                           "fit_ms": round(result.seconds * 1000, 1)})
    if args.report is not None:
        atomic_write_json(args.report, {"bodies": bodies})
    if kind == "json":
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(f"wrote {len(bodies) - failures} bodies to {args.out}", file=sys.stderr)
    return 1 if failures else 0
