"""Hair generated from the avatar's own head: a cap over the scalp, and for longer styles a fall of hair
from the cap's back edge, fitted to any body shape (nothing is loaded from files).

The scalp is the skin of the head above the hairline (in the head joint's frame: above the ears and
behind the forehead). The cap is that skin pushed out along its normals by the style's thickness; medium
and long hair extend the cap's back and side edge straight down, kept outside the skin; tied-back hair
adds a bun at the back; curly hair ripples the cap. Short, medium and tied-back styles end above the
nape, so they never cover a collar; long hair does, and ``none`` hides it for a closer look.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import UserError
from .surface import vertex_normals


class HairError(UserError, ValueError):
    """An unknown hair style or colour; the message lists the choices."""


@dataclass(frozen=True)
class HairStyle:
    """thickness: metres off the scalp; fall: metres the hair hangs below the cap's back edge;
    bun: radius of a bun at the back, metres (0: none); curl: ripple amplitude, metres."""

    thickness: float
    fall: float = 0.0
    bun: float = 0.0
    curl: float = 0.0


HAIR_STYLES = {
    "none": None,
    "short": HairStyle(thickness=0.006),
    "medium": HairStyle(thickness=0.012, fall=0.07),
    "long": HairStyle(thickness=0.014, fall=0.26),
    "tied-back": HairStyle(thickness=0.005, bun=0.035),
    "curly": HairStyle(thickness=0.022, curl=0.006),
}
HAIR_STYLE_NAMES = tuple(HAIR_STYLES)
# Natural hair colours, sRGB (black, dark brown, brown, auburn, blond, grey).
HAIR_COLOURS = {
    "black": (0.07, 0.06, 0.06), "dark-brown": (0.20, 0.13, 0.09), "brown": (0.36, 0.24, 0.15),
    "auburn": (0.45, 0.20, 0.11), "blond": (0.78, 0.64, 0.42), "grey": (0.62, 0.61, 0.60),
}
HAIRLINE_ABOVE_HEAD_JOINT_M = 0.035  # the ears' top is about 3-4 cm above the head joint (skull base)
FOREHEAD_FRONT_M = 0.045  # skin farther forward than this from the head joint is face, below the crown
CROWN_BELOW_TOP_M = 0.045  # within this of the top of the head everything is scalp
FALL_STEPS = 8
FALL_CLEARANCE_M = 0.012  # hair hanging past the neck and back stays this far out of the skin
# ... and at its ends, this far: over a top's shoulders and upper back (cloth sits 3-10 mm off the skin there)
FALL_OVER_CLOTHES_M = 0.022
FALL_PUSHES = 2  # pushes out of the skin per ring (the nearest skin point changes after the first)


@dataclass(frozen=True)
class Hair:
    """Hair as a mesh: vertices (N, 3) float metres, faces (M, 3) int, colour sRGB (3,)."""

    vertices: np.ndarray
    faces: np.ndarray
    colour: tuple


def hair_colour(name: str) -> tuple:
    if name not in HAIR_COLOURS:
        raise HairError(f"unknown hair colour '{name}'; use one of {', '.join(HAIR_COLOURS)}")
    return HAIR_COLOURS[name]


def scalp_vertices(avatar) -> np.ndarray:
    """(k,) int: the skin vertices of the scalp, above the hairline."""
    v = np.asarray(avatar.vertices, float)
    skin = np.unique(np.asarray(avatar.body_faces))
    head = np.asarray(avatar.joints["head"], float)
    rel = v[skin] - head
    top = rel[:, 1].max()
    scalp = (rel[:, 1] > HAIRLINE_ABOVE_HEAD_JOINT_M) & ((rel[:, 2] < FOREHEAD_FRONT_M) | (rel[:, 1] > top - CROWN_BELOW_TOP_M))
    scalp &= np.abs(rel[:, 0]) < 0.12  # the head only, never a raised hand
    return skin[scalp]


def _boundary_edges(faces: np.ndarray) -> np.ndarray:
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    unique, count = np.unique(edges, axis=0, return_counts=True)
    return unique[count == 1]


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
    v = np.asarray(avatar.vertices, float)
    body_faces = np.asarray(avatar.body_faces)
    normals = vertex_normals(v, body_faces)
    scalp = np.zeros(len(v), bool)
    scalp[scalp_vertices(avatar)] = True
    faces = body_faces[scalp[body_faces].all(axis=1)]
    used, local = np.unique(faces, return_inverse=True)
    faces = local.reshape(-1, 3)
    thickness = np.full(len(used), spec.thickness)
    if spec.curl:
        p = v[used] * 90.0
        thickness += spec.curl * np.sin(p[:, 0]) * np.sin(p[:, 1]) * np.sin(p[:, 2])
    cap = v[used] + normals[used] * thickness[:, None]
    parts_v, parts_f = [cap], [faces]
    head = np.asarray(avatar.joints["head"], float)
    if spec.fall:
        parts_v, parts_f = _fall(avatar, cap, faces, head, spec.fall, parts_v, parts_f)
    if spec.bun:
        parts_v, parts_f = _bun(cap, head, spec.bun, parts_v, parts_f)
    vertices = np.concatenate(parts_v)
    return Hair(vertices=vertices, faces=np.concatenate(parts_f).astype(np.int64), colour=rgb)


def _fall(avatar, cap, faces, head, length, parts_v, parts_f):
    """Hair hanging straight down from the cap's back and side edge, kept out of the skin."""
    from scipy.spatial import cKDTree

    edges = _boundary_edges(faces)
    back = (cap[edges, 2] < head[2] + 0.01).all(axis=1)  # the edge behind the ears, not the forehead
    edges = edges[back]
    ends = np.unique(edges)
    index = {int(e): k for k, e in enumerate(ends)}
    skin = np.unique(np.asarray(avatar.body_faces))
    sv = np.asarray(avatar.vertices, float)[skin]
    sn = vertex_normals(np.asarray(avatar.vertices, float), np.asarray(avatar.body_faces))[skin]
    tree = cKDTree(sv)
    offset = sum(len(p) for p in parts_v)
    previous = {int(e): int(e) for e in ends}  # vertex ids of the ring above, in the combined array
    rows = []
    ring = cap[ends]
    for step in range(1, FALL_STEPS + 1):
        # Each ring hangs from the one above, so hair that met the shoulders or the back goes on down over
        # them instead of folding back into the straight fall (dark crumpled ends)
        ring = ring - np.array([0.0, length / FALL_STEPS, 0.0])
        clearance = FALL_CLEARANCE_M + (FALL_OVER_CLOTHES_M - FALL_CLEARANCE_M) * step / FALL_STEPS
        for _ in range(FALL_PUSHES):
            _, near = tree.query(ring)
            out = np.einsum("ij,ij->i", ring - sv[near], sn[near])
            ring = ring + np.clip(clearance - out, 0.0, None)[:, None] * sn[near]
        rows.append(ring)
        current = {int(e): offset + k for e, k in index.items()}
        quads = [(previous[a], previous[b], current[b], current[a]) for a, b in edges]
        parts_f.append(np.array([(q[0], q[1], q[2]) for q in quads] + [(q[0], q[2], q[3]) for q in quads]))
        previous = current
        offset += len(ends)
    parts_v += rows
    return parts_v, parts_f


def _bun(cap, head, radius, parts_v, parts_f):
    """A bun: a sphere at the back of the head, at the height of the crown's lower half."""
    import trimesh

    back = cap[cap[:, 2].argmin()]
    centre = np.array([head[0], back[1] - 0.01, back[2] - 0.6 * radius])
    sphere = trimesh.creation.icosphere(subdivisions=2, radius=radius)
    offset = sum(len(p) for p in parts_v)
    parts_v.append(np.asarray(sphere.vertices) + centre)
    parts_f.append(np.asarray(sphere.faces) + offset)
    return parts_v, parts_f


def pose_hair(hair: Hair, posed) -> Hair:
    """Hair moved with the head into a pose (``avatar.pose.PosedBody``)."""
    from .rig import load_rig

    g = posed.transforms[load_rig().index("head")]
    return Hair(vertices=hair.vertices @ g[:3, :3].T + g[:3, 3], faces=hair.faces, colour=hair.colour)


__all__ = ["HAIR_COLOURS", "HAIR_STYLES", "HAIR_STYLE_NAMES", "Hair", "HairError", "make_hair", "pose_hair",
           "scalp_vertices"]
