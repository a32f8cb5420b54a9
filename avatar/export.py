"""Write avatars as GLB or OBJ (metres, Y up, facing +Z, feet on y = 0), atomically."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .body_model import PHENOTYPE_NAMES
from .colour import SKIN_SRGB, srgb_to_linear
from .errors import AvatarError
from .storage import atomic_write_bytes

SKIN_RGBA = (*srgb_to_linear(SKIN_SRGB).tolist(), 1.0)  # glTF colour factors are linear
METADATA_KEY = "fitting_room_avatar"


def avatar_metadata(avatar) -> dict:
    """What a body file records besides its mesh, so it can be measured and dressed again."""
    return {"sex": avatar.sex, "phenotype": dict(zip(PHENOTYPE_NAMES, avatar.phenotype.as_array().tolist())),
            "scale": avatar.scale, "local_weights": np.asarray(avatar.local_weights).round(5).tolist()}


def _read_metadata(path: Path, loaded) -> dict:
    meta = getattr(loaded, "metadata", {}) or {}
    if METADATA_KEY in meta and isinstance(meta[METADATA_KEY], dict):
        return meta[METADATA_KEY]
    if path.suffix.lower() == ".obj":
        with open(path, encoding="utf-8", errors="replace") as handle:
            for _, line in zip(range(5), handle):
                if line.startswith(f"# {METADATA_KEY} "):
                    try:
                        return json.loads(line.split(" ", 2)[2])
                    except json.JSONDecodeError:
                        return {}
    return {}
FORMATS = (".glb", ".obj")


def avatar_mesh_bytes(avatar, fmt: str) -> bytes:
    """The avatar's whole mesh (skin and eyes) encoded as ``fmt`` ("glb" or "obj"), vertex order kept."""
    import trimesh

    mesh = trimesh.Trimesh(np.asarray(avatar.vertices, dtype=np.float64), avatar.faces, process=False)
    if fmt == "glb":
        mesh.visual = trimesh.visual.TextureVisuals(
            material=trimesh.visual.material.PBRMaterial(name="skin", baseColorFactor=SKIN_RGBA,
                                                        metallicFactor=0.0, roughnessFactor=0.8))
        scene = trimesh.Scene()
        scene.add_geometry(mesh, node_name="body", geom_name="body")
        scene.metadata[METADATA_KEY] = avatar_metadata(avatar)
        return scene.export(file_type="glb")
    if fmt == "obj":
        text = trimesh.exchange.obj.export_obj(mesh, include_normals=False, include_color=False,
                                               include_texture=False, header=None)
        header = f"# fitting-room avatar, metres, Y up, facing +Z\n# {METADATA_KEY} {json.dumps(avatar_metadata(avatar))}\n"
        return (header + text).encode("utf-8")
    raise AvatarError(f"unknown avatar format '{fmt}'; use .glb or .obj")


def export_avatar(avatar, path: Path) -> Path:
    """Write the avatar to ``path``; the format follows the suffix (.glb or .obj)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise AvatarError(f"cannot write '{path.name}': give the output a .glb or .obj name")
    atomic_write_bytes(path, avatar_mesh_bytes(avatar, suffix[1:]))
    return path


def export_glb(avatar, path: Path) -> Path:
    return export_avatar(avatar, Path(path).with_suffix(".glb") if Path(path).suffix.lower() != ".glb" else path)


def load_avatar_mesh(path: Path):
    """Vertices (V, 3), faces (F, 3) and recorded metadata of a body file (vertex order kept)."""
    import trimesh

    path = Path(path)
    if not path.is_file():
        raise AvatarError(f"avatar file not found: {path}; make one with 'fitting-room avatar'")
    try:
        scene = trimesh.load(path, process=False, force="scene")
        if "body" in scene.graph.nodes_geometry:  # a scene of 'fitting-room drape': its body only
            transform, geometry = scene.graph["body"]
            loaded = scene.geometry[geometry].copy()
            loaded.apply_transform(transform)
        else:
            loaded = scene.to_geometry() if hasattr(scene, "to_geometry") else scene.dump(concatenate=True)
    except Exception as exc:  # trimesh raises many kinds for unreadable files
        raise AvatarError(f"cannot read avatar file {path.name} ({exc.__class__.__name__}); "
                          "give a .glb or .obj written by 'fitting-room avatar'") from None
    vertices = np.asarray(loaded.vertices, dtype=np.float64)
    faces = np.asarray(loaded.faces, dtype=np.int64)
    if len(vertices) == 0 or len(faces) == 0 or not np.isfinite(vertices).all():
        raise AvatarError(f"avatar file {path.name} holds no usable mesh; make one with 'fitting-room avatar'")
    return vertices, faces, _read_metadata(path, scene)


def avatar_from_file(path: Path):
    """Rebuild an :class:`avatar.avatar.Avatar` from a file written by :func:`export_avatar`.

    The file must have the body model's vertex count; joints are recovered from the skin around each joint.
    """
    from .avatar import Avatar
    from .body_model import Phenotype, load_body_model

    vertices, faces, meta = load_avatar_mesh(path)
    model = load_body_model()
    if len(vertices) != model.n_vertices or len(faces) != len(model.faces):
        raise AvatarError(f"{Path(path).name} is not an avatar made by 'fitting-room avatar' "
                          f"({len(vertices)} vertices, expected {model.n_vertices}); make one with that command")
    neutral = model.evaluate(Phenotype())
    rings = model.joint_rings()
    # Each joint keeps its offset from its ring's centre, scaled by the body's size.
    scale = (vertices[:, 1].max() - vertices[:, 1].min()) / (neutral.vertices[:, 1].max() - neutral.vertices[:, 1].min())
    joints = {n: vertices[r].mean(axis=0) + (neutral.joints[n] - neutral.vertices[r].mean(axis=0)) * scale
              for n, r in rings.items()}
    sex = meta.get("sex") if meta.get("sex") in ("female", "male") else _guess_sex(vertices, model.body_faces, joints)
    phenotype = Phenotype(**{k: float(v) for k, v in meta.get("phenotype", {}).items() if k in PHENOTYPE_NAMES})
    return Avatar(vertices=vertices, faces=model.faces, body_faces=model.body_faces, joints=joints,
                  phenotype=phenotype, sex=sex, scale=float(meta.get("scale", 1.0)))


def _guess_sex(vertices: np.ndarray, body_faces: np.ndarray, joints) -> str:
    """For body files without metadata: a bust standing out from the underbust marks a female body."""
    from .landmarks import landmarks_for

    lm = landmarks_for("female")
    bust_depth = vertices[[lm.bust_l, lm.bust_r], 2].mean() - vertices[lm.underbust, 2]
    return "female" if bust_depth > BUST_PROMINENCE_M else "male"


BUST_PROMINENCE_M = 0.03  # reference bodies: about 5 cm for the average woman, 1.5 cm for the average man
