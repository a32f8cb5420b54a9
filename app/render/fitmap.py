"""The fit map: garment strain as colours, and a legend that explains them.

Strain is a fraction (0.05 = stretched 5 % beyond the garment's rest length). Zero strain is blue,
then green and yellow; the stretch limit and beyond is red.
"""

from __future__ import annotations

import numpy as np

from .constants import DEFAULT_STRETCH_LIMIT

# (position along 0..1 of the limit, sRGB colour); the legend and the garment use the same stops
STOPS = (
    (0.0, (0.16, 0.38, 0.86)),     # blue: relaxed
    (0.35, (0.20, 0.72, 0.36)),    # green: comfortable
    (0.70, (0.97, 0.82, 0.16)),    # yellow: snug
    (1.0, (0.88, 0.16, 0.12)),     # red: at or beyond the stretch limit
)


def strain_colours(strain, limit: float = DEFAULT_STRETCH_LIMIT) -> np.ndarray:
    """Colours of strain values.

    Parameters
    ----------
    strain : (N,) float, fraction; negative (compressed) is drawn like zero
    limit : float, fraction drawn fully red (the garment's stretch limit)

    Returns
    -------
    colours : (N, 3) float, sRGB in [0, 1]
    """
    if not limit > 0:
        raise ValueError(f"stretch limit must be positive, got {limit!r}")
    t = np.clip(np.nan_to_num(np.asarray(strain, float), nan=0.0) / limit, 0.0, 1.0)
    positions = np.array([p for p, _ in STOPS])
    colours = np.array([c for _, c in STOPS])
    return np.stack([np.interp(t, positions, colours[:, k]) for k in range(3)], axis=-1)


def legend_labels(limit: float | None = DEFAULT_STRETCH_LIMIT) -> list[tuple[float, str]]:
    """Tick labels of the legend: (position 0..1 along the bar, text), from relaxed to the limit.
    ``limit`` None: garments of different fabrics, labelled in fractions of each one's limit."""
    if limit is None:
        return [(0.0, "0"), (0.5, "½ limit"), (1.0, "≥ limit")]
    pct = limit * 100

    def fmt(v):
        return f"{round(v, 1):g} %"

    return [(0.0, fmt(0)), (0.5, fmt(pct / 2)), (1.0, "≥ " + fmt(pct))]


def _font(size: int):
    """(font, whether it draws '≥'): DejaVu Sans where installed (it has the sign), else pillow's own."""
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "Arial Unicode.ttf", "seguisym.ttf"):
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size), False
    except TypeError:  # pillow built without FreeType: fixed bitmap font
        return ImageFont.load_default(), False


def legend_image(limit: float | None = DEFAULT_STRETCH_LIMIT, scale: float = 1.0, notes=()) -> np.ndarray:
    """A small legend card: title, a vertical colour bar from relaxed (bottom) to the limit (top), labels,
    and under them ``notes`` in red (the zones that won't close with the stretch they need, from
    ``app.render.fit_overlay.fit_notes(content, short=True)``).

    Parameters
    ----------
    limit : float, strain fraction drawn fully red; None when it differs per garment
    scale : float, 1.0 is sized for a ~1000 px tall picture
    notes : lines of text

    Returns
    -------
    image : (H, W, 4) uint8, RGBA with a translucent white card
    """
    from PIL import Image, ImageDraw

    s = max(float(scale), 0.3)
    bar_w, bar_h, pad = int(18 * s), int(150 * s), int(10 * s)
    (title_font, _), (label_font, has_ge) = _font(int(15 * s)), _font(int(13 * s))
    notes = list(notes)
    line_h = int(17 * s)
    width = max([int(112 * s)] + [int(label_font.getlength(n)) + 2 * pad for n in notes])
    height = bar_h + int(52 * s) + line_h * len(notes)
    card = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=int(8 * s), fill=(255, 255, 255, 225),
                           outline=(190, 190, 195, 255))
    draw.text((pad, int(6 * s)), "Stretch", fill=(40, 40, 45, 255), font=title_font)
    top = int(32 * s)
    t = np.linspace(1.0, 0.0, bar_h)  # top of the bar is the limit
    bar = (strain_colours(t, 1.0) * 255).round().astype(np.uint8)
    strip = Image.fromarray(np.repeat(bar[:, None, :], bar_w, axis=1), "RGB")
    card.paste(strip, (pad, top))
    draw.rectangle((pad, top, pad + bar_w - 1, top + bar_h - 1), outline=(90, 90, 95, 255))
    for position, text in legend_labels(limit):
        y = top + (1.0 - position) * (bar_h - 1)
        draw.line((pad + bar_w, y, pad + bar_w + int(4 * s), y), fill=(90, 90, 95, 255), width=max(1, int(s)))
        text = text if has_ge else text.replace("≥", ">=")
        draw.text((pad + bar_w + int(7 * s), y), text, fill=(40, 40, 45, 255), font=label_font, anchor="lm")
    for k, text in enumerate(notes):
        draw.text((pad, top + bar_h + int(12 * s) + k * line_h), text, fill=(190, 20, 20, 255), font=label_font)
    return np.asarray(card)


def draw_legend(image: np.ndarray, limit: float | None = DEFAULT_STRETCH_LIMIT, notes=()) -> np.ndarray:
    """The picture with the legend drawn in its top right corner.

    Parameters
    ----------
    image : (H, W, 3) uint8, RGB
    limit : float, strain fraction drawn fully red; None when it differs per garment
    notes : lines of the legend under its labels (see ``legend_image``)

    Returns
    -------
    image : (H, W, 3) uint8, a new array
    """
    h, w = image.shape[:2]
    legend = legend_image(limit, scale=min(h / 1000.0, w / 600.0), notes=notes)
    lh, lw = legend.shape[:2]
    margin = max(4, int(0.02 * min(h, w)))
    out = image.copy()
    if lh + margin > h or lw + margin > w:  # too small a picture for a legend
        return out
    y0, x0 = margin, w - lw - margin
    alpha = legend[..., 3:4].astype(np.float32) / 255.0
    region = out[y0:y0 + lh, x0:x0 + lw].astype(np.float32)
    out[y0:y0 + lh, x0:x0 + lw] = (region * (1 - alpha) + legend[..., :3] * alpha).round().astype(np.uint8)
    return out
