"""Contacts of cloth with the body, the floor and the garments underneath: pushes out and who is touching."""
from __future__ import annotations

import numpy as np

from .drape_constants import CONTACT_SLACK_M, LAYER_PUSH_SPREAD_SWEEPS
from .layer_collider import LayerCollider
from .near_body import NearBody
from .sdf import SignedDistanceField


def body_contacts(x: np.ndarray, body: SignedDistanceField, clearance: float, steps: int = 2,
                  near: NearBody | None = None, keep: np.ndarray | None = None):
    """Push vertices out of the body to ``clearance`` (Newton steps along the field's gradient) and above the floor.

    With ``near``, only the vertices it cannot rule out (and those in ``keep``, (N,) bool) are looked up,
    and their readings are given to it; the others are far from the skin: not touching, not moved, and
    their normal is zero.

    Returns
    -------
    x : (N, 3) float, metres; a new array
    touching : (N,) bool; vertices on the body (within clearance plus a hair)
    normal : (N, 3) float; unit outward normal of the body at each vertex (looked-up vertices)
    """
    x = np.array(x, dtype=np.float64)
    if near is None:
        d, g = body.distance_and_gradient(x)
    else:
        read = near.to_read(x, keep)
        d_read, g_read = body.distance_and_gradient(x[read])
        near.read(read, x[read], d_read)
        d, g = np.full(len(x), np.inf), np.zeros_like(x)
        d[read], g[read] = d_read, g_read
    normal = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
    touching = d < clearance + CONTACT_SLACK_M
    idx = np.flatnonzero(d < clearance)
    if idx.size:
        x[idx] += normal[idx] * (clearance - d[idx])[:, None]
    if idx.size and steps > 1:
        d2, g2 = body.distance_and_gradient(x[idx])
        again = d2 < clearance
        n2 = g2[again] / np.maximum(np.linalg.norm(g2[again], axis=1, keepdims=True), 1e-12)
        x[idx[again]] += n2 * (clearance - d2[again])[:, None]
    # The floor (y = 0) holds too: long hems and trouser legs rest on it.
    low = x[:, 1] < clearance
    if low.any():
        x[low, 1] = clearance
        touching |= low
        normal[low] = (0.0, 1.0, 0.0)
    return x, touching, normal


def under_layer(layer: LayerCollider, x: np.ndarray) -> bool:
    """Whether any point lies over ``layer`` closer than its gap (less a hair for rounding)."""
    h, over, _ = layer.height(x, layer.nearest(x))
    return bool((over & (h < 0.9 * layer.gap)).any())


def resolve_contacts(x: np.ndarray, body: SignedDistanceField, layers: tuple[LayerCollider, ...], nearest,
                     clearance: float, max_push: float = np.inf,
                     edges: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Push vertices out of the body, then out of each layer underneath, then out of the body again.

    With the garment's ``edges``, each push out of a layer spreads to a few rings of neighbours (the pushed
    vertices held), so thin features (a cuff band's rings a few millimetres apart) move out together
    instead of being torn apart.

    Parameters
    ----------
    x : (N, 3) float, metres
    body : the body's signed distance field
    layers : garments underneath, innermost first
    nearest : per layer, its nearest vertex (N,) int for every point, or None to look it up
    clearance : metres kept between cloth and skin
    max_push : metres a vertex may move out of a layer at once
    edges : (E, 2) int, the garment's edges, or None to push every vertex on its own

    Returns
    -------
    x : (N, 3) float, metres; a new array
    resting : (N,) bool; the points resting on a layer (within its gap plus a hair), before the push
    resting_normal : (N, 3) float; that layer's outward normal there (zero elsewhere)
    """
    x, _ = body.project_out(x, clearance, steps=2)
    resting = np.zeros(len(x), dtype=bool)
    resting_normal = np.zeros((len(x), 3))
    for i, layer in enumerate(layers):
        index = layer.nearest(x) if nearest is None or nearest[i] is None else nearest[i]
        h, over, normal = layer.height(x, index)
        hit = np.nonzero(over & (h < layer.gap))[0]
        if hit.size:
            push = np.zeros_like(x)
            push[hit] = normal[hit] * np.minimum(layer.gap - h[hit], max_push)[:, None]
            x += push if edges is None else spread_moves(push, hit, edges)
        rest_on = over & (h < layer.gap + CONTACT_SLACK_M)
        resting |= rest_on
        resting_normal[rest_on] = normal[rest_on]
    if layers:
        x, _ = body.project_out(x, clearance, steps=2)
    return x, resting, resting_normal


def spread_moves(move: np.ndarray, held: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Spread per-vertex moves (N, 3) over ``LAYER_PUSH_SPREAD_SWEEPS`` rings of neighbours along ``edges``;
    the ``held`` vertices (indices) keep their own move."""
    n = len(move)
    a, b = edges[:, 0], edges[:, 1]
    degree = np.maximum(np.bincount(a, minlength=n) + np.bincount(b, minlength=n), 1)
    fixed = move[held]
    for _ in range(LAYER_PUSH_SPREAD_SWEEPS):
        total = np.empty_like(move)
        for axis in range(3):
            total[:, axis] = np.bincount(a, move[b, axis], n) + np.bincount(b, move[a, axis], n)
        move = total / degree[:, None]
        move[held] = fixed
    return move
