"""The shopper's look and pose on screen: skin tone, hair, and the dressed avatar in a pose of the rig.

Plain Python. A look never changes a drape: the skin tone and the hair are put on the scene shown
(:func:`with_look`), and a pose moves the scene's body and garments (:func:`posed_geometry`, the long
stage, kept per drapes and pose by the controller; :func:`posed_scene` puts it on the current scene, so
a colour or look change on a posed avatar starts no task).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from avatar.hair import HAIR_STYLE_NAMES
from avatar.looks import skin_srgb
from avatar.pose import POSE_NAMES

HAIR_LAYER = "hair"  # the hair's scene layer (``app.posing.hair_layer``); garment layers are "<id>:<size>"
WALK_LOOP = "walk-loop"  # the pose choice that plays ``avatar.pose.walk_cycle`` as a loop (not a CLI pose)


@dataclass(frozen=True)
class Look:
    """How the shopper's avatar looks.

    Attributes
    ----------
    skin_tone : a name of ``avatar.looks.SKIN_TONE_NAMES``; None is the default tone
    hair_style : a name of ``avatar.hair.HAIR_STYLE_NAMES``
    hair_colour : a name of ``avatar.hair.HAIR_COLOURS``
    hair_hidden : hide the hair for a closer look at a collar
    """

    skin_tone: str | None = None
    hair_style: str = "none"
    hair_colour: str = "dark-brown"
    hair_hidden: bool = False

    def __post_init__(self):
        from avatar.hair import HairError, hair_colour

        skin_srgb(self.skin_tone)  # each raises naming the choices there are
        hair_colour(self.hair_colour)
        if self.hair_style not in HAIR_STYLE_NAMES:
            raise HairError(f"unknown hair style '{self.hair_style}'; use one of {', '.join(HAIR_STYLE_NAMES)}")

    @property
    def shows_hair(self) -> bool:
        return self.hair_style != "none" and not self.hair_hidden


@dataclass(frozen=True)
class PosedGeometry:
    """A dressed avatar moved into a pose: what changes in its scene.

    Attributes
    ----------
    pose : one of ``avatar.pose.POSE_NAMES``
    body_vertices : (V, 3) float, metres; the posed body
    garments : garment id -> the drape in the pose (``garments.outfit.DrapeResult``; its strain is the pose's)
    head : (4, 4) float or None; the head bone's transform from the rest body (hair follows it), None standing
    seat : app.render.seat.Seat or None; what the body sits on in this pose (``app.posing.pose_seat``)
    """

    pose: str
    body_vertices: object
    garments: dict
    head: object = None
    seat: object = None


def posed_geometry(avatar, drapes: dict, pose: str, lookup, *, progress=lambda f, m="": None,
                   cancelled=lambda: False) -> PosedGeometry:
    """The avatar and its drapes (garment id -> DrapeResult, inner to outer) in ``pose``.

    ``garments.motion.pose_outfit`` keeps what it made per avatar and drapes, so asking again is free.
    """
    from avatar.pose import pose_avatar
    from garments.motion import pose_outfit

    if not drapes:  # the body alone: no distance field, no garments to settle
        return _geometry(pose, pose_avatar(avatar, pose), [])
    results = list(drapes.values())
    posed, moved = pose_outfit(avatar, results, pose, garments={gid: lookup(gid) for gid in drapes},
                               progress=progress, cancelled=cancelled)
    return _geometry(pose, posed, moved)


def _geometry(pose: str, posed, moved) -> PosedGeometry:
    from app.posing import pose_seat
    from avatar.rig import load_rig

    head = posed.transforms[load_rig().index("head")] if pose != "stand" else None
    return PosedGeometry(pose, posed.avatar.vertices, {r.garment_id: r for r in moved}, head,
                         pose_seat(posed.avatar, pose))


def walk_loop_geometry(avatar, drapes: dict, lookup, frames: int, *, progress=lambda f, m="": None,
                       cancelled=lambda: False) -> tuple[PosedGeometry, ...]:
    """The avatar and its drapes (garment id -> DrapeResult, inner to outer) walking: one ``PosedGeometry``
    per frame of ``avatar.pose.walk_cycle(avatar, frames)``, each garment settled in each frame."""
    from avatar.pose import walk_cycle
    from garments.motion import walk_loop_outfit

    if not drapes:
        return tuple(_geometry(WALK_LOOP, posed, []) for posed in walk_cycle(avatar, frames))
    loop = walk_loop_outfit(avatar, list(drapes.values()), frames, garments={gid: lookup(gid) for gid in drapes},
                            progress=progress, cancelled=cancelled)
    return tuple(_geometry(WALK_LOOP, posed, moved) for posed, moved in loop)


def _content_like(content, **changes):
    """A new ``SceneContent`` (a new version: the renderer uploads it) like ``content`` but for ``changes``."""
    same = {f.name: getattr(content, f.name) for f in dataclasses.fields(content)
            if f.init and f.name != "version" and f.name not in changes}
    return type(content)(**same, **changes)


def posed_scene(content, geometry: PosedGeometry):
    """``content`` (the standing scene, ``app.render.content.SceneContent``) with its body and every garment
    layer moved as in ``geometry``; each layer keeps its colour, texture and marks, and takes the pose's strain
    (``drawn_strain``, as a standing layer's); the body sits on the pose's seat, if it has one."""
    from app.render.content import drawn_strain

    layers = []
    for layer in content.garments:
        moved = geometry.garments.get(layer.name.split(":", 1)[0])
        layers.append(layer if moved is None else
                      dataclasses.replace(layer, vertices=moved.vertices, strain=drawn_strain(moved.strain)))
    return _content_like(content, body_vertices=geometry.body_vertices, garments=tuple(layers), seat=geometry.seat)


def hair_scene_layer(avatar, look: Look, pose: str):
    """The hair's scene layer for the rest ``avatar`` in ``pose``, or None (no hair, or hidden)."""
    if not look.shows_hair:
        return None
    from app.posing import hair_layer

    return hair_layer(avatar, look.hair_style, look.hair_colour, pose)


def head_moved(hair, head):
    """The standing hair layer ``hair`` (or None) carried by the head's transform ``head`` ((4, 4) or None)."""
    if hair is None or head is None:
        return hair
    head = np.asarray(head, float)
    return dataclasses.replace(hair, vertices=np.asarray(hair.vertices) @ head[:3, :3].T + head[:3, 3])


def with_look(content, look: Look, hair=None):
    """``content`` with the look's skin tone and, when given, the hair layer drawn last (over the garments)."""
    layers = tuple(layer for layer in content.garments if layer.name != HAIR_LAYER)
    if hair is not None:
        layers += (hair,)
    return _content_like(content, skin_srgb=tuple(skin_srgb(look.skin_tone)), garments=layers)


__all__ = ["HAIR_LAYER", "Look", "POSE_NAMES", "PosedGeometry", "WALK_LOOP", "hair_scene_layer", "head_moved",
           "posed_geometry", "posed_scene", "walk_loop_geometry", "with_look"]
