"""Physical relaxation of cloth on a body: projective dynamics with a two-grid solver and contact pins.

Each iteration (one implicit time step) has a local step, which gives every distance constraint the edge
vector it wants (its current direction at its rest length; rest edges resist stretch, and compression
beyond a free share, bending pairs across neighbouring triangles resist folding a little), and a global
step, which solves for all positions at once with the vertices touching the body pinned where they are
(static friction; a pin lets go when the cloth pulls away or pulls along the skin harder than friction
allows). The global step is one two-grid cycle (an exact solve on ~1/16 as many coarse nodes, then a
Jacobi sweep), so tension, sag and support travel across the whole garment every iteration. Contact with
the body is resolved against its signed distance field, contact with garments underneath against their
tangent planes.

All rest values come from the garment's own rest shape, so a size that is too small stays stretched
around the body and a size that is too large hangs. The cost per iteration is a few sparse products over
the edges and one field lookup per vertex: time grows linearly with the vertex count.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from avatar.errors import Cancelled

from .cloth_model import ClothModel
from .contacts import body_contacts, resolve_contacts, under_layer
from .drape_constants import (
    BODY_CLEARANCE_M,
    COARSE_REFRESH_SHARE,
    CONTACT_SLACK_M,
    CONTACT_STIFFNESS_FACTOR,
    DRAPE_DT_S,
    DRAPE_ITERATIONS,
    DRAPE_VELOCITY_KEEP,
    FINAL_LAYER_PASSES,
    FOLD_SEED_AMPLITUDE_M,
    FOLD_SEED_DEPTH_M,
    FOLD_SEED_WAVES,
    FREE_COMPRESSION,
    FREE_STRETCH_LIMIT,
    FREE_STRETCH_SWEEPS,
    FRICTION,
    GLOBAL_CYCLES,
    GRAVITY_M_S2,
    JACOBI_OMEGA,
    LAYER_MAX_PUSH_M,
    LAYER_REQUERY_ITERATIONS,
    MAX_DISPLACEMENT_M,
)
from .face_contact import push_faces_out
from .layer_collider import LayerCollider
from .near_body import NearBody
from .sdf import SignedDistanceField

def seed_folds(x: np.ndarray, centre: np.ndarray, hip_y: float) -> np.ndarray:
    """Ripple cloth below the hips radially around the body's vertical axis so that it can fold.

    Parameters
    ----------
    x : (N, 3) float, metres; a transferred skirt or dress
    centre : (3,) float, metres; a point on the body's vertical axis (the root joint)
    hip_y : float, metres; height of the hip joints, where the ripple starts

    Returns
    -------
    (N, 3) float, metres; a new array, moved by at most ``FOLD_SEED_AMPLITUDE_M`` horizontally
    """
    rel = x - centre
    theta = np.arctan2(rel[:, 0], rel[:, 2])
    depth = np.clip((hip_y - x[:, 1]) / FOLD_SEED_DEPTH_M, 0.0, 1.0)
    radial = np.stack([np.sin(theta), np.zeros_like(theta), np.cos(theta)], axis=1)
    return x + radial * (FOLD_SEED_AMPLITUDE_M * depth * np.cos(FOLD_SEED_WAVES * theta))[:, None]


def relax(model: ClothModel, start: np.ndarray, body: SignedDistanceField, *,
          layers: tuple[LayerCollider, ...] = (), iterations: int = DRAPE_ITERATIONS,
          clearance: float = BODY_CLEARANCE_M, friction: float = FRICTION,
          face_body: SignedDistanceField | None = None,
          progress: Callable[[float, str], None] = lambda f, m: None,
          cancelled: Callable[[], bool] = lambda: False) -> np.ndarray:
    """Let a garment settle on a body under gravity.

    Parameters
    ----------
    model : ClothModel of the garment's rest shape
    start : (N, 3) float, metres; the garment transferred onto the body
    body : the body's signed distance field
    layers : garments already draped underneath, innermost first
    iterations : projective dynamics iterations (one time step each)
    clearance : metres kept between cloth and skin
    friction : Coulomb coefficient: a pinned contact slides once its pull along the skin exceeds this
        share of its push against it
    face_body : the field the last pass keeping whole faces off the skin reads (``body`` when None)
    progress : called with (fraction, message) now and then
    cancelled : polled now and then; when it returns True, ``avatar.errors.Cancelled`` is raised

    Returns
    -------
    (N, 3) float, metres; the settled garment, outside the body by ``clearance`` (up to the field's error)
    and outside every layer by its gap
    """
    from scipy.sparse.linalg import splu

    x = np.array(start, dtype=np.float64, copy=True)
    x, _, _ = resolve_contacts(x, body, layers, None, clearance, LAYER_MAX_PUSH_M, edges=model.edges)
    origin = x.copy()
    previous = x.copy()
    n = len(x)
    gravity = model.alpha[:, None] * np.array([0.0, -GRAVITY_M_S2 * DRAPE_DT_S ** 2, 0.0], np.float32)
    shortest = np.where(model.is_edge, (1.0 - FREE_COMPRESSION) * model.rest, model.rest)
    pin_weight = (CONTACT_STIFFNESS_FACTOR * np.asarray(abs(model.system).sum(axis=1)).reshape(-1)).astype(np.float32)
    base_diagonal = model.system.diagonal()
    x, contact, normal = body_contacts(x, body, clearance)
    x, previous = x.astype(np.float32), previous.astype(np.float32)
    slope = getattr(body, "slope_bound", None)
    near = NearBody(n, clearance + CONTACT_SLACK_M, slope, body.rough_box if slope is not None else None)
    nearest = [None] * len(layers)
    coarse = None
    for step in range(iterations):
        if step % 8 == 0:
            if cancelled():
                raise Cancelled("draping was cancelled")
            progress(step / iterations, "Draping")
        inertia = x + DRAPE_VELOCITY_KEEP * (x - previous)
        inertia[contact] = x[contact]
        # Local step: each constraint's wanted edge vector. Edges may shorten by FREE_COMPRESSION without
        # pushing back (cloth buckles on a small scale rather than resisting), beyond it they resist; bending
        # pairs keep their rest distance (``shortest`` is theirs).
        d = model.incidence @ x
        length = np.sqrt(np.einsum("ij,ij->i", d, d))
        target = np.minimum(model.rest, np.maximum(shortest, length))
        p = d * (target / np.maximum(length, 1e-12))[:, None]
        # Global step with the contact vertices pinned where they are (static friction).
        pins = np.where(contact, pin_weight, np.float32(0.0))
        rhs = model.alpha[:, None] * inertia + gravity + model.gather @ p + pins[:, None] * x
        diagonal = base_diagonal + pins
        # Refactorise the coarse system when the pins have changed; a slightly stale one still guides well.
        if coarse is None or (contact != factored).sum() > COARSE_REFRESH_SHARE * n:
            coarse = splu((model.coarse_system + (model.restrict.multiply(pins[None, :])) @ model.prolong).tocsc())
            factored = contact.copy()
        y = inertia
        for _ in range(GLOBAL_CYCLES):
            r = rhs - model.system @ y - pins[:, None] * y
            y = y + model.prolong @ coarse.solve((model.restrict @ r).astype(np.float64)).astype(np.float32)
            y = y + JACOBI_OMEGA * (rhs - model.system @ y - pins[:, None] * y) / diagonal[:, None]
        # A pin holds while the cloth presses on it and its pull along the surface stays within friction.
        if contact.any():
            idx = np.flatnonzero(contact)
            force = (x[idx] - y[idx]) * pins[idx, None]
            press = -np.einsum("ij,ij->i", force, normal[idx])
            slide = np.linalg.norm(force + press[:, None] * normal[idx], axis=1)
            release = (press <= 0.0) | (slide > friction * press)
            contact[idx[release]] = False
        if layers and step % LAYER_REQUERY_ITERATIONS == 0:
            nearest = [layer.nearest(y) for layer in layers]
        previous = x
        on_layer = None
        if layers:
            y, on_layer, layer_normal = resolve_contacts(y, body, layers, nearest, clearance, LAYER_MAX_PUSH_M,
                                                         edges=model.edges)
        x, touching, normal = body_contacts(y, body, clearance, steps=1, near=near, keep=contact)
        x = x.astype(np.float32)
        if on_layer is not None:  # cloth resting on a garment underneath is held by friction like on skin
            on_layer &= ~touching
            normal[on_layer] = layer_normal[on_layer]
            touching |= on_layer
        contact |= touching
    # Final projection: body first, then every layer outwards, then the body again (layers only push out).
    x = _limit_free_stretch(model, x.astype(np.float64), contact, body, clearance)
    bad = ~np.isfinite(x).all(axis=1) | (np.linalg.norm(x - origin, axis=1) > MAX_DISPLACEMENT_M)
    if bad.any():  # never hand back an exploded vertex: keep its transferred, contact-resolved position
        x[bad] = origin[bad]
    for _ in range(FINAL_LAYER_PASSES if layers else 1):
        # pushing out of a layer can change the nearest inner vertex: repeat until none is under
        x, _, _ = resolve_contacts(x, body, layers, None, clearance, edges=model.edges)
        if not layers or not any(under_layer(layer, x) for layer in layers):
            break
    # Flat triangles over curved skin: lift every face, not only its corners, off the body.
    x = push_faces_out(x, model.faces, body if face_body is None else face_body)
    progress(1.0, "Draped")
    return x


def _limit_free_stretch(model: ClothModel, x: np.ndarray, contact: np.ndarray, body: SignedDistanceField,
                        clearance: float) -> np.ndarray:
    """Shorten edges stretched beyond ``FREE_STRETCH_LIMIT`` where the body allows it.

    Cloth held only by gravity stretches by a fraction of a percent; what an unfinished relaxation leaves
    next to the contact pins is removed here by a few Jacobi sweeps (vertices on the body move half as far
    and are put back onto it after), while cloth stretched around the body keeps its strain, since the body
    pushes it back out: that strain is the fit.
    """
    e = model.edges
    free = np.where(contact, 0.5, 1.0)
    rest = model.rest_edge_lengths
    for _ in range(FREE_STRETCH_SWEEPS):
        d = x[e[:, 0]] - x[e[:, 1]]
        length = np.linalg.norm(d, axis=1)
        over = length > rest * (1.0 + FREE_STRETCH_LIMIT)
        wa, wb = free[e[:, 0]], free[e[:, 1]]
        share = over & (wa + wb > 0)
        if not share.any():
            break
        idx = np.flatnonzero(share)
        excess = (length[idx] - rest[idx] * (1.0 + FREE_STRETCH_LIMIT)) / np.maximum(length[idx], 1e-12)
        total = wa[idx] + wb[idx]
        corr = d[idx] * excess[:, None]
        move = np.zeros_like(x)
        count = np.zeros(len(x))
        for col, sign, w in ((0, -1.0, wa[idx]), (1, 1.0, wb[idx])):
            k = w / total
            for axis in range(3):
                move[:, axis] += np.bincount(e[idx, col], sign * k * corr[:, axis], len(x))
            count += np.bincount(e[idx, col], w, len(x))
        x = x + move / np.maximum(count, 1.0)[:, None]
    x, _, _ = body_contacts(x, body, clearance, steps=1)
    return x
