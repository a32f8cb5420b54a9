"""``fitting-room garment list|show|import|remove``: the garment catalog on the command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def price_text(garment) -> str:
    return "not priced" if garment.price is None else f"{garment.price:.2f} {garment.currency}"


def register(sub) -> None:
    parser = sub.add_parser("garment", help="list, show, import and remove catalog garments")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    ls = actions.add_parser("list", help="list the built-in and imported garments")
    ls.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ls.set_defaults(func=run_list)

    show = actions.add_parser("show", help="show one garment's catalog entry")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(func=run_show)

    imp = actions.add_parser("import", help="import a designer's garment (OBJ, GLB/glTF, PLY, STL, MHCLO, or a zip)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--name", help="display name (default: from the file)")
    imp.add_argument("--category", help="top, shirt, outerwear, dress, skirt, trousers, shorts, leggings, ... "
                                        "(default: recognised from the shape)")
    imp.add_argument("--size", help="size name of this mesh (default M); with a size set or chart, the base size")
    imp.add_argument("--sizes", help="size names, smallest first (S,M,L): the meshes to take from a folder or zip, "
                                     "or the chart rows to grade")
    imp.add_argument("--size-chart", type=Path, metavar="CHART.csv",
                     help="grade the mesh to every size of this chart (CSV: size, chest, waist, hip, length, ...)")
    imp.add_argument("--chart-units", choices=("cm", "in"), help="units of the size chart (default: from its "
                                                                 "header, else detected)")
    imp.add_argument("--sku", help="stock keeping unit of this size")
    imp.add_argument("--price",
                     help="the price of one piece in the currency, at most 2 decimals (e.g. 29.95); without it "
                          "the garment can be tried on but not ordered until it is imported again with a price")
    imp.add_argument("--currency", default="EUR",
                     help="three-letter ISO 4217 currency code, stored uppercase (default EUR)")
    imp.add_argument("--fits", default="unisex", choices=("female", "male", "unisex"),
                     help="which reference body it is made for (unisex uses the female one)")
    imp.add_argument("--units", choices=("mm", "cm", "dm", "m"), help="file units (default: detected)")
    imp.add_argument("--up", choices=("y", "z"), help="file up axis (default: detected)")
    imp.add_argument("--pose", choices=("auto", "t", "a"), default="auto",
                     help="the pose the garment was authored in: t (arms out), a (arms down at an angle) or "
                          "auto (read from its sleeves; default)")
    imp.add_argument("--offset-cm", type=float, default=0.0, metavar="CM",
                     help="move the placed garment up (positive) or down, centimetres (-50 to 50)")
    imp.add_argument("--scale", type=float, default=1.0,
                     help="scale the garment about its centre before placing it (0.5 to 2; default 1)")
    imp.add_argument("--colour", action="append", default=[], metavar="NAME=#RRGGBB|NAME=PRINT.png",
                     help="a colourway besides the garment's own (repeat for more): #RRGGBB tints the garment's "
                          "print to that colour keeping its light and dark (a plain colour without a print); "
                          "PRINT.png shows that print instead; #RRGGBB,PRINT.png gives the swapped print a swatch")
    imp.add_argument("--json", action="store_true", help="print the new catalog entry as JSON")
    imp.set_defaults(func=run_import)

    rm = actions.add_parser("remove", help="remove an imported garment from your catalog")
    rm.add_argument("id")
    rm.set_defaults(func=run_remove)


def print_json(data) -> int:
    """Print ``data`` as JSON on stdout (see ``write_out``); returns the exit status 0."""
    return write_out(json.dumps(data, indent=2) + "\n")


def write_out(text: str) -> int:
    """Write ``text`` to stdout; a reader that stops early (``| head``) is not an error. Returns 0."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader closed the pipe: point stdout nowhere, so the flush at exit is quiet too
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return 0


def run_list(args) -> int:
    from garments.catalog import load_catalog

    problems: list = []
    garments = load_catalog(problems)
    for exc in problems:
        print(f"warning: {exc}", file=sys.stderr)
    if args.json:
        keys = ("id", "name", "category", "sizes", "price", "currency", "colours", "layer", "stretch", "source")
        return print_json([{k: g.to_json()[k] for k in keys} for g in garments])
    rows = [("ID", "NAME", "CATEGORY", "SIZES", "PRICE", "SOURCE")]
    for g in garments:
        rows.append((g.id, g.name, g.category, " ".join(g.size_names), price_text(g), g.source))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return write_out("".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n" for r in rows))


def run_show(args) -> int:
    from garments.catalog import get_garment

    g = get_garment(args.id)
    data = g.to_json()
    if args.json:
        return print_json(data)
    lines = [f"{g.name} ({g.id}), {g.category}, {price_text(g)}, {g.source}",
             f"  fits {g.fits}, layer {g.layer}, stretch {g.stretch:.0%}, colours: "
             + ", ".join(c.name for c in g.colours)]
    for s in g.sizes:
        meas = ", ".join(f"{k} {v:g} cm" for k, v in s.finished.items())
        lines.append(f"  {s.name:>4}  {s.sku:<16} {meas}{'  (size chart)' if s.chart else ''}")
    return write_out("\n".join(lines) + "\n")


def run_import(args) -> int:
    from app.progress import TerminalProgress
    from garments.import_options import ImportOptions
    from garments.importers import import_garment

    options = ImportOptions(name=args.name, category=args.category, size=args.size, sizes=args.sizes,
                            size_chart=args.size_chart, chart_units=args.chart_units, sku=args.sku,
                            price=args.price, currency=args.currency, fits=args.fits, units=args.units,
                            up=args.up, pose=args.pose, offset_cm=args.offset_cm, scale=args.scale,
                            colours=tuple(args.colour))
    with TerminalProgress() as bar:
        g = import_garment(args.file, options, progress=bar)
    if args.json:
        return print_json(g.to_json())
    else:
        print(f"imported {g.id}: {g.name} ({g.category}, size {', '.join(g.size_names)})")
    return 0


def run_remove(args) -> int:
    from garments.user_catalog import remove_garment

    remove_garment(args.id)
    print(f"removed {args.id}", file=sys.stderr)
    return 0
