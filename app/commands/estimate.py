"""``fitting-room estimate``: body measurements from a front and a side photo and the height."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    parser = sub.add_parser(
        "estimate", help="estimate body measurements from two photos",
        description="Estimate body measurements (cm) from a front photo (A-pose, facing the camera) and a side "
                    "photo (a quarter turn, arms hanging at your sides), taken from the same place, and your "
                    "height. A photo of the same scene without you (--background) makes the outline more exact.")
    parser.add_argument("--front", type=Path, required=True, metavar="IMG", help="front photo (JPEG or PNG)")
    parser.add_argument("--side", type=Path, required=True, metavar="IMG", help="side photo (JPEG or PNG)")
    parser.add_argument("--height", type=float, required=True, metavar="CM", help="your height in cm (gives the scale)")
    parser.add_argument("--background", type=Path, metavar="IMG", help="the scene without you, same camera position")
    parser.add_argument("--weight", type=float, metavar="KG", help="your weight in kg (optional)")
    parser.add_argument("--json", action="store_true", help="print JSON: {measurements: {NAME: {value, "
                                                            "uncertainty}}, warnings: [...]}")
    parser.set_defaults(func=run)


def run(args) -> int:
    from app.progress import TerminalProgress
    from avatar.estimate import estimate_measurements, read_image
    from avatar.estimate.estimate import validate_inputs

    validate_inputs(args.height, args.weight)
    front = read_image(args.front)
    side = read_image(args.side)
    background = read_image(args.background) if args.background else None
    with TerminalProgress() as bar:
        result = estimate_measurements(front, side, args.height, background_rgb=background, weight_kg=args.weight,
                                       progress=bar)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        for name, (value, uncertainty) in result.measurements.items():
            unit = "kg" if name == "body_mass" else "cm"
            print(f"{name:<20} {value:7.1f} {unit} ± {uncertainty:.1f}")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return 0
