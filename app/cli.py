"""The ``fitting-room`` command line.

``fitting-room`` alone opens the desktop app; subcommands live in ``app/commands``.
Errors a user can fix print one line ``error: ...`` on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from app.terminal import printable
from avatar.errors import UserError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2, as argparse does, but with a hint
        self.exit(EXIT_USAGE, f"error: {message}; see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fitting-room", description="Virtual fitting room: avatars, garments, try-on and orders.")
    parser.add_argument("--kiosk", action="store_true", help="run the in-store kiosk (fullscreen, touch-first)")
    parser.add_argument("--idle-timeout", type=float, default=None, metavar="SECONDS",
                        help="kiosk: seconds without input before the session is offered a reset (default 120)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import app.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"app.commands.{info.name}")
        module.register(sub)
    return parser


def _remove_stale_import_folders() -> None:
    """Remove what garment imports killed mid-way left in the temporary folder (one directory listing)."""
    from garments.archive import remove_stale_folders

    try:
        remove_stale_folders()
    except OSError:
        pass  # a temporary folder that cannot be listed leaves nothing of ours to remove


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _remove_stale_import_folders()
    try:
        if args.command is None:
            from app.gui.launch import launch

            return launch(kiosk=args.kiosk, idle_timeout=args.idle_timeout)
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
