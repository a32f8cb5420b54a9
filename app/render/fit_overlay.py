"""The "won't fit" marks: where a size cannot close round the body, the picture says so.

A zone whose verdict is "won't close" (``garments.fit_report``) is painted on the draped garment as a red
hatched band around the zone in the normal view (drawn by the shader from ``hatch_coordinates``); the fit
map colours every zone that must stretch at least at the stretch the body needs there (red: at or beyond
the fabric's limit) and its legend lists the zones that won't close with that percentage. ``draw_notes``
writes the same lines on a still picture. Where a garment worn over it hides a band (a tee over trousers'
waist), ``hidden_under`` says which, so the advice does not point to a mark the shopper cannot see.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from garments.fit_constants import WONT_CLOSE

from .constants import (WONT_FIT_BAND_HALF_HEIGHT_M, WONT_FIT_BAND_JOIN_M, WONT_FIT_COVER_REACH_M,
                        WONT_FIT_HATCH_PERIOD_M, WONT_FIT_HIDDEN_SHARE, WONT_FIT_SLEEVE_CLEARANCE_M)


@dataclass(frozen=True, eq=False)
class FitMarks:
    """The marks of one draped garment.

    Attributes
    ----------
    mask : (N,) bool; the garment's vertices in a marked band (of a zone that won't close)
    margin : (N,) float, metres; how far each vertex lies inside the nearest marked band's edges
        (``ZoneBands.margin``), or None
    labels : lines naming each such zone, e.g. "Crew-neck T-shirt XL: hip won't close (needs 8.0 % stretch,
        fabric 6.0 %)"
    short : the same for the fit map's legend, e.g. "XL hip: needs 8.0 %"
    """

    mask: np.ndarray
    labels: tuple = ()
    short: tuple = ()
    margin: np.ndarray | None = None


def wont_fit_labels(garment_name: str, fit, size: str) -> tuple[str, ...]:
    """One line per zone of ``size`` that won't close, from the fit result ``fit`` (``FitReport``)."""
    from garments.fit_report import format_percent

    return tuple(f"{garment_name} {size}: {z.zone} won't close (needs {format_percent(z.needed_stretch)} "
                 f"stretch, fabric {format_percent(fit.fabric_stretch)})" for z in fit.wont_close(size))


def mark_wont_fit(layer, garment, fit, drape):
    """``layer`` (a ``GarmentLayer`` of ``drape``) with the marks of the zones of ``drape.size`` that won't
    close, and its fit-map strain raised at every zone that must stretch to the stretch the body needs there;
    unchanged when no zone must stretch (or when the drape's vertices are not those of the size's rest mesh,
    so its zones cannot be found).

    Parameters
    ----------
    layer : app.render.scene.GarmentLayer
    garment : garments.catalog.Garment
    fit : garments.fit_report.FitReport of that garment on the body
    drape : garments.outfit.DrapeResult the layer shows
    """
    from garments.fit_report import format_percent

    stretched = [z for z in fit.size(drape.size).zones.values() if z.needed_stretch > 0]
    bands = zone_bands(garment, drape, [z.zone for z in stretched])
    if bands is None:
        return layer
    strain = None if layer.strain is None else np.array(layer.strain, float)
    for z in stretched:
        if strain is not None and z.zone in bands.levels:
            band = bands.band(z.zone)
            strain[band] = np.maximum(strain[band], z.needed_stretch)
    margin = bands.margin([z.zone for z in stretched if z.verdict == WONT_CLOSE])
    mask = margin >= 0
    bad = fit.wont_close(drape.size)
    short = tuple(f"{drape.size} {z.zone}: needs {format_percent(z.needed_stretch)}" for z in bad)
    marks = FitMarks(mask, wont_fit_labels(garment.name, fit, drape.size), short, margin) if bad else None
    return dataclasses.replace(layer, strain=strain, fit_marks=marks)


@dataclass(frozen=True, eq=False)
class ZoneBands:
    """Where the bands of a draped garment's zones lie.

    Attributes
    ----------
    heights : (N,) float, metres; each vertex's height
    beside_sleeve : (N,) float, metres; how far each vertex lies inside the line ``WONT_FIT_SLEEVE_CLEARANCE_M``
        from a sleeve's cloth (negative nearer; -1 on a sleeve); it changes smoothly from vertex to vertex
    levels : zone -> (bottom, top) heights of its band, metres
    """

    heights: np.ndarray
    beside_sleeve: np.ndarray
    levels: dict

    def band(self, zone: str) -> np.ndarray:
        """(N,) bool: the torso cloth of one zone's band, clear of the sleeves."""
        bottom, top = self.levels[zone]
        return (self.heights >= bottom) & (self.heights <= top) & (self.beside_sleeve >= 0)

    def margin(self, zones) -> np.ndarray:
        """(N,) float, metres: how far each vertex lies inside the nearest of the named zones' bands (negative
        outside all of them; -1 with none). Bands less than ``WONT_FIT_BAND_JOIN_M`` apart are one band: a
        sliver left between them showed as a dashed line across the hatching where the cloth rises and falls.
        Linear in the height away from the sleeves, so the edges drawn where it crosses 0 are level lines."""
        spans = sorted(self.levels[z] for z in zones if z in self.levels)
        joined: list[list[float]] = []
        for bottom, top in spans:
            if joined and bottom - joined[-1][1] < WONT_FIT_BAND_JOIN_M:
                joined[-1][1] = max(joined[-1][1], top)
            else:
                joined.append([bottom, top])
        margin = np.full(len(self.heights), -1.0)
        for bottom, top in joined:
            inside = np.minimum.reduce([self.heights - bottom, top - self.heights, self.beside_sleeve])
            margin = np.maximum(margin, inside)
        return margin


def zone_bands(garment, drape, zone_names) -> ZoneBands | None:
    """The bands of the named zones on the draped garment: each zone's torso cloth from its lowest to its
    highest level (10th and 90th percentiles of its vertices' heights), widened by
    ``WONT_FIT_BAND_HALF_HEIGHT_M`` each way, and farther than ``WONT_FIT_SLEEVE_CLEARANCE_M`` from a sleeve's
    cloth.

    Returns
    -------
    ZoneBands of the zones the size has; None when no zone is named or the drape's vertices are not those of
    the size's rest mesh
    """
    from garments.finished import finished_zones, rest_torso

    zone_names = list(zone_names)
    if not zone_names:
        return None
    v = np.asarray(drape.vertices, float)
    torso = rest_torso(garment, drape.size)[2]
    if len(torso) != len(v):
        return None
    zones = finished_zones(garment, drape.size)
    off_sleeve = _distances(v, v[~torso], 2 * WONT_FIT_SLEEVE_CLEARANCE_M)  # farther, no edge of the band
    beside_sleeve = np.where(torso, off_sleeve - WONT_FIT_SLEEVE_CLEARANCE_M, -1.0)
    levels = {}
    for name in zone_names:
        idx = zones[name].vertices
        if idx.size:
            low, high = np.percentile(v[idx, 1], [10, 90])
            levels[name] = (float(low) - WONT_FIT_BAND_HALF_HEIGHT_M, float(high) + WONT_FIT_BAND_HALF_HEIGHT_M)
    return ZoneBands(v[:, 1].copy(), beside_sleeve, levels)


def _distances(points: np.ndarray, others: np.ndarray, reach: float) -> np.ndarray:
    """(N,) float, metres: from each of ``points`` (N, 3) to the nearest of ``others`` (M, 3); inf beyond
    ``reach``."""
    from scipy.spatial import cKDTree

    if not len(others):
        return np.full(len(points), np.inf)
    return cKDTree(others).query(points, distance_upper_bound=reach)[0]


def hidden_under(garment, fit, drape, outer) -> dict[str, str]:
    """The zones of ``drape.size`` that won't close whose marked band a garment worn over it hides.

    A band vertex is covered by an outer garment when one of that garment's vertices lies within
    ``WONT_FIT_COVER_REACH_M`` of it (the outer cloth lies over it, layer gap and ease included); the band
    is hidden when ``WONT_FIT_HIDDEN_SHARE`` of it is covered.

    Parameters
    ----------
    garment, fit, drape : as for ``mark_wont_fit``
    outer : iterable of (name, (M, 3) float vertices, metres) of the garments worn over it, standing

    Returns
    -------
    zone -> the name of the outer garment hiding it (the first that does), for hidden zones only
    """
    outer = [(name, np.asarray(vertices, float)) for name, vertices in outer if len(vertices)]
    bands = zone_bands(garment, drape, [z.zone for z in fit.wont_close(drape.size)]) if outer else None
    if not bands:
        return {}
    v = np.asarray(drape.vertices, float)
    covered = [(name, np.isfinite(_distances(v, vertices, WONT_FIT_COVER_REACH_M)))  # one look-up each
               for name, vertices in outer]
    out = {}
    for zone in bands.levels:
        band = bands.band(zone)
        hiding = [name for name, near in covered if band.any() and near[band].mean() >= WONT_FIT_HIDDEN_SHARE]
        if hiding:
            out[zone] = hiding[0]
    return out


def hatch_coordinates(layer) -> np.ndarray:
    """(N, 2) float32 per vertex of a marked garment, for the shader's red diagonal hatching
    (``shaders/mesh.frag``): stripes per metre, 1 / ``WONT_FIT_HATCH_PERIOD_M`` (the shader lays them
    diagonally across the picture, straight from any side), and where the vertex lies against the marked
    bands, drawn where it is over 0: ``FitMarks.margin``, or +1 / -1 on and off ``FitMarks.mask`` without
    it. The stripes' phase is linear in the position and the margin in the height (beside a sleeve, in the
    distance from it), so they interpolate across a triangle: the stripes and the bands' edges stay sharp
    and straight however large the triangles (baked into the vertices' colours, they were smeared over
    whole triangles)."""
    marks = layer.fit_marks
    inside = marks.margin if marks.margin is not None else np.where(marks.mask, 1.0, -1.0)
    return np.c_[np.full(len(inside), 1.0 / WONT_FIT_HATCH_PERIOD_M), inside].astype(np.float32)


def fit_notes(content, short: bool = False) -> list[str]:
    """Every "won't close" line of a scene's garments (``short``: the fit map legend's lines)."""
    return [label for g in content.garments if g.fit_marks is not None
            for label in (g.fit_marks.short if short else g.fit_marks.labels)]


def wrap_to_width(text: str, width_of, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a single word wider than it keeps its line;
    a number and its per cent sign count as one word).

    Parameters
    ----------
    text : str
    width_of : callable giving a string's drawn width, px
    width : float, px
    """
    words: list[str] = []
    for word in text.split(" "):
        if words and word.startswith("%"):  # a percentage stays whole: "6.0 %)" never breaks before its sign
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and width_of(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word if not lines else "  " + word)  # continued lines are indented
    return lines


def _notes_layout(notes, width: int, height: int):
    """(font, wrapped lines, line height px, padding px) of the notes card of a ``width`` x ``height`` picture."""
    from PIL import Image, ImageDraw

    from .fitmap import _font

    font, _ = _font(max(10, int(height / 60)))
    draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    line = int(font.size * 1.35) if hasattr(font, "size") else 14
    pad = max(4, line // 3)
    lines = [part for text in notes
             for part in wrap_to_width(text, lambda t: draw.textlength(t, font=font), width - 2 * pad)]
    return font, lines, line, pad


def notes_height(notes, width: int, height: int) -> int:
    """Rows, px, the notes card of ``draw_notes`` takes along the bottom of a ``width`` x ``height`` picture
    (0 without notes): the picture above it is where the body must be drawn."""
    notes = list(notes)
    if not notes:
        return 0
    _font, lines, line, pad = _notes_layout(notes, width, height)
    return pad * 2 + line * len(lines)


def draw_notes(image: np.ndarray, notes) -> np.ndarray:
    """The picture with the notes written in red on a white card along its bottom edge (unchanged without);
    the card is ``notes_height`` rows tall.

    Parameters
    ----------
    image : (H, W, 3) uint8, RGB
    notes : lines of text

    Returns
    -------
    image : (H, W, 3) uint8, a new array
    """
    from PIL import Image, ImageDraw

    notes = list(notes)
    out = image.copy()
    if not notes:
        return out
    h, w = image.shape[:2]
    font, lines, line, pad = _notes_layout(notes, w, h)
    picture = Image.fromarray(out, "RGB")
    draw = ImageDraw.Draw(picture, "RGBA")
    top = h - pad * 2 - line * len(lines)
    draw.rectangle((0, top, w, h), fill=(255, 255, 255, 225))
    for k, text in enumerate(lines):
        draw.text((pad, top + pad + k * line), text, fill=(190, 20, 20, 255), font=font)
    return np.asarray(picture)
