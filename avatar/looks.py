"""The shopper's look: the avatar's skin tone.

The tones are the ten of the Monk Skin Tone Scale (E. Monk, 2019; sRGB values as published by Google at
skintone.google, 2022), which runs from the lightest to the darkest skin, the range Fitzpatrick's types
I to VI describe. ``SKIN_SRGB`` of ``avatar.colour`` stays the default, a mid-light tone between
monk-03 and monk-05.
"""

from __future__ import annotations

from .colour import SKIN_SRGB
from .errors import UserError


def _hex(code: str) -> tuple[float, float, float]:
    return tuple(int(code[i:i + 2], 16) / 255.0 for i in (0, 2, 4))


SKIN_TONES: dict[str, tuple[float, float, float]] = {
    "default": tuple(SKIN_SRGB),
    "monk-01": _hex("f6ede4"), "monk-02": _hex("f3e7db"), "monk-03": _hex("f7ead0"), "monk-04": _hex("eadaba"),
    "monk-05": _hex("d7bd96"), "monk-06": _hex("a07e56"), "monk-07": _hex("825c43"), "monk-08": _hex("604134"),
    "monk-09": _hex("3a312a"), "monk-10": _hex("292420"),
}
SKIN_TONE_NAMES = tuple(SKIN_TONES)


class LookError(UserError, ValueError):
    """An unknown skin tone; the message lists the tones there are."""


def skin_srgb(tone: str | None) -> tuple[float, float, float]:
    """The sRGB colour (each in [0, 1]) of a skin tone name; None is the default tone."""
    if tone is None:
        return SKIN_TONES["default"]
    if tone not in SKIN_TONES:
        raise LookError(f"unknown skin tone '{tone}'; use one of {', '.join(SKIN_TONE_NAMES)}")
    return SKIN_TONES[tone]


__all__ = ["LookError", "SKIN_TONES", "SKIN_TONE_NAMES", "skin_srgb"]
