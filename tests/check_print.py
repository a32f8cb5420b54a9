"""A check-printed T-shirt as a designer exports it, for the print and colourway tests."""

from pathlib import Path

import numpy as np
import trimesh
from PIL import Image

TEE = Path(__file__).resolve().parent.parent / "assets" / "garments" / "crew-tee" / "M.glb"


def check_print(squares: int = 16, px: int = 256) -> Image.Image:
    """A black-and-white check print, as a designer's fabric swatch."""
    k = (np.arange(px) * squares // px) % 2
    light = (k[:, None] ^ k[None, :]).astype(bool)
    return Image.fromarray(np.where(light[..., None], 235, 25).astype(np.uint8).repeat(3, axis=2))


def export_check_tee(folder: Path, ext: str) -> Path:
    """The built-in tee with the check print, written by trimesh's exporter (OBJ + MTL + PNG, or a GLB)."""
    mesh = trimesh.load(TEE, force="mesh", process=False)
    mesh.visual = trimesh.visual.TextureVisuals(uv=mesh.visual.uv, image=check_print())
    path = Path(folder) / f"check-tee{ext}"
    mesh.export(path)
    return path
