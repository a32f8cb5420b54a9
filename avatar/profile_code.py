"""The QR payload of a portable profile: a short text a phone screen shows and a kiosk camera reads.

Text: ``FR<version>:`` then the RFC 4648 base32 of a packed binary, without ``=`` padding. Every
character is in the QR code's alphanumeric set (5.5 bits a character), so the code stays small.

Binary, format version 1 (bits, most significant first; layout in docs/profiles.md):

- 15 bits, one per field of ``FIELDS_V1`` in order: the value is present;
- 1 bit: ± values follow; 2 bits: sex (0 not given, 1 female, 2 male);
- each present value as an unsigned integer ``round((value - low) * 10)``, in 0.1 cm (kg), with the
  field's ``low`` and bit width from ``FIELDS_V1``;
- if ± follow: one bit per present value (it has a ±), then 8 bits (0.1 units) for each flagged one;
- zero bits up to a whole byte, then the CRC-16/CCITT (``binascii.crc_hqx``, initial value 0xFFFF) of the
  prefix and those bytes, 2 bytes. The QR code's own Reed-Solomon code corrects damage; the CRC makes sure
  a text that is not a whole code of ours (cut, retyped, forged) is never read as one.

The layout of a version never changes; a new field (skin tone, hair) makes a new version.
"""

from __future__ import annotations

import base64
import binascii
import re

from .errors import MeasurementError, ProfileCodeError
from .measurements import SEXES
from .portable import PortableProfile, checked

PREFIX = "FR"
VERSION = 1
QUANTUM = 10  # values and ± travel in tenths of a cm (kg): finer than any tape reading
UNCERTAINTY_BITS = 8
CRC_BYTES = 2
#: (name, low in cm or kg, bits) of format version 1, frozen: ``low`` and ``bits`` cover the accepted
#: human range (docs/measurements.md) in 0.1 steps.
FIELDS_V1 = (
    ("stature", 120, 10), ("chest_girth", 60, 11), ("underbust_girth", 55, 11), ("waist_girth", 50, 11),
    ("hip_girth", 65, 11), ("neck_girth", 25, 9), ("shoulder_breadth", 25, 9), ("arm_length", 40, 9),
    ("upper_arm_girth", 18, 9), ("wrist_girth", 11, 8), ("inside_leg_height", 50, 10), ("thigh_girth", 35, 10),
    ("calf_girth", 20, 9), ("ankle_girth", 12, 8), ("body_mass", 30, 11),
)
SEX_CODES = (None,) + SEXES  # 0 not given, 1 female, 2 male
_PAYLOAD = re.compile(r"FR(\d+):([A-Z2-7]+)\Z")


class _Bits:
    """An unsigned-integer bit writer / reader, most significant bit first."""

    def __init__(self, data: bytes = b""):
        self.value, self.length, self.pos = int.from_bytes(data, "big"), 8 * len(data), 0

    def put(self, number: int, bits: int) -> None:
        if not 0 <= number < 1 << bits:
            raise ValueError(f"{number} does not fit in {bits} bits")
        self.value, self.length = (self.value << bits) | number, self.length + bits

    def take(self, bits: int) -> int:
        if self.pos + bits > self.length:
            raise ProfileCodeError("the profile code is cut short; show the whole code again")
        self.pos += bits
        return (self.value >> (self.length - self.pos)) & ((1 << bits) - 1)

    def to_bytes(self) -> bytes:
        pad = -self.length % 8
        return (self.value << pad).to_bytes((self.length + pad) // 8, "big")


def _crc(prefix: str, body: bytes) -> bytes:
    return binascii.crc_hqx(prefix.encode("ascii") + body, 0xFFFF).to_bytes(CRC_BYTES, "big")


def encode_payload(profile: PortableProfile) -> str:
    """The QR text of ``profile`` (validated first; its name is not carried).

    Returns
    -------
    str : ``FR1:`` + base32, e.g. 20 characters for stature, chest, waist, hip and sex (QR version 1)
    """
    profile = checked(profile, "the profile")
    bits = _Bits()
    present = [name for name, _low, _bits in FIELDS_V1 if name in profile.measurements]
    for name, _low, _width in FIELDS_V1:
        bits.put(name in profile.measurements, 1)
    bits.put(bool(profile.uncertainty), 1)
    bits.put(SEX_CODES.index(profile.sex), 2)
    for name, low, width in FIELDS_V1:
        if name in profile.measurements:
            bits.put(round((profile.measurements[name] - low) * QUANTUM), width)
    if profile.uncertainty:
        for name in present:
            bits.put(name in profile.uncertainty, 1)
        for name in present:
            if name in profile.uncertainty:
                bits.put(round(profile.uncertainty[name] * QUANTUM), UNCERTAINTY_BITS)
    prefix = f"{PREFIX}{VERSION}:"
    body = bits.to_bytes()
    return prefix + base64.b32encode(body + _crc(prefix, body)).decode("ascii").rstrip("=")


def decode_payload(text: str) -> PortableProfile:
    """The profile a QR text holds.

    Raises
    ------
    ProfileCodeError : not a profile code, damaged (checksum), another format version, or values outside
        the human range; one line saying which
    """
    text = text.strip()
    match = _PAYLOAD.match(text)
    if not match:
        raise ProfileCodeError("this QR code is not a fitting-room profile; show the code the fitting-room app "
                               "makes ('Show as QR code…' in its Measurements tab, or 'fitting-room profile qr')")
    if int(match.group(1)) != VERSION:
        raise ProfileCodeError(f"this profile code has format version {int(match.group(1))}; this app reads "
                               f"version {VERSION}: update the app, or make the code with the same version")
    encoded = match.group(2)
    try:
        raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    except binascii.Error:
        raise ProfileCodeError("the profile code is damaged; show it again, or make a new one") from None
    body, crc = raw[:-CRC_BYTES], raw[-CRC_BYTES:]
    if len(raw) <= CRC_BYTES or crc != _crc(text[:match.end(1) + 1], body):
        raise ProfileCodeError("the profile code is damaged (its checksum does not match); show it again, "
                               "or make a new one")
    return _unpack(body)


def _unpack(body: bytes) -> PortableProfile:
    bits = _Bits(body)
    present = [name for name, _low, _width in FIELDS_V1 if bits.take(1)]
    has_uncertainty, sex_code = bits.take(1), bits.take(2)
    if sex_code >= len(SEX_CODES):
        raise ProfileCodeError("the profile code holds an unknown sex; make a new code")
    values = {}
    for name, low, width in FIELDS_V1:
        if name in present:
            values[name] = low + bits.take(width) / QUANTUM
    uncertainty = {}
    if has_uncertainty:
        flagged = [name for name in present if bits.take(1)]
        uncertainty = {name: bits.take(UNCERTAINTY_BITS) / QUANTUM for name in flagged}
    if bits.length - bits.pos >= 8 or bits.take(bits.length - bits.pos):
        raise ProfileCodeError("the profile code has bytes its version does not use; make a new code")
    try:
        return checked(PortableProfile(values, SEX_CODES[sex_code], uncertainty), "the profile code")
    except MeasurementError as exc:
        raise ProfileCodeError(f"{exc}; this code cannot be used") from None
