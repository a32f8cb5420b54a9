"""What the 3D view shows, as plain data: an avatar and the garments it wears.

``SceneContent`` holds numpy meshes, colours and optional strain; it has a ``version`` that changes
whenever the content does, so the renderer uploads meshes once per content change and only moves the
camera for every other frame. Building content needs no OpenGL.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from .camera import OrbitCamera, framed_points
from avatar.colour import SKIN_SRGB

from .constants import DEFAULT_GARMENT_SRGB, DEFAULT_STRETCH_LIMIT

_versions = itertools.count(1)


def _frozen(array, dtype, shape_tail, name):
    out = np.ascontiguousarray(array, dtype=dtype)
    if out.ndim != 1 + len(shape_tail) or tuple(out.shape[1:]) != shape_tail:
        raise ValueError(f"{name} must have shape (n, {', '.join(map(str, shape_tail))}), got {out.shape}")
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class GarmentLayer:
    """One garment as the renderer draws it.

    Attributes
    ----------
    name : str
    vertices : (N, 3) float, metres
    faces : (F, 3) int
    colour : (3,) float, sRGB in [0, 1]
    strain : (N,) float fraction, or None; drawn by the fit map
    texture : (H, W, 3) uint8 sRGB image, or None; needs ``uv``; drawn multiplied by ``colour`` (white: as is)
    uv : (N, 2) float texture coordinates, or None
    stretch_limit : float fraction the fit map draws fully red for this fabric (the content's if None)
    fit_marks : app.render.fit_overlay.FitMarks or None; zones that won't close, drawn hatched red
    """

    name: str
    vertices: np.ndarray
    faces: np.ndarray
    colour: tuple = DEFAULT_GARMENT_SRGB
    strain: np.ndarray | None = None
    texture: np.ndarray | None = None
    uv: np.ndarray | None = None
    stretch_limit: float | None = None
    fit_marks: object = None

    def __post_init__(self):
        object.__setattr__(self, "vertices", _frozen(self.vertices, np.float32, (3,), "garment vertices"))
        object.__setattr__(self, "faces", _frozen(self.faces, np.uint32, (3,), "garment faces"))
        object.__setattr__(self, "colour", tuple(float(c) for c in self.colour))
        n = len(self.vertices)
        if self.strain is not None:
            strain = np.ascontiguousarray(self.strain, np.float32)
            strain = strain if strain.ndim == 1 else strain.reshape(-1)  # a layer recoloured keeps its arrays
            if len(strain) != n:
                raise ValueError(f"strain has {len(strain)} values for {n} vertices")
            object.__setattr__(self, "strain", strain)
        if self.stretch_limit is not None and not self.stretch_limit > 0:
            raise ValueError(f"stretch limit must be positive, got {self.stretch_limit!r}")
        if (self.texture is None) != (self.uv is None):
            raise ValueError("a garment texture needs uv coordinates and uv coordinates need a texture")
        if self.uv is not None:
            object.__setattr__(self, "uv", _frozen(self.uv, np.float32, (2,), "garment uv"))
            if len(self.uv) != n:
                raise ValueError(f"uv has {len(self.uv)} rows for {n} vertices")


def garment_from_drape(result, colour=DEFAULT_GARMENT_SRGB, texture=None, uv=None,
                       stretch_limit: float | None = None) -> GarmentLayer:
    """A ``GarmentLayer`` from a ``garments.outfit.DrapeResult``; ``colour`` is sRGB (``garment_srgb`` of
    the catalog garment), ``stretch_limit`` the fabric's stretch (``Garment.stretch``); its strain is
    ``drawn_strain`` of the drape's."""
    return GarmentLayer(name=f"{result.garment_id}:{result.size}".rstrip(":"), vertices=result.vertices,
                        faces=result.faces, colour=colour, strain=drawn_strain(result.strain), texture=texture,
                        uv=uv, stretch_limit=stretch_limit)


def drawn_strain(strain) -> np.ndarray | None:
    """The strain a layer carries for the fit map, which draws it against the fabric's stretch: a drape's
    (N,) vertex strain less ``garments.motion_constants.MOTION_ALLOWANCE``, what a real garment's seams and the
    skin sliding under it take up and the cloth solver puts in its strain (the movement test judges a pose's
    strain against the fabric's stretch plus the same allowance); None stays None. Drawn raw, the seat of the
    slim chino 48 advised to a woman of 165 cm, 92/76/101 (hip +2.3 cm, snug) was red all over: its cloth
    strains 3-10 % there against the fabric's 3 %."""
    from garments.motion_constants import MOTION_ALLOWANCE

    return None if strain is None else np.maximum(np.asarray(strain, float) - MOTION_ALLOWANCE, 0.0)


def textured(garment, result, colour: str = "") -> dict:
    """``texture`` and ``uv`` keywords of ``garment_from_drape`` for a catalog garment with a print whose
    drape kept its texture coordinates: the print of its colourway ``colour`` (``garments.textures``), else none.
    ``garment_look`` gives the layer's colour with it."""
    look = garment_look(garment, result.uv, colour)
    return {k: look[k] for k in ("texture", "uv") if k in look}


def garment_look(garment, uv, colour: str = "") -> dict:
    """``colour``, ``texture`` and ``uv`` keywords of ``garment_from_drape`` for a catalog garment in its
    colourway ``colour``: its print tinted, swapped or under the swatch (``garments.textures.colourway_print``)
    when the drape kept texture coordinates ``uv`` ((N, 2) float or None), else the plain swatch colour."""
    from garments.textures import colourway_print

    factor, texture = colourway_print(garment, colour)
    if texture is None or uv is None:
        return {"colour": garment_srgb(garment, colour)}
    return {"colour": factor, "texture": texture, "uv": uv}


def garment_srgb(garment, colour: str = "") -> tuple[float, float, float]:
    """sRGB in [0, 1] of a catalog garment's colour named ``colour`` ("" or unknown: its first colour;
    a garment without colours: ``DEFAULT_GARMENT_SRGB``). Catalog colours are sRGB already."""
    chosen = next((c for c in garment.colours if c.name == colour), garment.colours[0] if garment.colours else None)
    if chosen is None:
        return DEFAULT_GARMENT_SRGB
    return tuple(float(c) for c in chosen.rgb)


@dataclass(frozen=True, eq=False)
class SceneContent:
    """Everything the view shows except the camera.

    Attributes
    ----------
    body_vertices : (V, 3) float, metres; Y up, facing +Z, feet on y = 0
    skin_faces : (Fs, 3) int; drawn with the skin material
    other_faces : (Fo, 3) int; eyes, teeth, tongue, drawn dark
    garments : tuple of GarmentLayer, drawn in this order
    stretch_limit : float, strain fraction the fit map draws fully red
    version : int, unique per content; the renderer re-uploads meshes only when it changes
    skin_srgb : (3,) float in [0, 1]; the skin's colour (``avatar.looks``)
    seat : app.render.seat.Seat or None; the block a sitting body sits on (``app.posing.pose_seat``)
    """

    body_vertices: np.ndarray
    skin_faces: np.ndarray
    other_faces: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.uint32))
    garments: tuple = ()
    stretch_limit: float = DEFAULT_STRETCH_LIMIT
    version: int = field(default_factory=lambda: next(_versions))
    skin_srgb: tuple = tuple(SKIN_SRGB)
    seat: object = None

    def __post_init__(self):
        object.__setattr__(self, "body_vertices", _frozen(self.body_vertices, np.float32, (3,), "body vertices"))
        object.__setattr__(self, "skin_faces", _frozen(self.skin_faces, np.uint32, (3,), "skin faces"))
        object.__setattr__(self, "other_faces", _frozen(self.other_faces, np.uint32, (3,), "other faces"))
        object.__setattr__(self, "garments", tuple(self.garments))
        if not self.stretch_limit > 0:
            raise ValueError(f"stretch limit must be positive, got {self.stretch_limit!r}")

    @classmethod
    def from_avatar(cls, avatar, garments=(), stretch_limit: float = DEFAULT_STRETCH_LIMIT,
                    seat=None) -> SceneContent:
        """Content of an ``avatar.avatar.Avatar`` (skin = ``body_faces``, the rest of ``faces`` drawn dark),
        sitting on ``seat`` (``app.render.seat.Seat``) if one is given."""
        from avatar.looks import skin_srgb

        return cls(avatar.vertices, avatar.body_faces, other_faces(avatar.faces, avatar.body_faces),
                   tuple(garments), stretch_limit, skin_srgb=skin_srgb(avatar.skin_tone), seat=seat)

    @classmethod
    def from_mesh(cls, vertices, faces, garments=(), stretch_limit: float = DEFAULT_STRETCH_LIMIT) -> SceneContent:
        """Content of a plain body mesh (e.g. a loaded GLB/OBJ): every face is skin."""
        return cls(vertices, faces, np.zeros((0, 3), np.uint32), tuple(garments), stretch_limit)

    @property
    def points(self) -> np.ndarray:
        """(N, 3) float, metres: every point drawn (body, garments, the seat's corners); framing shows them all."""
        seat = [self.seat.corners.astype(np.float32)] if self.seat is not None else []
        return np.concatenate([self.body_vertices] + [g.vertices for g in self.garments] + seat)

    @property
    def bounds(self) -> np.ndarray:
        """(2, 3) float, metres: min and max corners of the body, garments and seat."""
        allp = self.points
        return np.stack([allp.min(axis=0), allp.max(axis=0)]).astype(float)

    @property
    def axis(self) -> tuple[float, float]:
        """(x, z) metres of the body's vertical axis (median of its vertices: the torso, not the hands);
        the camera orbits round it and the floor disc is centred on it."""
        x, z = np.median(self.body_vertices[:, [0, 2]], axis=0)
        return float(x), float(z)

    @property
    def radius(self) -> float:
        """Metres: the farthest body, garment or seat point from the vertical ``axis`` (framing uses it)."""
        x, z = self.axis
        points = self.points
        return float(np.hypot(points[:, 0] - x, points[:, 2] - z).max())

    def framed(self, aspect: float, view: str = "front") -> OrbitCamera:
        """The closest camera showing all of this content with a margin, from any side
        (see ``camera.framed_points``)."""
        return framed_points(self.points, aspect, view, self.axis)

    @property
    def has_strain(self) -> bool:
        return any(g.strain is not None for g in self.garments)

    @property
    def stretch_limits(self) -> tuple[float, ...]:
        """The distinct stretch limits (fractions, smallest first) of the garments with strain; the legend
        names them under its bar."""
        return tuple(sorted({g.stretch_limit or self.stretch_limit for g in self.garments if g.strain is not None}))


_OTHER_FACES: dict[tuple, np.ndarray] = {}


def other_faces(faces: np.ndarray, body_faces: np.ndarray) -> np.ndarray:
    """(Fo, 3) uint32: the faces that are not skin (eyes, teeth, tongue), whatever their winding start.

    Every avatar of the body model shares one topology, so the answer is computed once per
    topology, with array operations: a Python loop over 27k faces here held the GIL for
    ~200 ms per redraw and stalled the window.
    """
    faces, body_faces = np.asarray(faces), np.asarray(body_faces)
    key = (faces.shape, body_faces.shape, hash(faces[:: max(1, len(faces) // 64)].tobytes()))
    if key not in _OTHER_FACES:
        n = int(max(faces.max(initial=0), body_faces.max(initial=0))) + 1

        def codes(f):  # one integer per triangle
            f = np.sort(f.astype(np.int64), axis=1)
            return (f[:, 0] * n + f[:, 1]) * n + f[:, 2]

        _OTHER_FACES[key] = faces[~np.isin(codes(faces), codes(body_faces))].astype(np.uint32).reshape(-1, 3)
    return _OTHER_FACES[key]
