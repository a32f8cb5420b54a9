"""Hair generated from the avatar's own head, for any body shape (nothing is loaded from files).

Rays cast from inside the skull find the head's outline down a few hundred meridians
(``avatar.hair_skull``); each meridian is one strand of the hair's surface, laid a style's thickness
outside the skin from the crown down to a smooth, natural hairline (``hair_constants.HAIRLINE``): the
forehead, the temples, a sideburn, over the ear and down behind it to the nape. Hair that hangs (medium,
long) drops straight from the widest point of the head instead of following it in, and long hair goes on
down behind the shoulders (``avatar.hair_fall``). Tied-back hair adds a bun; curly hair is a thick cap
with curls worked into it. Short, curly and tied-back hair end at the nape hairline and medium hair a few
centimetres under it, above the neck, so they never hide a collar; long hair does, and ``none`` hides it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import UserError
from .hair_constants import (
    BUN_HEIGHT_HEADS,
    BUN_SEGMENTS,
    BUN_TWIST_DEPTH,
    BUN_TWISTS,
    CROWN_RISE,
    CURL_WAVELENGTH_M,
    CURL_WAVES,
    EDGE_THICKNESS_M,
    FACE_FRAME,
    HAIRLINE_TAPER_M,
    HANG_BEND_M,
    SPLIT_BELOW_NAPE_M,
    STRAND_GROOVE_M,
    STRAND_GROOVES,
    TIP_ROUNDING_M,
    TUCK_M,
)
from .hair_skull import Skull, cast_skull, hairline_heads, smoothstep


class HairError(UserError, ValueError):
    """An unknown hair style or colour; the message lists the choices."""


@dataclass(frozen=True)
class HairStyle:
    """thickness: metres off the scalp at the crown; sides: metres off it at the sides and back; hang: 0-1, how much of the hair below the head's
    widest point hangs straight down instead of following the skull in; length: metres the hair reaches
    below the nape hairline at the back (0: it ends at the hairline); bun: radius of a bun, metres (0:
    none); curl: the curls' depth, metres; tuck: the ends turn under (``TUCK_M``); columns, rows: the mesh's strands and points per strand."""

    thickness: float
    sides: float
    hang: float = 0.0
    length: float = 0.0
    bun: float = 0.0
    curl: float = 0.0
    tuck: bool = False
    columns: int = 144
    rows: int = 32


HAIR_STYLES = {
    "none": None,
    "short": HairStyle(thickness=0.013, sides=0.006),
    "medium": HairStyle(thickness=0.016, sides=0.011, hang=0.85, length=0.035, tuck=True, columns=144, rows=44),
    "long": HairStyle(thickness=0.016, sides=0.011, hang=1.0, length=0.26, columns=144, rows=84),
    "tied-back": HairStyle(thickness=0.007, sides=0.004, bun=0.034),
    "curly": HairStyle(thickness=0.032, sides=0.018, curl=0.007, columns=200, rows=52),
}
HAIR_STYLE_NAMES = tuple(HAIR_STYLES)
# Natural hair colours, sRGB (black, dark brown, brown, auburn, blond, grey).
HAIR_COLOURS = {
    "black": (0.07, 0.06, 0.06), "dark-brown": (0.20, 0.13, 0.09), "brown": (0.36, 0.24, 0.15),
    "auburn": (0.45, 0.20, 0.11), "blond": (0.78, 0.64, 0.42), "grey": (0.62, 0.61, 0.60),
}


@dataclass(frozen=True, eq=False)
class Hair:
    """Hair as a mesh.

    Attributes
    ----------
    vertices : (N, 3) float, metres
    faces : (M, 3) int
    colour : (3,) float, sRGB
    strands : (C, R) int or None; the vertices of each strand, crown first (for posing)
    free_from : (C,) int or None; each strand's first row below the nape, which hangs with gravity
    """

    vertices: np.ndarray
    faces: np.ndarray
    colour: tuple
    strands: np.ndarray | None = None
    free_from: np.ndarray | None = None


def hair_colour(name: str) -> tuple:
    if name not in HAIR_COLOURS:
        raise HairError(f"unknown hair colour '{name}'; use one of {', '.join(HAIR_COLOURS)}")
    return HAIR_COLOURS[name]


def scalp_vertices(avatar) -> np.ndarray:
    """(k,) int: the skin vertices of the scalp, the head's skin above the hairline."""
    from .hair_skull import skull_centre

    v = np.asarray(avatar.vertices, float)
    skin = np.unique(np.asarray(avatar.body_faces))
    head = np.asarray(avatar.joints["head"], float)
    centre, height = skull_centre(avatar, v[skin])
    rel = v[skin] - centre
    azimuth = np.arctan2(rel[:, 0], rel[:, 2])
    above = v[skin, 1] > head[1] + height * hairline_heads(azimuth)
    return skin[above & (np.linalg.norm(rel, axis=1) < 0.16)]


def make_hair(avatar, style: str, colour: str = "dark-brown") -> Hair | None:
    """Hair of a style fitted to an avatar's head (None for ``none``).

    Parameters
    ----------
    avatar : avatar.avatar.Avatar (at rest)
    style : one of ``HAIR_STYLE_NAMES``
    colour : one of ``HAIR_COLOURS``
    """
    if style not in HAIR_STYLES:
        raise HairError(f"unknown hair style '{style}'; use one of {', '.join(HAIR_STYLE_NAMES)}")
    rgb = hair_colour(colour)
    spec = HAIR_STYLES[style]
    if spec is None:
        return None
    skull = cast_skull(avatar, spec.columns)
    grid, free_from = _strands(avatar, skull, spec)
    if spec.curl:
        grid = _curls(grid, skull, spec.curl)
    vertices, faces = _grid_mesh(grid, skull)
    strands = np.arange(grid.shape[0] * grid.shape[1]).reshape(grid.shape[:2])
    if spec.bun:
        bun_v, bun_f = _bun(skull, spec.bun)
        faces = np.concatenate([faces, bun_f + len(vertices)])
        vertices = np.concatenate([vertices, bun_v])
    return Hair(vertices=vertices, faces=faces.astype(np.int64), colour=rgb, strands=strands, free_from=free_from)


def _strands(avatar, skull: Skull, spec: HairStyle) -> tuple[np.ndarray, np.ndarray]:
    """The hair's strands (C, R, 3) metres, crown first, and each one's first free row (C,) int."""
    azimuth = skull.azimuth
    degrees = np.degrees(azimuth)
    away = np.minimum(degrees, 360.0 - degrees)
    hairline = skull.height(hairline_heads(azimuth))
    nape = float(skull.height(hairline_heads(np.array([np.pi])))[0])
    grows = smoothstep((away - FACE_FRAME[0]) / (FACE_FRAME[1] - FACE_FRAME[0])) if spec.length else 0.0 * away
    ends = nape - spec.length + TIP_ROUNDING_M * (spec.length > 0.1) * (1.0 - smoothstep((away - 90.0) / 90.0))
    ends = hairline + grows * (ends - hairline)
    y = skull.points[..., 1]
    full = smoothstep((y - hairline[:, None]) / HAIRLINE_TAPER_M)
    rise = smoothstep((skull.directions[..., 1] - CROWN_RISE[0]) / (CROWN_RISE[1] - CROWN_RISE[0]))
    body = spec.sides + (spec.thickness - spec.sides) * rise
    thickness = EDGE_THICKNESS_M + (body - EDGE_THICKNESS_M) * np.maximum(full, grows[:, None])
    reach = skull.distance + thickness
    elevation = np.arcsin(skull.directions[..., 1])
    out = reach * np.cos(elevation)
    if spec.hang:
        out = out + spec.hang * (_draped(out, skull.points[..., 1]) - out)
    horizontal = np.stack([np.sin(azimuth), np.cos(azimuth)], axis=1)
    cap = np.empty_like(skull.points)
    cap[..., 0] = skull.centre[0] + out * horizontal[:, None, 0]
    cap[..., 1] = skull.centre[1] + reach * np.sin(elevation)
    cap[..., 2] = skull.centre[2] + out * horizontal[:, None, 1]
    split = nape - SPLIT_BELOW_NAPE_M
    falls = ends < split
    fall = None
    if falls.any():
        from .hair_fall import SkinPush, hang_below

        push = SkinPush(avatar.vertices, avatar.body_faces, skull.head_joint)
        start = np.array([_cut(cap[c], split)[-1] for c in range(len(cap))])
        nape_point = np.array([skull.centre[0], nape, start[np.argmin(np.abs(azimuth - np.pi)), 2]])
        fall = hang_below(start, azimuth, float(ends.min()), push, float(skull.centre[0]), nape_point)
        if spec.length > 0.1:
            fall = _grooves(fall, azimuth, start)
    grid = np.empty((len(cap), spec.rows, 3))
    free_from = np.full(len(cap), spec.rows)
    for c in range(len(cap)):
        line = _cut(cap[c], max(ends[c], split) if falls[c] else ends[c])
        if falls[c]:
            line = np.concatenate([line, _cut(fall[c], ends[c], keep_first=True)])
        grid[c] = _resample(line, spec.rows)
        if spec.tuck and falls[c]:
            grid[c] = _tucked(grid[c], skull.centre)
        below = np.nonzero(grid[c, :, 1] < split - 1e-6)[0]
        free_from[c] = below[0] if len(below) else spec.rows
    return grid, free_from


def _tucked(strand: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """A strand (R, 3) whose last ``TUCK_M[0]`` turns in towards the head's axis, by up to ``TUCK_M[1]``."""
    left = np.concatenate([np.cumsum(np.linalg.norm(np.diff(strand, axis=0), axis=1)[::-1])[::-1], [0.0]])
    inward = centre - strand
    inward[:, 1] = 0.0
    inward /= np.maximum(np.linalg.norm(inward, axis=1, keepdims=True), 1e-9)
    return strand + (TUCK_M[1] * smoothstep(1.0 - left / TUCK_M[0]) ** 2)[:, None] * inward


def _draped(out: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Hanging hair's distance from the head's axis (C, K) metres: never less than anywhere above (it
    falls straight from the widest point), and curving out gradually above a bulge below it (the ears),
    on arcs of radius ``HANG_BEND_M``, instead of stepping out at it."""
    below = np.maximum.accumulate(out, axis=1)
    rise = np.clip(y[:, :, None] - y[:, None, :], 0.0, None)  # (C, k, j): how far row k is above row j
    arc = HANG_BEND_M - np.sqrt(np.clip(HANG_BEND_M**2 - rise**2, 0.0, None))
    arc = np.where(rise < HANG_BEND_M, arc, np.inf)
    draped = np.maximum(out, (below[:, None, :] - arc).max(axis=2))
    return np.where(y < y.max(axis=1, keepdims=True) - HANG_BEND_M, draped, out)  # the crown lies as it grows


def _cut(line: np.ndarray, height: float, keep_first: bool = False) -> np.ndarray:
    """The part of a polyline (n, 3) from its start down to where it first crosses ``height``."""
    below = np.nonzero(line[:, 1] < height)[0]
    if not len(below):
        return line
    k = below[0]
    if k == 0:
        return line[:1] if keep_first else line[:1]
    a, b = line[k - 1], line[k]
    t = (a[1] - height) / max(a[1] - b[1], 1e-12)
    return np.concatenate([line[:k], [a + t * (b - a)]])


def _resample(line: np.ndarray, rows: int) -> np.ndarray:
    """``rows`` points evenly spaced along a polyline (n, 3), its ends kept."""
    s = np.concatenate([[0.0], np.cumsum(np.sqrt((np.diff(line, axis=0) ** 2).sum(axis=1)))])
    at = np.linspace(0.0, s[-1], rows)
    out = np.empty((rows, 3))
    for k in range(3):
        out[:, k] = np.interp(at, s, line[:, k])
    return out


def _grooves(fall: np.ndarray, azimuth: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Clumps of strands: shallow grooves down hanging hair, deepening towards the ends."""
    outward = fall.copy()
    outward[..., 1] = 0.0
    outward[..., 0] -= start[:, None, 0].mean()
    outward /= np.maximum(np.linalg.norm(outward, axis=-1, keepdims=True), 1e-9)
    depth = np.linspace(0.3, 1.0, fall.shape[1])[None, :] * STRAND_GROOVE_M
    wave = np.cos(STRAND_GROOVES * azimuth + 1.7 * np.sin(3.0 * azimuth))[:, None]
    return fall + (depth * wave)[..., None] * outward


def _curls(grid: np.ndarray, skull: Skull, depth: float) -> np.ndarray:
    """Curls: the surface raised along winding ridges (a sum of plane waves' zero lines), fading to the
    hairline so the edge stays on the skin."""
    rng = np.random.default_rng(7)
    axes = rng.normal(size=(CURL_WAVES, 3))
    axes /= np.linalg.norm(axes, axis=1, keepdims=True)
    phase = rng.uniform(0.0, 2.0 * np.pi, CURL_WAVES)
    rel = grid - skull.centre
    k = 2.0 * np.pi / CURL_WAVELENGTH_M
    field = np.cos(k * rel @ axes.T + phase).sum(axis=-1) / np.sqrt(CURL_WAVES / 2.0)
    ridge = 2.0 * np.exp(-field**2 / 0.4) - 1.0
    fade = smoothstep(np.linspace(1.0, 0.0, grid.shape[1]) / 0.25)[None, :]
    radial = rel / np.linalg.norm(rel, axis=-1, keepdims=True)
    return grid + (depth * ridge * fade)[..., None] * radial


def _grid_mesh(grid: np.ndarray, skull: Skull) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and faces of strands side by side round the head, closed at the crown by one vertex."""
    columns, rows = grid.shape[:2]
    ring = grid[:, 0]
    lift = np.linalg.norm(ring - skull.centre, axis=1).mean() * (1.0 - np.sin(np.radians(86.0)))
    pole = ring.mean(axis=0) + [0.0, lift, 0.0]
    vertices = np.concatenate([grid.reshape(-1, 3), [pole]])
    index = np.arange(columns * rows).reshape(columns, rows)
    a, b = index[:, :-1], index[:, 1:]
    c, d = np.roll(a, -1, axis=0), np.roll(b, -1, axis=0)
    quads = np.concatenate([np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)])
    top = np.stack([np.full(columns, len(vertices) - 1), index[:, 0], np.roll(index[:, 0], -1)], axis=1)
    faces = np.concatenate([top, quads])
    return vertices, _outward(vertices, faces, skull.centre)


def _outward(vertices: np.ndarray, faces: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Faces wound so their normals point away from the skull's centre."""
    tri = vertices[faces[:: max(1, len(faces) // 500)]]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    if np.einsum("ij,ij->i", normal, tri.mean(axis=1) - centre).sum() < 0.0:
        return faces[:, [0, 2, 1]]
    return faces


def _bun(skull: Skull, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """A bun: a ball of hair wound in twists, half sunk into the back of the head over the occiput."""
    rows, columns = BUN_SEGMENTS
    height = float(skull.height(BUN_HEIGHT_HEADS))
    back = skull.points[np.argmin(np.abs(skull.azimuth - np.pi))]
    z = back[np.argmin(np.abs(back[:, 1] - height)), 2]
    centre = np.array([skull.centre[0], height, z - 0.45 * radius])
    theta = np.linspace(0.0, np.pi, rows)[:, None]
    psi = np.linspace(0.0, 2.0 * np.pi, columns, endpoint=False)[None, :]
    r = radius * (1.0 - BUN_TWIST_DEPTH * 0.5 * (1.0 + np.cos(BUN_TWISTS * psi + 4.0 * theta)) * np.sin(theta))
    # the bun's axis points back (-z): theta from its back pole, psi round it
    points = np.stack([r * np.sin(theta) * np.cos(psi), r * np.sin(theta) * np.sin(psi) * 0.9,
                       -r * np.cos(theta) * 0.8], axis=-1) + centre
    index = np.arange(rows * columns).reshape(rows, columns)
    a, b = index[:-1], index[1:]
    c, d = np.roll(a, -1, axis=1), np.roll(b, -1, axis=1)
    faces = np.concatenate([np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)])
    vertices = points.reshape(-1, 3)
    return vertices, _outward(vertices, faces, centre)


def pose_hair(hair: Hair, posed) -> Hair:
    """Hair moved with the head into a pose (``avatar.pose.PosedBody``); the hair below the nape hangs
    with gravity when the head tilts, kept out of the posed skin."""
    from .hair_fall import SkinPush, head_tilt, rehang
    from .rig import load_rig

    g = posed.transforms[load_rig().index("head")]
    vertices = hair.vertices @ g[:3, :3].T + g[:3, 3]
    if hair.strands is not None and hair.free_from.min() < hair.strands.shape[1] and head_tilt(g[:3, :3]) > 0.0:
        near = posed.avatar.joints["head"]
        push = SkinPush(posed.avatar.vertices, posed.avatar.body_faces, near)
        vertices[hair.strands] = rehang(hair.vertices[hair.strands], hair.free_from, g, push)
    return Hair(vertices=vertices, faces=hair.faces, colour=hair.colour, strands=hair.strands,
                free_from=hair.free_from)


__all__ = ["HAIR_COLOURS", "HAIR_STYLES", "HAIR_STYLE_NAMES", "Hair", "HairError", "make_hair", "pose_hair",
           "scalp_vertices"]
