"""``fitting-room profile``: the shopper's saved measurement sets."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    parser = sub.add_parser("profile", help="list, save, show, rename, delete, export, import measurement "
                                            "profiles; a profile's QR code")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("list", help="list saved profiles")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_list)
    p = actions.add_parser("save", help="save a measurement file as a named profile")
    p.add_argument("name")
    p.add_argument("--measurements", required=True, type=Path, metavar="FILE")
    p.add_argument("--units", choices=("cm", "in"), default="cm")
    p.add_argument("--replace", "--force", dest="replace", action="store_true",
                   help="replace a profile of the same name (without it an existing name is refused)")
    p.set_defaults(func=run_save)
    p = actions.add_parser("show", help="print a profile as JSON")
    p.add_argument("name")
    p.set_defaults(func=run_show)
    p = actions.add_parser("rename", help="rename a profile")
    p.add_argument("old")
    p.add_argument("new")
    p.set_defaults(func=run_rename)
    p = actions.add_parser("delete", help="delete a profile")
    p.add_argument("name")
    p.set_defaults(func=run_delete)
    only = ("only these values, comma-separated measurement names and 'sex' (stature is required); "
            "default: every value the profile holds")
    p = actions.add_parser("export", help="write a profile as a portable file to take to another installation")
    p.add_argument("name")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--only", metavar="NAMES", help=only)
    p.set_defaults(func=run_export)
    p = actions.add_parser("import", help="save an exported profile file as a profile here")
    p.add_argument("file", type=Path)
    p.add_argument("--name", help="the name to save it under (default: the name in the file)")
    p.set_defaults(func=run_import)
    p = actions.add_parser("qr", help="write a profile's QR code (PNG) for a kiosk's camera to read")
    p.add_argument("name")
    p.add_argument("--out", required=True, type=Path, metavar="CODE.png")
    p.add_argument("--only", metavar="NAMES", help=only)
    p.set_defaults(func=run_qr)


def run_list(args) -> int:
    from avatar.profiles import ProfileStore

    names = ProfileStore().names()
    print(json.dumps(names) if args.json else "\n".join(names) or "no profiles saved")
    return 0


def run_save(args) -> int:
    from avatar.errors import ProfileError
    from avatar.measurements import read_measurement_file
    from avatar.profiles import Profile, ProfileStore

    records, kind = read_measurement_file(args.measurements, units=args.units)
    if len(records) != 1:
        raise ProfileError(f"{args.measurements.name} holds {len(records)} bodies; a profile is one body")
    path = ProfileStore().save(Profile(args.name, records[0].values, records[0].sex, args.units),
                               overwrite=args.replace)
    print(f"saved {path}", file=sys.stderr)
    return 0


def run_show(args) -> int:
    from avatar.profiles import ProfileStore

    print(json.dumps(ProfileStore().load(args.name).to_json(), indent=2))
    return 0


def run_rename(args) -> int:
    from avatar.profiles import ProfileStore

    path = ProfileStore().rename(args.old, args.new)
    print(f"renamed to {path}", file=sys.stderr)
    return 0


def run_delete(args) -> int:
    from avatar.profiles import ProfileStore

    ProfileStore().delete(args.name)
    return 0


def _chosen(args):
    from avatar.portable import from_saved, parse_only
    from avatar.profiles import ProfileStore

    profile = from_saved(ProfileStore().load(args.name))
    names = parse_only(args.only)
    return profile if names is None else profile.only(names)


def run_export(args) -> int:
    from avatar.portable import write_portable_file

    profile = _chosen(args)
    write_portable_file(profile, args.out)
    print(f"exported {', '.join(profile.fields())} to {args.out}", file=sys.stderr)
    return 0


def run_import(args) -> int:
    from avatar.errors import ProfileError
    from avatar.portable import read_portable_file
    from avatar.profiles import Profile, ProfileStore

    portable = read_portable_file(args.file)
    name = (args.name or portable.name or args.file.stem).strip()
    store = ProfileStore()
    if store.exists(name):
        raise ProfileError(f"a profile named '{name}' already exists; import it under another name with --name")
    path = store.save(Profile(name, portable.measurements, portable.sex, uncertainty=portable.uncertainty),
                      overwrite=False)
    print(f"imported '{name}' to {path}", file=sys.stderr)
    return 0


def run_qr(args) -> int:
    from avatar.errors import ProfileError
    from avatar.profile_qr import make_code, write_code_png

    if args.out.suffix.lower() != ".png":
        raise ProfileError(f"--out {args.out} must end in .png; the code is written as a PNG image")
    profile = _chosen(args)
    write_code_png(profile, args.out)
    code = make_code(profile)
    width = code.symbol_size(border=0)[0]
    print(f"wrote {args.out}: QR version {code.version}, {width}x{width} modules, {', '.join(profile.fields())}",
          file=sys.stderr)
    return 0
