"""``fitting-room kiosk set-pin``: set the admin PIN staff use to leave the in-store kiosk."""

from __future__ import annotations

import getpass
import sys


def register(sub) -> None:
    parser = sub.add_parser("kiosk", help="in-store kiosk administration")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = actions.add_parser(
        "set-pin", help="set the admin PIN that lets staff leave the kiosk (stored hashed under the data root)",
        description="Asks for the PIN twice on a terminal; without a terminal it reads one line from standard input.")
    set_pin.set_defaults(func=run_set_pin)


def run_set_pin(args) -> int:
    from app.gui.kiosk_pin import KioskConfigError, check_pin_format, set_pin

    if sys.stdin.isatty():
        pin = getpass.getpass("New admin PIN (digits): ")
        check_pin_format(pin)
        if getpass.getpass("Repeat the PIN: ") != pin:
            raise KioskConfigError("the two PINs differ; run 'fitting-room kiosk set-pin' again")
    else:
        pin = sys.stdin.readline().rstrip("\n")
    path = set_pin(pin)
    print(f"admin PIN set ({path})", file=sys.stderr)
    return 0
