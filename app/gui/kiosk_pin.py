"""The kiosk's admin PIN: stored only as a salted scrypt hash in ``data_root()/kiosk.json``.

Plain Python (no Qt), so ``fitting-room kiosk set-pin`` can use it without the GUI.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from pathlib import Path

from avatar.errors import UserError
from avatar.storage import atomic_write_json, data_root

CONFIG_NAME = "kiosk.json"
CONFIG_VERSION = 1
# A PIN is typed on the kiosk's keypad by staff: digits only, long enough that guessing by hand fails.
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
# scrypt cost: ~50 ms per check on this class of CPU, cheap for staff, slow for a stolen file's brute force.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16


class KioskConfigError(UserError):
    """The kiosk's PIN cannot be set or read; the message says what to do."""


def config_path() -> Path:
    return data_root() / CONFIG_NAME


def check_pin_format(pin: str) -> str:
    """The PIN without surrounding blanks, if it is 4 to 12 ASCII digits (0-9), the keys of the keypad.

    ``str.isdigit`` would also accept full-width, superscript and other scripts' digits, which the
    on-screen keypad cannot type.
    """
    pin = pin.strip()
    if not re.fullmatch(r"[0-9]+", pin) or not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise KioskConfigError(f"the admin PIN must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits 0-9 "
                               "(as on the kiosk's keypad); choose another")
    return pin


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def set_pin(pin: str) -> Path:
    """Store the hash of a new admin PIN (replacing any older one); returns the config file."""
    pin = check_pin_format(pin)
    salt = secrets.token_bytes(SALT_BYTES)
    record = {"algorithm": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
              "salt": salt.hex(), "hash": _hash(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P).hex()}
    config = _read()
    config.update(version=CONFIG_VERSION, pin=record)
    path = config_path()
    atomic_write_json(path, config)
    return path


def _read() -> dict:
    path = config_path()
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KioskConfigError(f"{path} is unreadable ({exc}); set the PIN again with 'fitting-room kiosk set-pin'") from None
    return data if isinstance(data, dict) else {}


def pin_is_set() -> bool:
    return isinstance(_read().get("pin"), dict)


def check_pin(pin: str) -> bool:
    """True if ``pin`` is the admin PIN (constant-time comparison); False if wrong or none is set."""
    record = _read().get("pin")
    if not isinstance(record, dict) or record.get("algorithm") != "scrypt":
        return False
    try:
        salt = bytes.fromhex(record["salt"])
        expected = bytes.fromhex(record["hash"])
        got = _hash(pin.strip(), salt, int(record["n"]), int(record["r"]), int(record["p"]))
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)
