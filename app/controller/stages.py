"""The try-on loop's stages, each cached by exactly what it depends on.

fit (measurements) -> body field (avatar) -> drape (avatar, garment, size, layers beneath)
-> advice (avatar, garment) -> scene (drapes + colours) -> frame. A colour is not part of any
drape's key: changing it only recolours the scene (:func:`recoloured`). Every function here is plain
Python; the long ones take ``progress`` and ``cancelled`` and run wherever the app decides.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

from avatar.errors import Cancelled

from .constants import MAX_BODIES_CACHED, NEIGHBOUR_REACH


def _no_progress(fraction: float, message: str = "") -> None:
    pass


def _never() -> bool:
    return False


class DrapeCache:
    """Drapes already made, per body: ``of(avatar)`` is that body's mapping
    ``(garment id, size, beneath) -> garments.outfit.DrapeResult`` (what ``drape_outfit(cache=)`` reads
    and fills). The last ``MAX_BODIES_CACHED`` bodies are kept; each entry holds its avatar, so the
    ``id`` it is found by cannot be reused while it is cached. Safe to use from several threads."""

    def __init__(self, bodies: int = MAX_BODIES_CACHED):
        self.bodies = bodies
        self._lock = threading.Lock()
        self._by_body: OrderedDict[int, tuple[object, dict]] = OrderedDict()

    def of(self, avatar) -> dict:
        with self._lock:
            entry = self._by_body.get(id(avatar))
            if entry is None or entry[0] is not avatar:
                entry = self._by_body[id(avatar)] = (avatar, {})
            self._by_body.move_to_end(id(avatar))
            while len(self._by_body) > self.bodies:
                self._by_body.popitem(last=False)
            return entry[1]

    def has(self, avatar, garment_id: str, size: str, beneath: tuple = ()) -> bool:
        return (garment_id, size, tuple(beneath)) in self.of(avatar)

    def clear(self) -> None:
        with self._lock:
            self._by_body.clear()


_FIELD_LOCK = threading.Lock()  # one distance field is built at a time: a second asker waits and reuses it


def body_field(avatar, *, progress=_no_progress, cancelled=_never):
    """The avatar's distance field (``garments.sdf.body_sdf``, cached per body), its lookup table made
    (``prepare``). Built once even when the look-ahead and a try-on ask for it at the same moment."""
    from garments.sdf import body_sdf

    progress(0.0, "Preparing your avatar for clothes…")
    with _FIELD_LOCK:
        if cancelled():
            raise Cancelled("stopped")
        return body_sdf(avatar).prepare()


def dress_cached(avatar, measurements: dict, tryon, lookup, cache: DrapeCache, *, uncertainty=None,
                 progress=_no_progress, cancelled=_never):
    """``app.gui.workflow.dress`` reusing and filling ``cache``: only the drapes not seen on this body
    are made; the worn garments' tinted colourway prints are made too (``garments.textures.prepare_colourways``).
    Returns its ``TryOnResult``."""
    from app.gui.workflow import dress
    from garments.textures import prepare_colourways

    if tryon:
        body_field(avatar, cancelled=cancelled)
    result = dress(avatar, measurements, tryon, lookup, uncertainty=uncertainty, drape_cache=cache.of(avatar),
                   progress=progress, cancelled=cancelled)
    for t in tryon:  # the colourways' prints tinted here, so the try-on's colour changes do not tint them
        if not cancelled():
            prepare_colourways(lookup(t.garment_id))
    return result


def neighbour_sizes(sizes: list[str], size: str, reach: int = NEIGHBOUR_REACH) -> list[str]:
    """The sizes next to ``size`` in ``sizes`` (small to large), nearest first: ``["M", "XL"]`` for L
    of S..XL. Empty when ``size`` is not one of them."""
    if size not in sizes:
        return []
    i = sizes.index(size)
    out = []
    for step in range(1, reach + 1):
        out += [sizes[j] for j in (i - step, i + step) if 0 <= j < len(sizes)]
    return out


def result_key(avatar, tryon, measurements: dict, uncertainty: dict) -> tuple:
    """What a dressed result depends on besides colours: the body, the garments and sizes worn (``tryon``, a
    sequence of ``app.gui.session.TryOn``), and the measurements and their uncertainty the advice weighs
    (drapes alone are keyed in ``DrapeCache``)."""
    return (id(avatar), tuple((t.garment_id, t.size) for t in tryon), tuple(sorted(measurements.items())),
            tuple(sorted(uncertainty.items())))


def with_size(tryon, garment_id: str, size: str) -> tuple:
    """``tryon`` with the garment ``garment_id`` in ``size``."""
    return tuple(dataclasses.replace(t, size=size) if t.garment_id == garment_id else t for t in tryon)


def prepare_results(avatar, measurements: dict, tryon, lookup, cache: DrapeCache, garment_id: str, sizes: list[str],
                    *, uncertainty=None, progress=_no_progress, cancelled=_never) -> list[tuple]:
    """Dress ahead (drapes, advice and scene, as ``dress_cached``) the outfit ``tryon`` with ``garment_id`` in
    each of ``sizes``, so that picking one of them later costs no task. Stops between sizes when
    ``cancelled()``.

    Parameters
    ----------
    tryon : sequence of ``app.gui.session.TryOn`` as worn now, every size known
    sizes : the sizes of ``garment_id`` to prepare, most likely first

    Returns
    -------
    [(tryon in that size, TryOnResult)] for each size prepared
    """
    from app.gui.workflow import dress

    body_field(avatar, cancelled=cancelled)
    done = []
    for k, size in enumerate(sizes):
        if cancelled():
            raise Cancelled("stopped")
        outfit = with_size(tryon, garment_id, size)
        done.append((outfit, dress(avatar, measurements, outfit, lookup, uncertainty=uncertainty,
                                   drape_cache=cache.of(avatar), cancelled=cancelled,
                                   progress=lambda f, m="", k=k: progress((k + f) / len(sizes), m))))
    return done


def worn_colours(tryon, lookup) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """The arguments of ``recoloured`` for the colourways worn (``tryon``: items with ``garment_id`` and
    ``colour``; ``lookup``: garment id -> Garment): swatches (sRGB) and prints by garment id."""
    from app.render.content import garment_srgb
    from garments.textures import colourway_print

    colours, prints = {}, {}
    for t in tryon:
        try:
            garment = lookup(t.garment_id)
        except Exception:  # a garment gone from the catalog keeps the colour it was drawn in
            continue
        colours[t.garment_id] = garment_srgb(garment, t.colour)
        factor, texture = colourway_print(garment, t.colour)
        if texture is not None:
            prints[t.garment_id] = (factor, texture)
    return colours, prints


def recoloured(content, colours: dict[str, tuple], prints: dict[str, tuple] | None = None):
    """``content`` (``app.render.content.SceneContent``) with each garment layer in the sRGB colour of
    its garment id (layer names are ``"<garment id>:<size>"``); the same object when nothing changes.

    ``prints`` (garment id -> (sRGB base colour factor, (H, W, 3) uint8 print), ``worn_colours``) gives
    a layer with texture coordinates its colourway's print instead: a tint or a swap is a scene change too."""
    layers = []
    for layer in content.garments:
        gid = layer.name.split(":", 1)[0]
        srgb, texture = colours.get(gid), layer.texture
        if prints and gid in prints and layer.uv is not None:
            srgb, texture = prints[gid]
        changed = (srgb is not None and tuple(float(c) for c in srgb) != layer.colour) or texture is not layer.texture
        layers.append(dataclasses.replace(layer, colour=layer.colour if srgb is None else srgb, texture=texture)
                      if changed else layer)
    if all(a is b for a, b in zip(layers, content.garments)):
        return content
    # a new content (a new version: the renderer uploads it), everything else as it was
    same = {f.name: getattr(content, f.name) for f in dataclasses.fields(content)
            if f.init and f.name not in ("version", "garments")}
    return type(content)(garments=tuple(layers), **same)
