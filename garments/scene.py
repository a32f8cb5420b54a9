"""Write a dressed avatar as a glTF binary scene: a node ``body`` and one node per garment, named by id."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def scene_bytes(avatar, results, colours: dict[str, tuple[float, float, float]] | None = None,
                prints: dict[str, tuple] | None = None) -> bytes:
    """GLB bytes of the body and draped garments (vertex order kept).

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    results : list of garments.outfit.DrapeResult
    colours : garment id -> linear RGB 0-1 (optional)
    prints : garment id -> (linear RGB 0-1 base colour factor, (H, W, 3) uint8 sRGB image): a garment whose
        drape kept texture coordinates is written with this base-colour texture (its colourway's print,
        ``garments.textures.colourway_print``) instead of its flat colour
    """
    import trimesh

    scene = trimesh.Scene()
    body = trimesh.Trimesh(np.asarray(avatar.vertices, np.float32), np.asarray(avatar.faces), process=False)
    body.visual.face_colors = [199, 160, 140, 255]
    scene.add_geometry(body, node_name="body", geom_name="body")
    used = {"body"}
    for r in results:
        name = r.garment_id
        k = 2
        while name in used:  # the same garment twice: keep node names unique
            name, k = f"{r.garment_id}-{k}", k + 1
        used.add(name)
        mesh = trimesh.Trimesh(np.asarray(r.vertices, np.float32), np.asarray(r.faces), process=False)
        rgb = (colours or {}).get(r.garment_id)
        printed = (prints or {}).get(r.garment_id)
        if printed is not None and getattr(r, "uv", None) is not None:
            mesh.visual = _printed_visual(r.uv, *printed, name)
        elif rgb is not None:
            mesh.visual.face_colors = [int(255 * min(max(c, 0.0), 1.0)) for c in rgb] + [255]
        scene.add_geometry(mesh, node_name=name, geom_name=name)
    return scene.export(file_type="glb")


def _printed_visual(uv, factor, image, name: str):
    """A trimesh texture visual: ``image`` ((H, W, 3) uint8 sRGB) as the base-colour texture over ``uv``
    ((N, 2) float), multiplied by ``factor`` (linear RGB 0-1, glTF's base colour factor)."""
    import trimesh
    from PIL import Image

    rgba = [int(round(255 * min(max(c, 0.0), 1.0))) for c in factor] + [255]
    material = trimesh.visual.material.PBRMaterial(name=name, baseColorTexture=Image.fromarray(np.asarray(image)),
                                                   baseColorFactor=rgba, metallicFactor=0.0, roughnessFactor=0.9)
    return trimesh.visual.TextureVisuals(uv=np.asarray(uv, np.float64), material=material)


def write_scene(path: Path, avatar, results, colours=None, prints=None) -> Path:
    """Write ``scene_bytes`` to ``path`` atomically; returns the path."""
    from avatar.storage import atomic_write_bytes

    path = Path(path)
    atomic_write_bytes(path, scene_bytes(avatar, results, colours, prints))
    return path
