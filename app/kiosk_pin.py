"""The kiosk's admin PIN: stored only as a salted scrypt hash in ``data_root()/kiosk.json``.

Plain Python (no Qt), so ``fitting-room kiosk set-pin`` can use it without the GUI.

- The scrypt cost is fixed here, never read from the file: a file that names a cheap cost
  cannot make the check cheap, and one written with its own hash and cost makes no PIN work.
- ``kiosk.json`` is written atomically and readable by its owner only (0600).
- ``PinGuard`` is what the running kiosk checks against: it reads the hash once, and after a
  few wrong PINs it makes each further try wait twice as long as the one before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from avatar.errors import UserError
from avatar.safe_json import UnsafeJsonError, load_json_text
from avatar.storage import atomic_write_text, data_root

CONFIG_NAME = "kiosk.json"
CONFIG_VERSION = 2  # version 1 also stored the scrypt cost, which is no longer read
CONFIG_MODE = 0o600  # the hash is enough to brute-force a PIN offline: owner only
# A PIN is typed on the kiosk's keypad by staff: digits only. Six digits (10^6 PINs) with the
# growing delay below keep guessing at the kiosk to years; fewer would be found in days.
PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 12
# scrypt cost: ~50 ms per check on this class of CPU, cheap for staff, slow for a stolen file's brute force.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024  # 128 * N * r = 16 MiB needed, with room
SALT_BYTES = 16
HASH_BYTES = 32
# Wrong PINs at the kiosk: this many are free (typos), then each further one waits
# PIN_DELAY_BASE_S * 2**k, capped at PIN_DELAY_MAX_S: 30 guesses take hours, not a second.
PIN_FREE_FAILURES = 3
PIN_DELAY_BASE_S = 2.0
PIN_DELAY_MAX_S = 15 * 60.0


class KioskConfigError(UserError):
    """The kiosk's PIN cannot be set or read; the message says what to do."""


class PinLockedError(KioskConfigError):
    """Too many wrong PINs: the next try is possible only after ``wait_s`` seconds."""

    def __init__(self, wait_s: float):
        super().__init__(f"too many wrong PINs; try again in {max(1, round(wait_s))} s")
        self.wait_s = wait_s


def config_path() -> Path:
    return data_root() / CONFIG_NAME


def check_pin_format(pin: str) -> str:
    """The PIN without surrounding blanks, if it is 6 to 12 ASCII digits (0-9), the keys of the keypad.

    ``str.isdigit`` would also accept full-width, superscript and other scripts' digits, which the
    on-screen keypad cannot type.
    """
    pin = pin.strip()
    if not re.fullmatch(r"[0-9]+", pin) or not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise KioskConfigError(f"the admin PIN must be {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits 0-9 "
                               "(as on the kiosk's keypad); choose another")
    return pin


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                          maxmem=SCRYPT_MAXMEM, dklen=HASH_BYTES)


def set_pin(pin: str) -> Path:
    """Store the hash of a new admin PIN (replacing any older one); returns the config file."""
    pin = check_pin_format(pin)
    salt = secrets.token_bytes(SALT_BYTES)
    config = _read()
    config.update(version=CONFIG_VERSION,
                  pin={"algorithm": "scrypt", "salt": salt.hex(), "hash": _hash(pin, salt).hex()})
    path = config_path()
    _write_private(path, _json_text(config))
    return path


def _json_text(config: dict) -> str:
    return json.dumps(config, indent=2) + "\n"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by its owner only; KioskConfigError if the disk refuses."""
    try:
        atomic_write_text(path, text, mode=CONFIG_MODE)
    except OSError as exc:
        raise KioskConfigError(f"cannot write {path} ({exc.strerror or exc}); the PIN was not changed, "
                               "free disk space or make the data folder writable") from None


def _read() -> dict:
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskConfigError(f"cannot read {path} ({getattr(exc, 'strerror', None) or exc}); "
                               "set the PIN again with 'fitting-room kiosk set-pin --reset'") from None
    try:
        data = load_json_text(text, what=str(path))
    except UnsafeJsonError as exc:
        raise KioskConfigError(f"{exc}; set the PIN again with 'fitting-room kiosk set-pin --reset'") from None
    return data if isinstance(data, dict) else {}


def load_pin_record() -> tuple[bytes, bytes] | None:
    """(salt, hash) of the stored PIN, or None when none is set or the record is unusable."""
    record = _read().get("pin")
    if not isinstance(record, dict) or record.get("algorithm") != "scrypt":
        return None
    try:
        salt, expected = bytes.fromhex(record["salt"]), bytes.fromhex(record["hash"])
    except (KeyError, TypeError, ValueError):
        return None
    if len(salt) < SALT_BYTES or len(expected) != HASH_BYTES:
        return None
    return salt, expected


def pin_is_set() -> bool:
    return load_pin_record() is not None


def pin_matches(pin: str, record: tuple[bytes, bytes] | None) -> bool:
    """True if ``pin`` hashes to ``record`` (constant-time comparison); False for None."""
    if record is None:
        return False
    salt, expected = record
    return hmac.compare_digest(_hash(pin.strip(), salt), expected)


def check_pin(pin: str) -> bool:
    """True if ``pin`` is the stored admin PIN; False if wrong or none is set (reads the file)."""
    return pin_matches(pin, load_pin_record())


def failure_delay_s(failures: int) -> float:
    """Seconds the next try waits after ``failures`` wrong PINs in a row."""
    extra = failures - PIN_FREE_FAILURES - 1
    return 0.0 if extra < 0 else min(PIN_DELAY_MAX_S, PIN_DELAY_BASE_S * 2.0 ** extra)


class PinGuard:
    """The admin PIN as the running kiosk checks it: read once, with a growing delay after failures.

    Parameters
    ----------
    record : (salt, hash) or None; default: read from ``kiosk.json`` now (and never again)
    clock : monotonic seconds (tests pass a fake one)
    """

    def __init__(self, record: tuple[bytes, bytes] | None = None, *,
                 clock: Callable[[], float] = time.monotonic):
        self._record = load_pin_record() if record is None else record
        self._clock = clock
        self.failures = 0
        self._next_try_at = 0.0

    @property
    def is_set(self) -> bool:
        return self._record is not None

    def wait_s(self) -> float:
        """Seconds until a PIN may be tried again (0 when it may be tried now)."""
        return max(0.0, self._next_try_at - self._clock())

    def check(self, pin: str) -> bool:
        """True for the right PIN (and the failure count starts again); False for a wrong one.

        Raises PinLockedError, without looking at ``pin``, while the delay after failures runs.
        """
        wait = self.wait_s()
        if wait > 0:
            raise PinLockedError(wait)
        if pin_matches(pin, self._record):
            self.failures = 0
            return True
        self.failures += 1
        self._next_try_at = self._clock() + failure_delay_s(self.failures)
        return False
