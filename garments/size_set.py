"""Size sets: a folder or zip of one mesh per size (``S.obj``, ``M.obj``, ``tee_L.glb``, ``38.obj``...).

``size_set_files(path, names)`` finds the size meshes: a file's size is its name without the extension,
or the last word of it (``tee_L`` -> L); without ``names`` a word is a size when it is a letter size
(``SIZE_ORDER``) or a number, with ``names`` (``--sizes S,M,L``) exactly those sizes are looked for.
A zip is unpacked into a private temporary folder (``garments.archive``, with its limits) removed
when the context ends.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

from .catalog import size_sort_key
from .constants import SIZE_ORDER
from .errors import GarmentImportError

SIZE_MESH_EXTENSIONS = (".obj", ".glb", ".gltf", ".ply", ".stl")
_NUMBER_SIZE = re.compile(r"^\d{1,3}$")


def parse_size_names(text: str | None) -> list[str] | None:
    """``"S,M,L"`` -> ["S", "M", "L"]; None for None; GarmentImportError for an empty or repeated name."""
    if text is None:
        return None
    names = [n.strip() for n in re.split(r"[,\s]+", text) if n.strip()]
    if not names or any("/" in n or len(n) > 20 for n in names):
        raise GarmentImportError(f"--sizes '{text[:40]}' is not a list of size names; give e.g. --sizes S,M,L")
    lowered = [n.lower() for n in names]
    if len(set(lowered)) != len(lowered):
        raise GarmentImportError(f"--sizes '{text[:40]}' names a size twice; name each size once")
    return names


def is_size_set(path: Path) -> bool:
    """Whether an import path is a folder (always a size set) or a zip holding several meshes."""
    path = Path(path)
    if path.is_dir():
        return True
    if path.suffix.lower() != ".zip" or not path.is_file():
        return False
    from .archive import open_archive

    with open_archive(path) as archive:
        names = [m.filename.lower() for m in archive.infolist() if not m.is_dir()]
    if any(n.endswith(".mhclo") for n in names):
        return False
    meshes = [n for n in names if n.endswith(SIZE_MESH_EXTENSIONS) and "__macosx" not in n]
    return len(meshes) > 1


@contextlib.contextmanager
def size_set_files(path: Path, names: list[str] | None = None):
    """Yield [(size name, mesh path)] smallest size first (or in ``names``' order)."""
    path = Path(path)
    if path.is_dir():
        yield _match(path, sorted(p for p in path.rglob("*") if p.is_file()), names)
        return
    from .archive import check_members, extract, open_archive, temporary_folder

    folder = temporary_folder()
    try:
        with open_archive(path) as archive:
            members = [m for m in check_members(archive, path.name) if "__macosx" not in m.filename.lower()]
            extract(archive, members, folder, path.name)
        yield _match(path, sorted(p for p in folder.rglob("*") if p.is_file()), names)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _match(source: Path, files: list[Path], names: list[str] | None) -> list[tuple[str, Path]]:
    meshes = [p for p in files if p.suffix.lower() in SIZE_MESH_EXTENSIONS]
    found: dict[str, tuple[str, Path]] = {}
    for mesh in meshes:
        size = _size_of(mesh.stem, names)
        if size is None:
            continue
        if size.lower() in found:
            raise GarmentImportError(f"{source.name} holds two meshes of size {size} ({found[size.lower()][1].name}, "
                                     f"{mesh.name}); keep one mesh per size")
        found[size.lower()] = (size, mesh)
    if names is not None:
        missing = [n for n in names if n.lower() not in found]
        if missing:
            raise GarmentImportError(f"{source.name} has no mesh for size {', '.join(missing)}; name the files "
                                     "by size (e.g. tee_M.obj) or list only the sizes it has with --sizes")
        return [found[n.lower()] for n in names]
    if not found:
        raise GarmentImportError(f"{source.name} holds no mesh named by size (S.obj, M.glb, 38.obj...); name the "
                                 "files by size or give the size names with --sizes")
    return sorted(found.values(), key=lambda item: size_sort_key(item[0]))


def _size_of(stem: str, names: list[str] | None) -> str | None:
    """The size a file stem names, or None."""
    candidates = [stem.strip(), re.split(r"[_\-\s.]+", stem.strip())[-1]]
    for word in candidates:
        if names is not None:
            hit = next((n for n in names if n.lower() == word.lower()), None)
            if hit:
                return hit
        elif word.upper() in SIZE_ORDER:
            return word.upper()
        elif _NUMBER_SIZE.match(word):
            return word
    return None
