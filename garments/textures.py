"""A catalog garment's base-colour texture as an image array, read once per file version, and the print
each of its colourways shows.

The texture is the designer's print in sRGB. A colourway (``garments.catalog.Colour``) of a printed garment
is drawn in one of three ways (``colourway_print``):

- swap: the colourway names its own print file (``Colour.texture``), shown as designed;
- tint: the print recoloured to the swatch in linear light, keeping its light and dark (``tint_print``);
- multiply (files without either field): renderers multiply the print by the swatch (the glTF base-colour
  convention), so a textured import's own colour ("as designed") is white.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from avatar.colour import linear_to_srgb, srgb_to_linear
from avatar.image_header import cap_decoders

DESIGNED_COLOUR = "as designed"
DESIGNED_TEXTURED_RGB = (1.0, 1.0, 1.0)  # white: the print shows as the designer made it
WHITE = (1.0, 1.0, 1.0)
# Relative luminance of linear RGB (ITU-R BT.709 primaries, as sRGB uses): how light a print's pixel is.
LUMINANCE_WEIGHTS = (0.2126, 0.7152, 0.0722)
# A print darker than this on average (linear luminance) is drawn flat in the tint's colour: there is no
# light and dark to keep, and dividing by its mean would only amplify noise.
DARKEST_TINTABLE_MEAN = 1e-3

# Linear light is turned back into 8-bit sRGB through a table this fine: a step is at most 0.2 of an 8-bit
# level even in the darkest shades (sRGB's slope there is 12.92), so the table is exact to rounding.
ENCODE_STEPS = 16384

_CACHE: dict[tuple, np.ndarray] = {}
_TABLES: dict[str, np.ndarray] = {}
_TINTED: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # (id of the print, swatch) -> (print, tinted)
MAX_TINTS_CACHED = 64  # prints times colourways a session shows; past it the tints are made again


def read_print(path: Path) -> np.ndarray | None:
    """(H, W, 3) uint8 sRGB image of the file at ``path``, read once per file version; None when the file
    is missing or not an image PIL reads (or larger than ``avatar.image_header.MAX_IMAGE_PIXELS``)."""
    path = Path(path)
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if key not in _CACHE:
        from PIL import Image

        cap_decoders()
        try:
            with Image.open(path) as image:
                _CACHE[key] = np.asarray(image.convert("RGB"), np.uint8)
        except (OSError, ValueError, Image.DecompressionBombError):
            return None
    return _CACHE[key]


def garment_texture(garment) -> np.ndarray | None:
    """(H, W, 3) uint8 sRGB image of ``garment.texture`` in its folder, or None when it has none.

    A texture file that is missing or unreadable is None too (the garment is drawn in its colour).
    """
    if not getattr(garment, "texture", None) or garment.folder is None:
        return None
    return read_print(Path(garment.folder) / garment.texture)


def tint_print(image: np.ndarray, srgb) -> np.ndarray:
    """The print ``image`` recoloured to the swatch ``srgb``, keeping its light and dark.

    Each pixel becomes the swatch's linear colour times the pixel's luminance over the print's mean
    luminance, so the tinted print averages to the swatch and every pixel keeps its lightness relative to
    the rest (a check stays a check); values past white are clipped.

    Parameters
    ----------
    image : (H, W, 3) uint8 sRGB
    srgb : (3,) float in [0, 1], the colourway's swatch

    Returns
    -------
    (H, W, 3) uint8 sRGB
    """
    image = np.asarray(image, np.uint8)
    decode = _decode_table()  # uint8 sRGB -> linear, a table of 256
    luminance = sum(decode[image[..., k]] * np.float32(w) for k, w in enumerate(LUMINANCE_WEIGHTS))
    mean = float(luminance.mean())
    relative = luminance / np.float32(mean) if mean > DARKEST_TINTABLE_MEAN else np.ones_like(luminance)
    encode = _encode_table()
    top = len(encode) - 1
    out = np.empty(image.shape, np.uint8)
    for k, c in enumerate(srgb_to_linear(np.asarray(srgb, float))):
        steps = np.minimum(relative * np.float32(c * top) + np.float32(0.5), np.float32(top))
        out[..., k] = encode[steps.astype(np.int32)]
    return out


def _decode_table() -> np.ndarray:
    """(256,) float32: linear light of each 8-bit sRGB value."""
    if "decode" not in _TABLES:
        _TABLES["decode"] = srgb_to_linear(np.arange(256) / 255.0).astype(np.float32)
    return _TABLES["decode"]


def _encode_table() -> np.ndarray:
    """(ENCODE_STEPS + 1,) uint8: the 8-bit sRGB value of linear light k / ENCODE_STEPS."""
    if "encode" not in _TABLES:
        _TABLES["encode"] = np.round(linear_to_srgb(np.arange(ENCODE_STEPS + 1) / ENCODE_STEPS) * 255).astype(np.uint8)
    return _TABLES["encode"]


def print_mean_srgb(image: np.ndarray) -> tuple[float, float, float]:
    """(3,) sRGB in [0, 1]: the average colour of a print in linear light, as its swatch."""
    linear = srgb_to_linear(np.asarray(image, np.float32).reshape(-1, 3) / 255.0).mean(axis=0)
    return tuple(round(float(x), 4) for x in linear_to_srgb(linear))


def colourway(garment, name: str = ""):
    """The ``Colour`` of ``garment`` named ``name`` ("" or unknown: its first colour), or None without colours."""
    return next((c for c in garment.colours if c.name == name), garment.colours[0] if garment.colours else None)


def colourway_print(garment, name: str = "") -> tuple[tuple[float, float, float], np.ndarray | None]:
    """How a garment in its colourway ``name`` is drawn: the material's base colour factor and its print.

    Returns
    -------
    srgb : (3,) float in [0, 1]; multiplies the print (white when the print already is the colourway's)
    texture : (H, W, 3) uint8 sRGB, or None (no print: a plain colour)

    A colourway's own print file that has gone missing falls back to the garment's print under the swatch.
    """
    base = garment_texture(garment)
    chosen = colourway(garment, name)
    if chosen is None:
        return WHITE, base
    if chosen.texture and garment.folder is not None:
        own = read_print(Path(garment.folder) / chosen.texture)
        if own is not None:
            return WHITE, own
    if chosen.tint and base is not None:
        key = (id(base), tuple(chosen.rgb))
        if key not in _TINTED or _TINTED[key][0] is not base:
            if len(_TINTED) >= MAX_TINTS_CACHED:
                _TINTED.clear()
            _TINTED[key] = (base, tint_print(base, chosen.rgb))
        return WHITE, _TINTED[key][1]
    return tuple(float(c) for c in chosen.rgb), base


def prepare_colourways(garment) -> None:
    """Read ``garment``'s print and tint it to each of its tinted colourways now (cached as
    ``colourway_print`` keeps them), so that choosing a colourway later only looks the print up: a
    2048 px print takes a quarter of a second to tint, too long for the frame of a colour change."""
    for chosen in getattr(garment, "colours", ()):
        if chosen.tint:
            colourway_print(garment, chosen.name)
