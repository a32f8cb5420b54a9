"""``fitting-room profile``: the shopper's saved measurement sets."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    parser = sub.add_parser("profile", help="list, save, show, rename and delete measurement profiles")
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
