"""The posed body's own distance field where the pose presses skin onto skin that was apart at rest.

Sitting or bending, a heavy belly meets the thighs: the two overlap, and skin of each lies buried in the
other. The field carried by the bones (``garments.posed_sdf``) reads a point through the transforms of
the skin nearest to it, which there is the buried belly skin, so a point deep inside the thigh reads as
just outside the belly and cloth pushed into the fold stays there (the shared show-through counter saw
44 px of skin through a tee and 21 px through chinos on a heavy woman sitting). In a box around such skin
the posed mesh's own field is built instead (``garments.sdf.build_sdf`` over that box only, a tenth of a
whole body's grid or less): it measures to the outer skin only, so cloth is pushed out of the fold. The same
holds where a pose pulls apart skin that touched at rest: walking, thighs that press together standing open a
gap whose points the carried field takes back into the rest body's overlap of the thighs, centimetres deep.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np

from .array_cache import ArrayCache, array_key
from .motion_constants import (POSED_FOLD_APART_M, POSED_FOLD_CELL_M, POSED_FOLD_MARGIN_M, POSED_FOLD_PAD_M,
                                POSED_FOLD_STRETCH, POSED_FOLD_TOUCH_M)
from .sdf import SignedDistanceField, build_sdf
from .winding import column_index, project_mesh


@dataclass(frozen=True, eq=False)
class Fold:
    """A box of space where the posed body's own field is read.

    Attributes
    ----------
    lo, hi : (3,) float, metres; the box's corners
    build : makes the posed body's field over the box (its grid reaches beyond the box by the drape's
        margin); called the first time ``field`` is read, so a box no cloth comes into (the hands by the
        knees bending, above the head reaching) costs nothing
    """

    lo: np.ndarray
    hi: np.ndarray
    build: Callable[[], SignedDistanceField]

    @cached_property
    def field(self) -> SignedDistanceField:
        """The posed body's field over the box, made on first need."""
        return self.build()


def fold_boxes(rest_skin: np.ndarray, posed_skin: np.ndarray, edges: np.ndarray) -> list[np.ndarray]:
    """Boxes around the skin the pose brings into contact with skin that was apart at rest, pulls apart
    from skin it touched at rest, or stretches or squeezes by more than ``POSED_FOLD_STRETCH``.

    Parameters
    ----------
    rest_skin, posed_skin : (S, 3) float, metres; the same skin vertices at rest and in the pose
    edges : (E, 2) int; the skin's mesh edges, indices into them

    Returns
    -------
    list of (2, 3) float, metres: each box's lower and upper corner, ``POSED_FOLD_PAD_M`` around its skin
    """
    from scipy import ndimage

    closed = _far_apart(_touching(posed_skin), rest_skin)
    # and the other way round: skin touching at rest that the pose pulls apart (thighs pressed together
    # standing, a stride apart walking), where a point in the gap is carried back into the rest overlap
    opened = _far_apart(_touching_at_rest(rest_skin), posed_skin)
    length = np.linalg.norm(posed_skin[edges[:, 0]] - posed_skin[edges[:, 1]], axis=1)
    rest_length = np.maximum(np.linalg.norm(rest_skin[edges[:, 0]] - rest_skin[edges[:, 1]], axis=1), 1e-9)
    deformed = np.abs(length / rest_length - 1.0) > POSED_FOLD_STRETCH
    touching = posed_skin[np.unique(np.concatenate([closed.reshape(-1), opened.reshape(-1),
                                                    edges[deformed].reshape(-1)]))]
    if len(touching) == 0:
        return []
    # Separate folds (both armpits, a knee) get a box each: touching skin grouped by coarse cells.
    origin = touching.min(axis=0) - POSED_FOLD_CELL_M
    cells = np.floor((touching - origin) / POSED_FOLD_CELL_M).astype(np.int64)
    grid = np.zeros(cells.max(axis=0) + 2, dtype=bool)
    grid[tuple(cells.T)] = True
    labels, _ = ndimage.label(grid, structure=np.ones((3, 3, 3)))
    group = labels[tuple(cells.T)]
    return [np.stack([touching[group == g].min(axis=0) - POSED_FOLD_PAD_M,
                      touching[group == g].max(axis=0) + POSED_FOLD_PAD_M]) for g in np.unique(group)]


def _far_apart(pairs: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """The ``pairs`` (P, 2) int of skin vertices more than ``POSED_FOLD_APART_M`` apart in ``skin`` (S, 3) metres."""
    offset = skin[pairs[:, 0]] - skin[pairs[:, 1]]
    return pairs[np.einsum("ij,ij->i", offset, offset) > POSED_FOLD_APART_M ** 2]


_EDGES = ArrayCache(4)
_TOUCHING = ArrayCache(4)


def _touching(skin: np.ndarray) -> np.ndarray:
    """(P, 2) int: the pairs of skin vertices ((S, 3) float, metres) within ``POSED_FOLD_TOUCH_M`` of each other."""
    from scipy.spatial import cKDTree

    return cKDTree(skin).query_pairs(POSED_FOLD_TOUCH_M, output_type="ndarray").reshape(-1, 2)


def _touching_at_rest(rest_skin: np.ndarray) -> np.ndarray:
    """``_touching`` of the skin at rest, remembered by the skin (every pose of an avatar, every frame of its
    walk, has the same)."""
    return _TOUCHING.get(array_key(rest_skin), lambda: _touching(rest_skin))


def _skin_edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The skin's vertices (S,) int and its edges (E, 2) int as indices into them, of skin triangles (F, 3);
    remembered by the triangles (every avatar of the body model has the same)."""
    faces = np.asarray(faces)
    return _EDGES.get(array_key(faces), lambda: _find_skin_edges(faces))


def _find_skin_edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    skin, corners = np.unique(faces, return_inverse=True)
    corners = corners.reshape(faces.shape)
    pairs = np.sort(np.concatenate([corners[:, [0, 1]], corners[:, [1, 2]], corners[:, [2, 0]]]), axis=1)
    keys = np.unique(pairs[:, 0] * len(skin) + pairs[:, 1])  # one number per edge: far quicker than rows
    return skin, np.column_stack([keys // len(skin), keys % len(skin)])


def posed_folds(rest_avatar, posed) -> tuple[Fold, ...]:
    """The folds of a pose, each with the posed body's own field over its box.

    Parameters
    ----------
    rest_avatar : avatar.avatar.Avatar at rest
    posed : avatar.pose.PosedBody of it
    """
    skin, edges = _skin_edges(np.asarray(rest_avatar.body_faces))
    vertices = np.asarray(posed.avatar.vertices, dtype=np.float64)
    boxes = fold_boxes(np.asarray(rest_avatar.vertices, dtype=np.float64)[skin], vertices[skin], edges)
    faces, skin_faces = posed.avatar.faces, posed.avatar.body_faces
    projection = _SharedProjection(vertices, np.asarray(faces))
    return tuple(Fold(box[0], box[1], partial(build_sdf, vertices, faces, distance_faces=skin_faces, box=box,
                                              margin=POSED_FOLD_MARGIN_M, projection=projection))
                 for box in boxes)


class _SharedProjection:
    """The posed mesh's ``project_mesh`` and ``column_index``, made for the first fold field built and kept
    for the pose's other folds (each field's sign is decided by the whole mesh)."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray):
        self._mesh = (vertices, faces)
        self._lock = threading.Lock()
        self._made = None

    def __call__(self):
        with self._lock:
            if self._made is None:
                mesh = project_mesh(*self._mesh)
                self._made = (mesh, column_index(mesh))
            return self._made


def in_folds(folds: tuple[Fold, ...], points: np.ndarray) -> np.ndarray:
    """(n,) int: the fold each point ((n, 3) float, metres) lies in, -1 for none (the first one holding it)."""
    out = np.full(len(points), -1, dtype=np.int64)
    # Each box is tried on x alone first, then only the points within its x range on y and z: most of the
    # cloth is in none of them, and the field asks this at every look-up (half the time of trying all three).
    for k in range(len(folds) - 1, -1, -1):
        lo, hi = folds[k].lo, folds[k].hi
        idx = np.flatnonzero((points[:, 0] >= lo[0]) & (points[:, 0] <= hi[0]))
        p = points[idx]
        out[idx[(p[:, 1] >= lo[1]) & (p[:, 1] <= hi[1]) & (p[:, 2] >= lo[2]) & (p[:, 2] <= hi[2])]] = k
    return out


__all__ = ["Fold", "fold_boxes", "in_folds", "posed_folds"]
