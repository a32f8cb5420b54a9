"""An avatar: one body of the model, in our frame (metres, Y up, facing +Z, feet on y = 0, A-pose)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .body_model import BodyModel, BodyShape, Phenotype, load_body_model

SEX_GENDER = {"male": 0.0, "female": 1.0}
REFERENCE_PHENOTYPES = {
    "female": Phenotype(gender=1.0, age=0.75, muscle=0.5, weight=0.5, height=0.5, proportions=0.5),
    "male": Phenotype(gender=0.0, age=0.75, muscle=0.5, weight=0.5, height=0.5, proportions=0.5),
}


@dataclass(frozen=True, eq=False)
class Avatar:
    """A body mesh and its joints.

    Attributes
    ----------
    vertices : (V, 3) float, metres; Y up, facing +Z, lowest skin point on y = 0
    faces : (F, 3) int; the whole mesh (skin, eyes, tongue), every part closed
    body_faces : (Fb, 3) int; the skin only, indexing ``vertices``
    joints : name -> (3,) float, metres (see ``body_model.JOINTS``)
    phenotype, local_weights, scale : the model parameters that made it
    skin_tone : the shopper's skin tone (``avatar.looks``), drawn in every picture
    """

    vertices: np.ndarray
    faces: np.ndarray
    body_faces: np.ndarray
    joints: dict[str, np.ndarray]
    phenotype: Phenotype = Phenotype()
    local_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: float = 1.0
    sex: str | None = None
    skin_tone: str | None = None  # a name of ``avatar.looks.SKIN_TONES``; None is the default tone

    @cached_property
    def mesh(self):
        """The whole watertight mesh as a ``trimesh.Trimesh`` (vertex order kept)."""
        import trimesh

        return trimesh.Trimesh(self.vertices, self.faces, process=False)

    @cached_property
    def body_mesh(self):
        """The skin only, as a ``trimesh.Trimesh`` with its own compact vertex array."""
        import trimesh

        used, inverse = np.unique(self.body_faces, return_inverse=True)
        return trimesh.Trimesh(self.vertices[used], inverse.reshape(-1, 3), process=False)

    @property
    def stature_m(self) -> float:
        return float(self.vertices[:, 1].max())


def place_in_frame(model: BodyModel, vertices: np.ndarray, joints: dict[str, np.ndarray], scale: float = 1.0):
    """Scale about the root joint and put the lowest skin point on the floor (y = 0), root over x = z = 0."""
    origin = joints["root"].copy()
    origin[1] = 0.0
    v = (vertices - origin) * scale
    floor = v[model.body_vertex_mask, 1].min()
    shift = np.array([0.0, -floor, 0.0])
    v = v + shift
    placed = {k: (p - origin) * scale + shift for k, p in joints.items()}
    return v, placed


def make_avatar(
    phenotype: Phenotype,
    local_weights: np.ndarray | None = None,
    scale: float = 1.0,
    *,
    sex: str | None = None,
    model: BodyModel | None = None,
    shape: BodyShape | None = None,
) -> Avatar:
    """Evaluate the body model and place the result in our frame.

    Parameters
    ----------
    phenotype : whole-body controls
    local_weights : (T,) float, signed weights of ``model.local_target_names`` (zeros if None)
    scale : uniform scale about the floor point under the root joint
    shape : ``model.evaluate(phenotype)`` when the caller has it already (not evaluated again)
    """
    model = model or load_body_model()
    shape = shape if shape is not None else model.evaluate(phenotype)
    weights = np.zeros(len(model.local_target_names)) if local_weights is None else np.asarray(local_weights, float)
    offsets = model.local_offsets(weights)
    shift = model.joint_shift(offsets)
    joints = {name: p + shift[name] for name, p in shape.joints.items()}
    vertices, joints = place_in_frame(model, shape.vertices + offsets, joints, scale)
    return Avatar(vertices=vertices, faces=model.faces, body_faces=model.body_faces, joints=joints,
                  phenotype=phenotype, local_weights=weights, scale=float(scale), sex=sex)


_REFERENCES: dict[str, tuple[BodyModel, Avatar]] = {}
_REFERENCES_LOCK = threading.Lock()


def reference_avatar(sex: str = "female") -> Avatar:
    """The average adult of a sex: the body garments are designed around.

    Made once per sex and body model (every drape moves garments from it) and shared: its vertices are
    read-only.
    """
    model = load_body_model()
    with _REFERENCES_LOCK:
        made = _REFERENCES.get(sex)
    if made is not None and made[0] is model:
        return made[1]
    avatar = make_avatar(REFERENCE_PHENOTYPES[sex], sex=sex, model=model)
    avatar.vertices.flags.writeable = False
    with _REFERENCES_LOCK:
        _REFERENCES[sex] = (model, avatar)
    return avatar
