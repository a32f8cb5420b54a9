"""A designer's colourways given at import: ``NAME=#RRGGBB`` (the print tinted to the swatch, or a plain
colour on a garment without a print), ``NAME=PRINT.png`` (the print swapped for this file) or
``NAME=#RRGGBB,PRINT.png`` (a swapped print with its own swatch).

``import_colourways`` turns them into the catalog's ``Colour`` entries and the print files to write into
the garment's folder; every problem is a one-line ``GarmentImportError`` naming the colourway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .catalog import Colour
from .catalog_entry import MAX_COLOURS, MAX_TEXT
from .errors import GarmentImportError
from .textures import DESIGNED_COLOUR, print_mean_srgb

_HEX_RE = re.compile(r"^#?([0-9a-fA-F]{6})$")
COLOURWAY_FORMS = "NAME=#RRGGBB, NAME=PRINT.png or NAME=#RRGGBB,PRINT.png"


@dataclass(frozen=True)
class ColourwaySpec:
    """One colourway as the designer gives it.

    Attributes
    ----------
    name : shown to shoppers and kept in orders ("navy")
    rgb : (3,) sRGB in [0, 1], the swatch; None: the average of ``print_file``
    print_file : this colourway's own print (an image file), or None: the garment's print tinted
    """

    name: str
    rgb: tuple[float, float, float] | None = None
    print_file: Path | None = None


def parse_colourway(text: str) -> ColourwaySpec:
    """A ``--colour`` value (see the module's forms) as a ``ColourwaySpec``; GarmentImportError if malformed."""
    name, equals, value = str(text).partition("=")
    name, value = name.strip(), value.strip()
    if not equals or not name or not value:
        raise GarmentImportError(f"--colour '{text}' is not one of {COLOURWAY_FORMS}")
    if len(name) > MAX_TEXT or any(ord(ch) < 32 for ch in name):
        raise GarmentImportError(f"colour name '{name[:40]}' must be at most {MAX_TEXT} printable characters")
    swatch, comma, rest = value.partition(",")
    hex_match = _HEX_RE.match(swatch.strip()) if swatch.strip().startswith("#") else None
    if swatch.strip().startswith("#") and hex_match is None:
        raise GarmentImportError(f"colour '{name}': '{swatch.strip()}' is not a #RRGGBB colour")
    if hex_match is None:
        return ColourwaySpec(name, None, Path(value))
    digits = hex_match.group(1)
    rgb = tuple(round(int(digits[k:k + 2], 16) / 255.0, 4) for k in (0, 2, 4))
    if comma and not rest.strip():
        raise GarmentImportError(f"--colour '{text}' is not one of {COLOURWAY_FORMS}")
    return ColourwaySpec(name, rgb, Path(rest.strip()) if comma else None)


def colourway_list(text: str, folder: Path | None = None) -> tuple[str, ...]:
    """Colourways written in one line, ``;`` or a new line between them, as ``--colour`` values.

    Each is checked with ``parse_colourway`` (GarmentImportError naming the first malformed one); a print
    file given by a relative path is read from ``folder`` (the garment file's folder) when given.
    """
    values = []
    for part in re.split(r"[;\n]", str(text)):
        if not part.strip():
            continue
        spec = parse_colourway(part.strip())
        if spec.print_file is not None and folder is not None and not spec.print_file.is_absolute():
            swatch = part.partition("=")[2].partition(",")[0].strip() if spec.rgb is not None else ""
            path = str(Path(folder) / spec.print_file)
            part = f"{spec.name}={swatch + ',' if swatch else ''}{path}"
        values.append(part.strip())
    return tuple(values)


def _read_print(spec: ColourwaySpec):
    """The PIL image of a colourway's print file, fully decoded; GarmentImportError naming what is wrong."""
    from PIL import Image

    from avatar.image_header import MAX_IMAGE_PIXELS, cap_decoders, header_pixels

    path = spec.print_file
    if not path.is_file():
        raise GarmentImportError(f"colour '{spec.name}': print file {path} does not exist; check the path")
    pixels = header_pixels(path)
    if pixels is None:
        raise GarmentImportError(f"colour '{spec.name}': {path.name} is not an image file (give a PNG or JPEG)")
    if pixels > MAX_IMAGE_PIXELS:
        raise GarmentImportError(f"colour '{spec.name}': {path.name} has more than {MAX_IMAGE_PIXELS // 10**6} "
                                 "megapixels; scale it down")
    cap_decoders()
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise GarmentImportError(f"colour '{spec.name}': {path.name} is damaged or not an image this app "
                                 "reads; export it again as PNG or JPEG") from None


def import_colourways(texts, first: Colour, textured: bool) -> tuple[tuple[Colour, ...], dict]:
    """The colours of an imported garment: ``first`` (its own, "as designed") and the designer's colourways.

    Parameters
    ----------
    texts : the ``--colour`` values (``parse_colourway``)
    first : the garment's own colour
    textured : whether the garment keeps a print (UVs and a texture); without one a print file is refused

    Returns
    -------
    colours : tuple of Colour
    prints : file name in the garment's folder -> PIL image, the swapped prints to write
    """
    import numpy as np

    colours, prints = [first], {}
    for text in texts:
        spec = parse_colourway(text)
        if any(c.name.lower() == spec.name.lower() for c in colours):
            raise GarmentImportError(f"colour '{spec.name}' is given twice (or is the garment's own "
                                     f"'{DESIGNED_COLOUR}'); give each colourway once")
        if spec.print_file is None:
            colours.append(Colour(spec.name, spec.rgb, tint=textured))
            continue
        if not textured:
            raise GarmentImportError(f"colour '{spec.name}' gives a print, but the garment has no texture "
                                     "coordinates to show it with; export it with its UVs, or give #RRGGBB")
        image = _read_print(spec)
        file_name = f"colour-{len(colours)}.png"
        prints[file_name] = image
        rgb = spec.rgb if spec.rgb is not None else print_mean_srgb(np.asarray(image))
        colours.append(Colour(spec.name, rgb, texture=file_name))
    if len(colours) > MAX_COLOURS:
        raise GarmentImportError(f"{len(colours) - 1} colourways are more than the {MAX_COLOURS - 1} a garment "
                                 "can have")
    return tuple(colours), prints
