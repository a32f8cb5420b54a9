"""A catalog garment's mesh files: GLB read and written with their vertex order kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import GarmentError


def read_mesh_file(path: Path):
    """Vertices (N, 3), faces (M, 3) and uv (N, 2) or None of a catalog mesh file, order kept."""
    import trimesh

    try:
        mesh = trimesh.load(path, force="mesh", process=False, maintain_order=True)
    except Exception as exc:
        raise GarmentError(f"mesh file {path} is unreadable ({exc.__class__.__name__}); "
                           "regenerate or re-import the garment") from None
    uv = getattr(mesh.visual, "uv", None)
    uv = None if uv is None or len(uv) != len(mesh.vertices) else np.asarray(uv, float)
    return np.asarray(mesh.vertices, float), np.asarray(mesh.faces, np.int64), uv


def write_mesh_file(path: Path, vertices: np.ndarray, faces: np.ndarray, uv: np.ndarray | None = None) -> None:
    """Write a GLB (vertex order kept) atomically."""
    import trimesh

    from avatar.storage import atomic_write_bytes

    mesh = trimesh.Trimesh(np.asarray(vertices, np.float32), np.asarray(faces, np.int64), process=False)
    if uv is not None:
        mesh.visual = trimesh.visual.TextureVisuals(uv=np.asarray(uv, np.float32))
    atomic_write_bytes(Path(path), mesh.export(file_type="glb"))

