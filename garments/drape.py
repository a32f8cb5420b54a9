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

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from avatar.errors import Cancelled

from .drape_constants import (
    AREAL_DENSITY_KG_M2,
    BEND_STIFFNESS_N_M,
    BODY_CLEARANCE_M,
    COARSE_CELL_EDGES,
    COARSE_SMOOTHING,
    FREE_COMPRESSION,
    CONTACT_SLACK_M,
    CONTACT_STIFFNESS_FACTOR,
    FINAL_LAYER_PASSES,
    FOLD_SEED_AMPLITUDE_M,
    FOLD_SEED_DEPTH_M,
    FOLD_SEED_WAVES,
    FREE_STRETCH_LIMIT,
    FREE_STRETCH_SWEEPS,
    COARSE_REFRESH_SHARE,
    GLOBAL_CYCLES,
    DRAPE_DT_S,
    DRAPE_ITERATIONS,
    DRAPE_VELOCITY_KEEP,
    FRICTION,
    GRAVITY_M_S2,
    JACOBI_OMEGA,
    LAYER_GAP_M,
    LAYER_LATERAL_EDGES,
    LAYER_MAX_DEPTH_M,
    LAYER_MAX_PUSH_M,
    LAYER_PUSH_SPREAD_SWEEPS,
    LAYER_REQUERY_ITERATIONS,
    MAX_DISPLACEMENT_M,
    MIN_STIFFNESS_N_M,
    REFERENCE_STRETCH,
    STRETCH_STIFFNESS_N_M,
)
from .face_contact import push_faces_out
from .sdf import SignedDistanceField


@dataclass(frozen=True, eq=False)
class ClothModel:
    """Everything about a garment mesh that depends only on its rest shape (not on the body).

    The relaxation is projective dynamics: per iteration a local step finds, for every distance
    constraint, the edge vector it wants (current direction, rest length), and a global step solves
    ``(A + C) x = b`` with ``A = M / dt^2 + G^T W G`` and ``C`` pinning the vertices in contact. The
    global step is one two-grid cycle: an exact solve on a coarse space (smoothed aggregation of about
    16 vertices per coarse node) followed by a Jacobi sweep, so tension, sag and the support from the
    contacts travel across the whole garment in every iteration at a cost linear in the vertex count.

    Attributes
    ----------
    faces : (M, 3) int
    edges : (E, 2) int; unique mesh edges
    rest_edge_lengths : (E,) float, metres
    pairs : (C, 2) int; every distance constraint: the E edges first, then bending pairs
    rest : (C,) float, metres; rest distance of each constraint
    weight : (C,) float, N/m; constraint stiffness
    is_edge : (C,) bool; stretch constraints (True) or bending pairs (False)
    alpha : (N,) float, kg/s^2; vertex mass / dt^2
    incidence : (C, N) sparse; +1 at a pair's first vertex, -1 at its second
    gather : (N, C) sparse; the transpose of ``incidence``
    system : (N, N) sparse; ``A``
    prolong : (N, K) sparse; coarse to fine interpolation
    restrict : (K, N) sparse; its transpose
    coarse_system : (K, K) sparse; ``restrict @ A @ prolong``
    mean_edge : float, metres
    """

    faces: np.ndarray
    edges: np.ndarray
    rest_edge_lengths: np.ndarray
    pairs: np.ndarray
    rest: np.ndarray
    weight: np.ndarray
    is_edge: np.ndarray
    alpha: np.ndarray
    incidence: sp.csr_matrix
    gather: sp.csr_matrix
    system: sp.csr_matrix
    prolong: sp.csr_matrix
    restrict: sp.csr_matrix
    coarse_system: sp.csr_matrix
    mean_edge: float

    @property
    def n_vertices(self) -> int:
        return self.incidence.shape[1]


def mesh_edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique edges of a triangle mesh and, per unique edge, the opposite corners of its two faces.

    Returns
    -------
    edges : (E, 2) int, sorted pairs
    opposite : (E, 2) int; the third vertex of each adjacent face, -1 where the edge has one face
    face_edge : (M, 3) int; unique edge index of each face side (v0-v1, v1-v2, v2-v0)
    """
    faces = np.asarray(faces, dtype=np.int64)
    sides = np.stack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]], axis=1).reshape(-1, 2)
    third = faces[:, [2, 0, 1]].reshape(-1)
    key = np.sort(sides, axis=1)
    edges, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    opposite = np.full((len(edges), 2), -1, dtype=np.int64)
    order = np.argsort(inverse, kind="stable")
    first = np.ones(len(order), dtype=bool)
    first[1:] = inverse[order][1:] != inverse[order][:-1]
    opposite[inverse[order][first], 0] = third[order][first]
    second = ~first
    opposite[inverse[order][second], 1] = third[order][second]
    return edges, opposite, inverse.reshape(-1, 3)


def _aggregates(rest_vertices: np.ndarray, edges: np.ndarray, cell: float) -> np.ndarray:
    """Coarse node of every vertex: voxels of side ``cell`` split into their connected pieces."""
    from scipy.sparse.csgraph import connected_components

    n = len(rest_vertices)
    voxel = np.floor((rest_vertices - rest_vertices.min(axis=0)) / cell).astype(np.int64)
    _, voxel_id = np.unique(voxel, axis=0, return_inverse=True)
    voxel_id = voxel_id.reshape(-1)
    inner = edges[voxel_id[edges[:, 0]] == voxel_id[edges[:, 1]]]
    graph = sp.coo_matrix((np.ones(len(inner)), (inner[:, 0], inner[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


def stretch_stiffness(stretch: float) -> float:
    """Edge spring stiffness (N/m) of a fabric that stretches ``stretch`` (fraction) before it is tight."""
    ratio = REFERENCE_STRETCH / max(float(stretch), 1e-3)
    return float(np.clip(STRETCH_STIFFNESS_N_M * ratio, MIN_STIFFNESS_N_M, STRETCH_STIFFNESS_N_M))


def build_cloth_model(rest_vertices: np.ndarray, faces: np.ndarray, *,
                      stretch: float = REFERENCE_STRETCH) -> ClothModel:
    """Constraints, masses and the coarse space of a garment, from its rest shape.

    Parameters
    ----------
    rest_vertices : (N, 3) float, metres
    faces : (M, 3) int
    stretch : float; the fabric's stretch before it is tight (0.02 woven, 0.3 leggings): sets the stiffness
    """
    rest_vertices = np.asarray(rest_vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    n = len(rest_vertices)
    edges, opposite, _ = mesh_edges(faces)
    bend = opposite[(opposite >= 0).all(axis=1)]
    bend = bend[bend[:, 0] != bend[:, 1]]
    pairs = np.concatenate([edges, bend])
    is_edge = np.arange(len(pairs)) < len(edges)
    rest = np.linalg.norm(rest_vertices[pairs[:, 0]] - rest_vertices[pairs[:, 1]], axis=1)
    keep = rest > 1e-9  # coincident vertices carry no length to keep
    pairs, rest, is_edge = pairs[keep], rest[keep], is_edge[keep]
    weight = np.where(is_edge, stretch_stiffness(stretch), BEND_STIFFNESS_N_M)

    tri = rest_vertices[faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    mass = np.bincount(faces.reshape(-1), weights=np.repeat(area / 3.0, 3), minlength=n) * AREAL_DENSITY_KG_M2
    alpha = np.maximum(mass, 1e-9) / (DRAPE_DT_S * DRAPE_DT_S)

    c = len(pairs)
    rows = np.repeat(np.arange(c), 2)
    incidence = sp.csr_matrix((np.tile([1.0, -1.0], c), (rows, pairs.reshape(-1))), shape=(c, n))
    gather = incidence.T.tocsr()
    system = (gather @ sp.diags(weight) @ incidence + sp.diags(alpha)).tocsr()

    edge_rest = np.linalg.norm(rest_vertices[edges[:, 0]] - rest_vertices[edges[:, 1]], axis=1)
    mean_edge = float(edge_rest.mean()) if len(edge_rest) else 0.0
    labels = _aggregates(rest_vertices, edges, COARSE_CELL_EDGES * max(mean_edge, 1e-6))
    tentative = sp.csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, int(labels.max()) + 1))
    smoother = sp.identity(n, format="csr") - sp.diags(COARSE_SMOOTHING / system.diagonal()) @ system
    prolong = (smoother @ tentative).tocsr()
    restrict = prolong.T.tocsr()
    coarse_system = (restrict @ system @ prolong).tocsr()
    f32 = np.float32  # the iterations run in single precision: half the memory traffic, micrometre accuracy
    return ClothModel(faces=faces, edges=edges, rest_edge_lengths=edge_rest, pairs=pairs, rest=rest.astype(f32),
                      weight=weight.astype(f32), is_edge=is_edge, alpha=alpha.astype(f32),
                      incidence=incidence.astype(f32), gather=gather.astype(f32), system=system.astype(f32),
                      prolong=prolong.astype(f32), restrict=restrict.astype(f32), coarse_system=coarse_system,
                      mean_edge=mean_edge)


_MODELS: OrderedDict[str, ClothModel] = OrderedDict()
_MODELS_SIZE = 32
_LOCK = threading.Lock()


def cloth_model(rest_vertices: np.ndarray, faces: np.ndarray, stretch: float = REFERENCE_STRETCH) -> ClothModel:
    """``build_cloth_model`` remembered by the rest shape (a garment size builds its constraints once)."""
    digest = hashlib.sha1(np.ascontiguousarray(rest_vertices, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(faces, dtype=np.int64).tobytes())
    digest.update(repr(float(stretch)).encode())
    key = digest.hexdigest()
    with _LOCK:
        if key in _MODELS:
            _MODELS.move_to_end(key)
            return _MODELS[key]
    model = build_cloth_model(rest_vertices, faces, stretch=stretch)
    with _LOCK:
        _MODELS[key] = model
        while len(_MODELS) > _MODELS_SIZE:
            _MODELS.popitem(last=False)
    return model


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals, (N, 3)."""
    tri = vertices[faces]
    fn = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    n = np.zeros_like(vertices)
    for k in range(3):
        for axis in range(3):
            n[:, axis] += np.bincount(faces[:, k], weights=fn[:, axis], minlength=len(vertices))
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return n / np.where(length < 1e-12, 1.0, length)


@dataclass(frozen=True, eq=False)
class LayerCollider:
    """A draped garment that garments over it must stay outside of.

    Attributes
    ----------
    vertices : (K, 3) float, metres
    normals : (K, 3) float; unit, pointing away from the body
    mean_edge : float, metres
    gap : float, metres kept between this garment and the next one out
    """

    vertices: np.ndarray
    normals: np.ndarray
    mean_edge: float
    gap: float = LAYER_GAP_M
    _tree: object = field(default=None, repr=False)

    @classmethod
    def from_garment(cls, vertices: np.ndarray, faces: np.ndarray, body: SignedDistanceField,
                     gap: float = LAYER_GAP_M, skin: np.ndarray | None = None) -> "LayerCollider":
        """Orient the garment's normals away from the body and index it.

        Near the body the field's gradient gives "away"; where the field saturates (loose cloth), the
        direction from the nearest of the ``skin`` points (K, 3) does, when given.
        """
        from scipy.spatial import cKDTree

        vertices = np.asarray(vertices, dtype=np.float64)
        normals = vertex_normals(vertices, faces)
        _, away = body.distance_and_gradient(vertices)
        if skin is not None and len(skin):
            far = np.linalg.norm(away, axis=1) < 0.5
            if far.any():
                _, k = cKDTree(skin).query(vertices[far], workers=-1)
                away[far] = vertices[far] - skin[k]
        flip = np.einsum("ij,ij->i", normals, away) < 0
        normals[flip] *= -1.0
        edges, _, _ = mesh_edges(faces)
        mean_edge = float(np.linalg.norm(vertices[edges[:, 0]] - vertices[edges[:, 1]], axis=1).mean())
        return cls(vertices=vertices, normals=normals, mean_edge=mean_edge, gap=gap, _tree=cKDTree(vertices))

    def nearest(self, points: np.ndarray) -> np.ndarray:
        _, index = self._tree.query(points, workers=-1)
        return index

    def height(self, points: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signed height of points above the garment's tangent plane at their nearest vertex.

        Returns
        -------
        height : (n,) float, metres; positive on the outer side
        over : (n,) bool; the point lies over the garment (laterally within reach, not far beneath)
        normal : (n, 3) float
        """
        rel = points - self.vertices[index]
        normal = self.normals[index]
        h = np.einsum("ij,ij->i", rel, normal)
        lateral = np.linalg.norm(rel - h[:, None] * normal, axis=1)
        over = (lateral < LAYER_LATERAL_EDGES * self.mean_edge) & (h > -LAYER_MAX_DEPTH_M)
        return h, over, normal


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
    progress : called with (fraction, message) now and then
    cancelled : polled now and then; when it returns True, ``avatar.errors.Cancelled`` is raised

    Returns
    -------
    (N, 3) float, metres; the settled garment, outside the body by ``clearance`` (up to the field's error)
    and outside every layer by its gap
    """
    from scipy.sparse.linalg import splu

    x = np.array(start, dtype=np.float64, copy=True)
    x = _resolve_contacts(x, body, layers, None, clearance, LAYER_MAX_PUSH_M, edges=model.edges)
    origin = x.copy()
    previous = x.copy()
    n = len(x)
    gravity = model.alpha[:, None] * np.array([0.0, -GRAVITY_M_S2 * DRAPE_DT_S ** 2, 0.0], np.float32)
    weight = model.weight[:, None]
    compressible = model.is_edge
    pin_weight = (CONTACT_STIFFNESS_FACTOR * np.asarray(abs(model.system).sum(axis=1)).reshape(-1)).astype(np.float32)
    base_diagonal = model.system.diagonal()
    x, contact, normal = _body_contacts(x, body, clearance)
    x, previous = x.astype(np.float32), previous.astype(np.float32)
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
        # pushing back (cloth buckles on a small scale rather than resisting), beyond it they resist.
        d = model.incidence @ x
        length = np.sqrt(np.einsum("ij,ij->i", d, d))
        target = np.where((length < model.rest) & compressible,
                          np.maximum(length, (1.0 - FREE_COMPRESSION) * model.rest), model.rest)
        p = d * (target / np.maximum(length, 1e-12))[:, None]
        # Global step with the contact vertices pinned where they are (static friction).
        pins = np.where(contact, pin_weight, np.float32(0.0))
        rhs = model.alpha[:, None] * inertia + gravity + model.gather @ (weight * p) + pins[:, None] * x
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
            y, on_layer, layer_normal = _resolve_contacts(y, body, layers, nearest, clearance, LAYER_MAX_PUSH_M,
                                                          touch=True, edges=model.edges)
        x, touching, normal = _body_contacts(y, body, clearance, steps=1)
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
    for _ in range(FINAL_LAYER_PASSES if layers else 1):  # pushing out of a layer can change the nearest
        x = _resolve_contacts(x, body, layers, None, clearance, edges=model.edges)  # inner vertex: repeat until none is under
        if not layers or not any(_under(layer, x) for layer in layers):
            break
    # Flat triangles over curved skin: lift every face, not only its corners, off the body.
    x = push_faces_out(x, model.faces, body)
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
    x, _, _ = _body_contacts(x, body, clearance, steps=1)
    return x


def _body_contacts(x: np.ndarray, body: SignedDistanceField, clearance: float, steps: int = 2):
    """Push vertices out of the body to ``clearance`` (Newton steps along the field's gradient) and above the floor.

    Returns
    -------
    x : (N, 3) float, metres; a new array
    touching : (N,) bool; vertices on the body (within clearance plus a hair)
    normal : (N, 3) float; unit outward normal of the body at each vertex
    """
    d, g = body.distance_and_gradient(x)
    normal = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
    touching = d < clearance + CONTACT_SLACK_M
    x = np.array(x, dtype=np.float64)
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


def _under(layer: LayerCollider, x: np.ndarray) -> bool:
    """Whether any point lies over ``layer`` closer than its gap (less a hair for rounding)."""
    h, over, _ = layer.height(x, layer.nearest(x))
    return bool((over & (h < 0.9 * layer.gap)).any())


def _resolve_contacts(x: np.ndarray, body: SignedDistanceField, layers: tuple[LayerCollider, ...], nearest,
                      clearance: float, max_push: float = np.inf, touch: bool = False,
                      edges: np.ndarray | None = None):
    """Push vertices out of the body, then out of each layer underneath (``nearest``: each layer's nearest
    vertex per point, or None to look it up; ``max_push``: metres a vertex may move out of a layer at once),
    then out of the body again; returns a new array, and with ``touch`` also (N,) bool: the points resting
    on a layer (within its gap plus a hair) and (N, 3) float: that layer's outward normal there.

    With the garment's ``edges`` (E, 2), each push spreads to a few rings of neighbours (the pushed vertices
    held), so thin features (a cuff band's rings a few millimetres apart) move out together instead of
    being torn apart."""
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
            x += push if edges is None else _spread(push, hit, edges)
        if touch:
            rest_on = over & (h < layer.gap + CONTACT_SLACK_M)
            resting |= rest_on
            resting_normal[rest_on] = normal[rest_on]
    if layers:
        x, _ = body.project_out(x, clearance, steps=2)
    return (x, resting, resting_normal) if touch else x


def _spread(move: np.ndarray, held: np.ndarray, edges: np.ndarray) -> np.ndarray:
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


def edge_strain(vertices: np.ndarray, model: ClothModel) -> tuple[np.ndarray, np.ndarray]:
    """Strain of every edge and, per vertex, the largest strain of its edges.

    Parameters
    ----------
    vertices : (N, 3) float, metres; the draped garment
    model : its ClothModel

    Returns
    -------
    edge : (E,) float; length / rest length - 1 (0.05 is 5 % stretch, negative is compression)
    vertex : (N,) float; max over the vertex's edges, clipped below at 0 (a fit map shows stretch only)
    """
    e = model.edges
    length = np.linalg.norm(vertices[e[:, 0]] - vertices[e[:, 1]], axis=1)
    strain = length / np.maximum(model.rest_edge_lengths, 1e-12) - 1.0
    per_vertex = np.zeros(len(vertices))
    np.maximum.at(per_vertex, e[:, 0], strain)
    np.maximum.at(per_vertex, e[:, 1], strain)
    return strain, per_vertex


def tube_garment(avatar, y_top: float, y_bottom: float, ease, *, around: int = 96, down: int = 40,
                 half_width: float = 0.26) -> tuple[np.ndarray, np.ndarray]:
    """A plain tube of cloth around a body between two heights: the simplest garment, for tests and benchmarks.

    Each ring follows the convex outline of the body's cross-section (arms beyond ``half_width`` left out)
    pushed out by ``ease``; a negative ease makes a tube smaller than the body.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    y_top, y_bottom : float, metres above the floor
    ease : float or (down,) float, metres added to the outline's radius (per ring, top first)
    around, down : vertices per ring and number of rings

    Returns
    -------
    vertices : (around * down, 3) float, metres
    faces : (2 * around * (down - 1), 3) int; outward-facing
    """
    from scipy.spatial import ConvexHull

    skin = avatar.vertices[np.unique(avatar.body_faces)]
    heights = np.linspace(y_top, y_bottom, down)
    theta = np.linspace(0.0, 2.0 * np.pi, around, endpoint=False)
    rings = []
    for y in heights:
        sel = skin[(np.abs(skin[:, 1] - y) < 0.012) & (np.abs(skin[:, 0]) < half_width)]
        pts = sel[:, [0, 2]]
        centre = 0.5 * (pts.min(axis=0) + pts.max(axis=0))
        hull = pts[ConvexHull(pts).vertices] - centre
        ang = np.arctan2(hull[:, 1], hull[:, 0])
        order = np.argsort(ang)
        ang, rad = ang[order], np.linalg.norm(hull[order], axis=1)
        r = np.interp(theta, np.concatenate([ang - 2 * np.pi, ang, ang + 2 * np.pi]), np.tile(rad, 3))
        rings.append((centre, r))
    centres = np.array([c for c, _ in rings])
    radii = np.array([r for _, r in rings])
    # Cloth does not follow every dip of the body: smooth the outline down the tube.
    kernel = np.array([1.0, 2.0, 3.0, 2.0, 1.0]) / 9.0
    padded = np.pad(radii, ((2, 2), (0, 0)), mode="edge")
    radii = sum(kernel[i] * padded[i:i + down] for i in range(5))
    radii = np.maximum(radii + np.broadcast_to(np.asarray(ease, float), (down,))[:, None], 0.02)
    x = centres[:, 0:1] + radii * np.cos(theta)[None, :]
    z = centres[:, 1:2] + radii * np.sin(theta)[None, :]
    y = np.repeat(heights[:, None], around, axis=1)
    vertices = np.stack([x, y, z], axis=2).reshape(-1, 3)
    i = np.arange(down - 1)[:, None] * around
    j = np.arange(around)[None, :]
    a = (i + j).reshape(-1)
    b = (i + (j + 1) % around).reshape(-1)
    c = a + around
    d = b + around
    faces = np.concatenate([np.stack([a, b, c], axis=1), np.stack([b, d, c], axis=1)])
    return vertices, faces
