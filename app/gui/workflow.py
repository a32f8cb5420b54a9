"""The long jobs of the window as plain functions (run by :class:`app.gui.tasks.TaskRunner`).

Each takes ``progress(fraction, message)`` and ``cancelled()`` and returns plain data; none
touches a widget. The core modules are imported inside the functions so that opening the
window does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


from avatar.errors import Cancelled

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str = "") -> None:
    pass


def _never() -> bool:
    return False


def prepare_body(sex: str = "female", *, progress: Progress = _no_progress, cancelled=_never):
    """Make sure the body model is ready (fetching its assets on the first run) and return the
    average body of ``sex``, shown until the shopper's own avatar is built."""
    from avatar.assets import assets_present, fetch_assets
    from avatar.avatar import reference_avatar
    from avatar.body_model import load_body_model

    if not assets_present():
        progress(0.0, "Downloading the body model (first run only)…")
        fetch_assets(progress=lambda f, m="": progress(0.7 * f, m or "Downloading the body model…"),
                     cancelled=cancelled)
    if cancelled():
        raise Cancelled("stopped")
    progress(0.75, "Loading the body model…")
    load_body_model(progress=lambda f, m="": progress(0.75 + 0.15 * f, m or "Loading the body model…"),
                    cancelled=cancelled)
    progress(0.95, "Preparing the average body…")
    return reference_avatar(sex)


def fit_body(values_cm: dict[str, float], sex: str | None, *, progress: Progress = _no_progress, cancelled=_never):
    """Fit the avatar to the measurements (``avatar.fitting.fit_avatar``); returns its FitResult."""
    from avatar.fitting import fit_avatar

    return fit_avatar(dict(values_cm), sex, progress=progress, cancelled=cancelled)


@dataclass(frozen=True)
class TryOnResult:
    """What the drape job returns.

    Attributes
    ----------
    drapes : garment_id -> drape result (vertices, faces, strain, zone eases)
    advice : garment_id -> ``garments.fit_report.FitReport`` (every size's fit, the draped size's worn strain)
    content : the scene to show (``app.render.scene.SceneContent``)
    """

    drapes: dict[str, Any]
    advice: dict[str, Any]
    content: Any


def scene_of(avatar, drapes: dict[str, Any] = None, colours: dict[str, tuple] = None,
             stretch_limits: dict[str, float] = None, fits: dict[str, Any] = None, lookup=None,
             colour_names: dict[str, str] = None):
    """The scene of an avatar wearing its drapes (``colours``: garment_id -> sRGB; ``stretch_limits``:
    garment_id -> the fabric's stretch, where the fit map turns red; ``fits``: garment_id -> FitReport, whose
    zones that won't close are marked on the garment, with ``lookup`` garment_id -> Garment; ``colour_names``:
    garment_id -> the colourway worn, drawn with its print as ``app.render.content.garment_look`` says)."""
    from app.render.constants import DEFAULT_GARMENT_SRGB
    from app.render.fit_overlay import mark_wont_fit
    from app.render.content import garment_look, textured
    from app.render.scene import SceneContent, garment_from_drape

    drapes, colours, limits, fits = drapes or {}, colours or {}, stretch_limits or {}, fits or {}

    def paint(gid, d) -> dict:
        if lookup is not None and colour_names is not None and gid in colour_names:
            return garment_look(lookup(gid), d.uv, colour_names[gid])
        return {"colour": colours.get(gid, DEFAULT_GARMENT_SRGB), **(textured(lookup(gid), d) if lookup else {})}

    layers = [garment_from_drape(d, stretch_limit=limits.get(gid), **paint(gid, d)) for gid, d in drapes.items()]
    layers = [mark_wont_fit(layer, lookup(gid), fits[gid], d) if gid in fits and lookup is not None else layer
              for layer, (gid, d) in zip(layers, drapes.items())]
    return SceneContent.from_avatar(avatar, tuple(layers))


@dataclass(frozen=True)
class CatalogLoad:
    """The garments that loaded, and one line for each imported entry that could not be read."""

    garments: list
    problems: list[str]


def load_garments(store_only: bool = False, *, progress: Progress = _no_progress,
                  cancelled=_never) -> CatalogLoad:
    """The catalog (``garments.catalog.load_catalog``); ``store_only`` leaves out designers' imports.
    A broken imported entry is reported, not allowed to hide the rest of the catalog."""
    from garments.catalog import load_catalog

    progress(0.0, "Loading the catalog…")
    problems: list = []
    garments = list(load_catalog(problems))
    if store_only:
        garments = [g for g in garments if g.source == "builtin"]
    return CatalogLoad(garments, [str(p) for p in problems])


def dress(avatar, measurements: dict[str, float], tryon, lookup, *, uncertainty: dict[str, float] | None = None,
          drape_cache=None, progress: Progress = _no_progress, cancelled=_never) -> TryOnResult:
    """Drape the try-on list on the avatar, advise a size for each garment, and build the scene.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    measurements : the shopper's measurements, cm (may be empty: the avatar is then measured); girths not
        among them were filled in from the survey, and the fit's chances carry the survey's spread for them
    tryon : sequence of app.gui.session.TryOn (garment_id, size, colour)
    lookup : garment_id -> Garment
    uncertainty : measurement name -> one standard deviation, cm (the photo estimate's); typed values
        default to ``garments.fit_constants.TYPED_GIRTH_UNCERTAINTY_CM``
    drape_cache : this avatar's drapes already made (``app.controller.stages.DrapeCache.of``), or None
    """
    drapes: dict[str, Any] = {}
    advice: dict[str, Any] = {}
    colours: dict[str, tuple] = {}
    if tryon:
        from app.render.content import garment_srgb
        from garments.fit import body_girths
        from garments.fit_report import fit_report
        from garments.outfit import drape_outfit

        garments = [(lookup(t.garment_id), t.size or None) for t in tryon]  # None: the recommended size
        for t, (garment, _size) in zip(tryon, garments):
            colours[t.garment_id] = garment_srgb(garment, t.colour)
        results = drape_outfit(avatar, garments, progress=lambda f, m="": progress(0.85 * f, m or "Draping…"),
                               cancelled=cancelled, cache=drape_cache)
        for result in results:  # inner to outer: the order they are drawn in
            drapes[result.garment_id] = result
        progress(0.87, "Checking the fit…")
        girths = body_girths(avatar)
        for garment, _size in garments:
            if cancelled():
                raise Cancelled("stopped")
            advice[garment.id] = fit_report(avatar, garment, uncertainty_cm=uncertainty, drape=drapes.get(garment.id),
                                            girths=girths, typed=measurements)
    if cancelled():
        raise Cancelled("stopped")
    progress(0.97, "Drawing…")
    limits = {garment.id: garment.stretch for garment, _size in garments} if tryon else {}
    names = {t.garment_id: t.colour for t in tryon}
    return TryOnResult(drapes, advice, scene_of(avatar, drapes, colours, limits, advice, lookup, names))
