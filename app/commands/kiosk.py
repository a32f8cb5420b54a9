"""``fitting-room kiosk set-pin [--reset]``: set the admin PIN staff use to leave the in-store kiosk.

Changing a PIN that is set asks for the current one first; ``--reset`` replaces it without
(for staff who forgot it: anyone who can run commands as this user can do that anyway).
On a terminal the PINs are asked for (the new one twice); otherwise standard input gives one
line per PIN: the current one first when one is set (and no ``--reset``), then the new one.
"""

from __future__ import annotations

import getpass
import sys

RESET_NOTE = "replacing the admin PIN without checking the current one (--reset)"


def register(sub) -> None:
    parser = sub.add_parser("kiosk", help="in-store kiosk administration")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_pin = actions.add_parser(
        "set-pin", help="set the admin PIN that lets staff leave the kiosk (stored hashed under the data root)",
        description="Asks for the current PIN (when one is set) and the new one twice on a terminal; without a "
                    "terminal it reads one line per PIN from standard input: the current one, then the new one.")
    set_pin.add_argument("--reset", action="store_true",
                         help="replace the PIN without giving the current one (a forgotten PIN); says so when it does")
    set_pin.set_defaults(func=run_set_pin)


def _ask(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def run_set_pin(args) -> int:
    from app.kiosk_pin import KioskConfigError, PIN_MIN_DIGITS, check_pin_format, load_pin_record, pin_matches, set_pin

    record = load_pin_record()
    if args.reset:
        print(RESET_NOTE, file=sys.stderr)
    elif record is not None and not pin_matches(_ask("Current admin PIN: "), record):
        raise KioskConfigError("that is not the current admin PIN; give it first, or use "
                               "'fitting-room kiosk set-pin --reset' if it is forgotten")
    pin = _ask(f"New admin PIN ({PIN_MIN_DIGITS} or more digits): ")
    check_pin_format(pin)
    if sys.stdin.isatty() and getpass.getpass("Repeat the PIN: ") != pin:
        raise KioskConfigError("the two PINs differ; run 'fitting-room kiosk set-pin' again")
    path = set_pin(pin)
    print(f"admin PIN set ({path})", file=sys.stderr)
    return 0
