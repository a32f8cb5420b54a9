"""The user catalog's folders: an imported garment written under a new id all at once, and removed."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .binding import Binding
from .catalog import Garment, entry_json, get_garment, user_catalog_dir
from .catalog_entry import write_entry_file
from .errors import GarmentError
from .mesh_files import write_mesh_file


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s or "garment")[:40].strip("-") or "garment"


def unique_id(root: Path, base: str) -> str:
    gid, k = base, 2
    while (root / gid).exists():
        gid = f"{base}-{k}"
        k += 1
    return gid


def write_user_garment(garment: Garment, meshes: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray | None]],
                       binding: Binding | None = None, texture=None, prints: dict | None = None) -> Path:
    """Write a garment's folder into the user catalog; returns it. Nothing is left behind on failure.

    Parameters
    ----------
    garment : its entry; ``garment.id`` names the folder, which must not exist yet (``unique_id``)
    meshes : file name -> (vertices (N, 3) float metres, faces (M, 3) int, uv (N, 2) float or None)
    binding : written as ``binding.npz`` (MakeHuman garments)
    texture : PIL image, written as ``garment.texture`` when the entry names one
    prints : file name -> PIL image, the colourways' own prints (``Colour.texture``)
    """
    root = user_catalog_dir()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{garment.id}.", dir=root))
    try:
        for file_name, (mv, mf, muv) in meshes.items():
            write_mesh_file(tmp / file_name, mv, mf, muv)
        if binding is not None:
            binding.save(tmp / "binding.npz")
        if garment.texture:
            texture.convert("RGB").save(tmp / garment.texture)
        for file_name, image in (prints or {}).items():
            image.save(tmp / file_name)
        write_entry_file(tmp, entry_json(garment))
        os.replace(tmp, root / garment.id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root / garment.id


def remove_garment(garment_id: str) -> None:
    """Delete a garment from the user catalog (built-in garments cannot be removed)."""
    g = get_garment(garment_id)
    if g.source != "user":
        raise GarmentError(f"'{garment_id}' is a built-in garment and cannot be removed; only imports can")
    trash = Path(tempfile.mkdtemp(prefix=f".{g.folder.name}.removing.", dir=g.folder.parent))
    try:
        os.replace(g.folder, trash / g.folder.name)  # gone from the catalog at once, deleted after
    except OSError as exc:
        shutil.rmtree(trash, ignore_errors=True)
        raise GarmentError(f"could not remove '{garment_id}': {exc.strerror or exc}; check the folder's "
                           f"permissions ({g.folder})") from None
    shutil.rmtree(trash, ignore_errors=True)
