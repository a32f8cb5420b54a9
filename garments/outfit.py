"""Dress an avatar: drape several garments, inner to outer, each over the body and the ones beneath it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from avatar.errors import Cancelled

from .cloth_model import cloth_model
from .drape import relax, seed_folds
from .layer_collider import LayerCollider
from .drape_constants import FOLD_SEED_CATEGORIES
from .openings import fit_neck_openings, hang_hems, level_waistband
from .sdf import SignedDistanceField, body_sdf
from .transfer import transfer_vertices


@dataclass(frozen=True, eq=False)
class DrapeResult:
    """One garment draped on an avatar.

    Attributes
    ----------
    garment_id, size : which garment, in which size
    vertices : (N, 3) float, metres; the draped garment
    faces : (M, 3) int
    rest_edge_lengths : (E,) float, metres; rest length of each unique edge (``edges``)
    edges : (E, 2) int
    strain : (N,) float; stretch per vertex as a fraction (0.05 is 5 %), from its edges' stretch
    max_strain : float; the largest value of ``strain``
    penetration : {"fraction_inside": share of vertices inside the body, "max_depth_mm": deepest, mm}
    zones : zone -> ease in cm (see ``garments.fit.draped_zone_ease``)
    drape_ms : float; time to transfer and relax this garment, milliseconds
    uv : (N, 2) float or None; the rest mesh's texture coordinates
    """

    garment_id: str
    size: str
    vertices: np.ndarray
    faces: np.ndarray
    rest_edge_lengths: np.ndarray
    edges: np.ndarray
    strain: np.ndarray
    max_strain: float
    penetration: dict
    zones: dict = field(default_factory=dict)
    drape_ms: float = 0.0
    uv: np.ndarray | None = None


def penetration(sdf: SignedDistanceField, vertices: np.ndarray) -> dict:
    """How far vertices are inside the body: ``{"fraction_inside", "max_depth_mm"}``."""
    d = sdf.distance(vertices)
    inside = d < 0
    return {"fraction_inside": float(inside.mean()) if len(d) else 0.0,
            "max_depth_mm": float(-d[inside].min() * 1000.0) if inside.any() else 0.0}


def vertex_strain(vertices: np.ndarray, edges: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """(N,) stretch per vertex: the rest-length weighted mean over its edges of max(length / rest - 1, 0).

    Weighting by rest length keeps seam slivers (hem folds a millimetre wide) from dominating the map.
    """
    length = np.linalg.norm(vertices[edges[:, 0]] - vertices[edges[:, 1]], axis=1)
    stretch = np.maximum(length / np.maximum(rest, 1e-12) - 1.0, 0.0) * rest
    n = len(vertices)
    total = np.bincount(edges[:, 0], stretch, n) + np.bincount(edges[:, 1], stretch, n)
    weight = np.bincount(edges[:, 0], rest, n) + np.bincount(edges[:, 1], rest, n)
    return total / np.maximum(weight, 1e-12)


def drape_garment(avatar, garment, size: str, *, sdf: SignedDistanceField | None = None,
                  layers: tuple[LayerCollider, ...] = (),
                  progress: Callable[[float, str], None] = lambda f, m: None,
                  cancelled: Callable[[], bool] = lambda: False) -> DrapeResult:
    """Transfer one garment size from its reference body to ``avatar`` and let it settle.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    garment : garments.catalog.Garment
    size : one of ``garment.size_names``
    sdf : the avatar's body field (built and cached when None)
    layers : garments already draped underneath
    """
    from avatar.avatar import reference_avatar

    from .catalog import BOTTOM_CATEGORIES, rest_mesh
    from .fit import draped_zone_ease, zone_planes
    from .fit_report import fabric_stretch

    sdf = body_sdf(avatar) if sdf is None else sdf
    start = time.perf_counter()
    mesh = rest_mesh(garment, size)
    reference = reference_avatar(mesh.sex)
    model = cloth_model(mesh.vertices, mesh.faces, fabric_stretch(garment))
    binding = None
    if mesh.binding is not None:
        binding = (mesh.binding.indices, mesh.binding.weights)
    placed = transfer_vertices(mesh.vertices, model.edges, reference, avatar, model_binding=binding)
    placed = fit_neck_openings(placed, mesh.vertices, model.faces, np.asarray(avatar.joints["neck"], float), sdf,
                               fabric_stretch(garment))
    planes = zone_planes(avatar)
    root = np.asarray(avatar.joints["root"], float)
    if garment.category in BOTTOM_CATEGORIES:  # a stiff band, not carried by the thighs' skin
        placed = level_waistband(placed, mesh.vertices, model.faces)
    elif "chest" in planes:  # a top's hem hangs (a bottom's hems cling to the legs)
        placed = hang_hems(placed, mesh.vertices, model.faces, float(planes["chest"][0][1]), root)
    if garment.category in FOLD_SEED_CATEGORIES:  # a flared hem would otherwise stay a rigid cone
        joints = avatar.joints
        placed = seed_folds(placed, np.asarray(joints["root"], float),
                            0.5 * float(joints["hip_l"][1] + joints["hip_r"][1]))
    draped = relax(model, placed, sdf, layers=layers, progress=progress, cancelled=cancelled)
    elapsed = (time.perf_counter() - start) * 1000.0
    strain = vertex_strain(draped, model.edges, model.rest_edge_lengths)
    return DrapeResult(garment_id=garment.id, size=size, vertices=draped, faces=model.faces,
                       rest_edge_lengths=model.rest_edge_lengths, edges=model.edges, strain=strain,
                       max_strain=float(strain.max()) if len(strain) else 0.0,
                       penetration=penetration(sdf, draped),
                       zones=draped_zone_ease(avatar, draped, mesh.zones, sdf, placed, faces=model.faces,
                                              edges=model.edges),
                       drape_ms=elapsed,
                       uv=mesh.uv)


def layer_order(garments) -> list[int]:
    """Indices of ``garments`` inner to outer, by ``garment.layer`` (ties keep the given order)."""
    return sorted(range(len(garments)), key=lambda i: (getattr(garments[i], "layer", 0), i))


def drape_outfit(avatar, items, *, progress: Callable[[float, str], None] = lambda f, m: None,
                 cancelled: Callable[[], bool] = lambda: False, cache=None) -> list[DrapeResult]:
    """Drape garments on an avatar, inner to outer by ``garment.layer`` (ties keep the given order).

    Each garment collides with the body and with every garment already draped under it (kept a small gap
    outside), so no garment passes through another.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    items : [(Garment, size name or None)]; None drapes the size ``garments.fit_report.fit_report`` recommends
    progress : called with (fraction, message)
    cancelled : polled; when it returns True, ``avatar.errors.Cancelled`` is raised
    cache : mapping for this avatar, or None; a garment is draped only when ``(garment id, size, beneath)``
        is not in it (``beneath``: the (garment id, size) pairs draped under it, inner to outer), and its
        result is stored there

    Returns
    -------
    list of DrapeResult, inner to outer
    """
    from .fit_report import fit_report

    order = layer_order([garment for garment, _size in items])
    progress(0.0, "Preparing the body")
    sdf = body_sdf(avatar)  # cached per body: free once the avatar's field is built
    results: list[DrapeResult] = []
    layers: list[LayerCollider] = []  # of results[:len(layers)]; made only when a garment is draped over them
    n = max(len(order), 1)
    for k, i in enumerate(order):
        if cancelled():
            raise Cancelled("draping was cancelled")
        garment, size = items[i]
        size = garment.size(size).name if size else fit_report(avatar, garment).recommended

        def step(f, m, k=k, name=garment.name):
            progress((k + f) / n, f"Draping {name}")

        key = (garment.id, size, tuple((r.garment_id, r.size) for r in results))
        result = None if cache is None else cache.get(key)
        if result is None:
            if len(layers) < len(results):
                skin = np.asarray(avatar.vertices)[np.unique(avatar.body_faces)]
                layers += [LayerCollider.from_garment(r.vertices, r.faces, sdf, skin=skin, edges=r.edges)
                           for r in results[len(layers):]]
            result = drape_garment(avatar, garment, size, sdf=sdf, layers=tuple(layers), progress=step,
                                   cancelled=cancelled)
            if cache is not None:
                cache[key] = result
        results.append(result)
    progress(1.0, "Dressed")
    return results


__all__ = ["DrapeResult", "drape_garment", "drape_outfit", "layer_order", "penetration", "vertex_strain"]
