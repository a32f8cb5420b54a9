"""Designers' garment files read by format: OBJ, glTF/GLB, PLY, STL, MakeHuman ``.mhclo`` and zips of them.

``read_garment_file`` picks the loader by extension (``LOADERS``), refuses empty or oversized files and
files declaring too many vertices or faces before they are parsed, and stops a parse that takes too
long. A loader returns the geometry as the file holds it (``RawMesh``); nothing is ever written to the
file. Every problem is a one-line ``GarmentImportError``.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .constants import IMPORT_TIME_LIMIT_S, MAX_IMPORT_BYTES, MAX_IMPORT_FACES, MAX_IMPORT_VERTICES
from .errors import GarmentImportError
from .mesh_counts import DeclaredCounts, declared_counts


@dataclass
class RawMesh:
    """What a loader returns: geometry in file units and frame, plus what the file says about them."""

    vertices: np.ndarray
    faces: np.ndarray
    uv: np.ndarray | None = None
    units: str | None = None  # known unit (glTF: metres)
    up: str | None = None  # known up axis ("y" for glTF)
    binding: object = None  # mhclo: MhcloFile
    texture: object = None  # PIL image of the base colour, if the file has one


def _load_trimesh(path: Path) -> RawMesh:
    import trimesh

    ext = path.suffix.lower()
    kwargs = {"process": False}
    if ext == ".obj":
        kwargs["maintain_order"] = True
    with open(path, "rb") as handle:  # the type comes from our extension check, not trimesh's guess
        loaded = trimesh.load(handle, file_type=ext[1:], resolver=trimesh.resolvers.FilePathResolver(str(path)),
                              **kwargs)
    if isinstance(loaded, trimesh.Scene):
        geoms = [g for g in loaded.dump() if isinstance(g, trimesh.Trimesh)] if loaded.geometry else []
        named = [g for g in geoms if not _is_body_name(g.metadata.get("name", ""))]
        geoms = named or geoms  # a scene exported with its avatar: keep the garment
        if not geoms:
            raise GarmentImportError(f"{path.name} holds no triangle mesh; export the garment as a mesh")
        mesh = trimesh.util.concatenate(geoms) if len(geoms) > 1 else geoms[0]
    elif isinstance(loaded, trimesh.Trimesh):
        mesh = loaded
    else:
        raise GarmentImportError(f"{path.name} holds no surface (only points or lines); export the garment as a mesh")
    uv = getattr(mesh.visual, "uv", None)
    uv = None if uv is None or len(uv) != len(mesh.vertices) else np.asarray(uv, float)
    gltf = ext in (".glb", ".gltf")
    return RawMesh(np.asarray(mesh.vertices, float), np.asarray(mesh.faces, np.int64), uv,
                   units="m" if gltf else None, up="y" if gltf else None,
                   texture=_texture_image(mesh) if uv is not None else None)


def _texture_image(mesh):
    """The base colour image of a textured mesh (PIL image) or None."""
    material = getattr(mesh.visual, "material", None)
    for attr in ("image", "baseColorTexture"):
        image = getattr(material, attr, None)
        if image is not None and hasattr(image, "save"):
            return image
    return None


BODY_NAMES = ("body", "avatar", "mannequin", "human", "skin", "character")


def _is_body_name(name: str) -> bool:
    """Whether a scene node looks like the avatar a garment was exported with."""
    return any(word in str(name).lower() for word in BODY_NAMES)


def _load_mhclo(path: Path, root: Path | None = None) -> RawMesh:
    """A ``.mhclo`` and the mesh it names; with ``root`` (an unpacked archive) only files inside it are read."""
    from .archive import confined
    from .mhclo import parse_mhclo, read_obj

    m = parse_mhclo(path)
    named = m.obj_file and (confined(root, path.parent, m.obj_file) if root is not None else path.parent / m.obj_file)
    candidates = [named] if named else []
    candidates.append(path.with_suffix(".obj"))
    obj = next((c for c in candidates if c.is_file()), None)
    if obj is None:  # names written on a case-insensitive system
        wanted = {c.name.lower() for c in candidates}
        obj = next((c for c in path.parent.iterdir() if c.name.lower() in wanted and c.is_file()), None)
    if obj is None:
        raise GarmentImportError(f"the mesh {m.obj_file or path.with_suffix('.obj').name} named by {path.name} "
                                 "is missing; put it next to the .mhclo")
    precheck(obj, ".obj")
    v, f, uv = read_obj(obj)
    if len(v) != len(m.indices):
        raise GarmentImportError(f"{path.name} binds {len(m.indices)} vertices but {obj.name} has {len(v)}; "
                                 "they do not belong together, re-export both")
    from .mhclo import diffuse_texture

    return RawMesh(v * 0.1, f, uv, units="m", up="y", binding=m, texture=diffuse_texture(path, m.material, root))


def _load_zip(path: Path) -> RawMesh:
    """A zip of a garment's files (as MakeHuman assets are shared): the .mhclo inside, else the one mesh.

    Only the archive's own files are read: see ``garments.archive`` for what is refused.
    """
    from .archive import extract, member_name, open_archive, temporary_folder

    with open_archive(path) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for wanted in (".mhclo", ".glb", ".gltf", ".obj", ".ply", ".stl"):
            found = sorted((m for m in members if m.filename.lower().endswith(wanted)
                            and "__macosx" not in m.filename.lower()), key=lambda m: m.filename)
            if found:
                break
        else:
            raise GarmentImportError(f"{path.name} holds no garment file ({', '.join(sorted(LOADERS))}); "
                                     "zip the garment's mesh with it")
        folder = temporary_folder()
        try:
            extract(archive, members, folder, path.name)
            inner = folder.joinpath(*member_name(found[0], path.name).parts)
            precheck(inner, inner.suffix.lower(), shown=f"{path.name}: {found[0].filename}")
            if inner.suffix.lower() == ".mhclo":
                return _load_mhclo(inner, root=folder)
            return LOADERS[inner.suffix.lower()](inner)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


LOADERS = {".obj": _load_trimesh, ".glb": _load_trimesh, ".gltf": _load_trimesh, ".ply": _load_trimesh,
           ".stl": _load_trimesh, ".mhclo": _load_mhclo, ".zip": _load_zip}


def read_garment_file(path: Path, time_limit: float = IMPORT_TIME_LIMIT_S) -> RawMesh:
    """Read a file with the loader for its extension, refusing huge files and stopping slow parses."""
    path = Path(path)
    if not path.exists():
        raise GarmentImportError(f"{path} does not exist; check the path")
    if not path.is_file():
        raise GarmentImportError(f"{path} is not a file; give the garment's mesh file")
    ext = path.suffix.lower()
    if ext not in LOADERS:
        raise GarmentImportError(f"{path.name}: '{ext or 'no extension'}' is not a garment format we read; "
                                 f"use one of {', '.join(sorted(LOADERS))}")
    precheck(path, ext)
    from PIL import Image

    from avatar.image_header import MAX_IMAGE_PIXELS, cap_decoders

    cap_decoders()  # a texture inside the file is refused by its header too
    result: dict = {}

    def work():
        try:
            result["mesh"] = LOADERS[ext](path)
        except GarmentImportError as exc:
            result["error"] = exc
        except Image.DecompressionBombError:
            result["error"] = GarmentImportError(
                f"{path.name} holds a texture of more than {MAX_IMAGE_PIXELS // 10**6} megapixels; "
                "scale the texture down and export it again")
        except IndexError:  # a parser indexing its vertex list with a face's out-of-range number
            result["error"] = GarmentImportError(
                f"{path.name} has faces that use missing vertices; repair the mesh and export it again")
        except Exception:  # any other parser failure means the file is damaged or not this format
            result["error"] = GarmentImportError(
                f"{path.name} is not a readable {ext[1:].upper()} file (damaged, or another format renamed); "
                "export it again or try another format")

    thread = threading.Thread(target=_quiet(work), daemon=True, name="garment-import")
    thread.start()
    thread.join(time_limit)
    if thread.is_alive():
        raise GarmentImportError(f"reading {path.name} took longer than {time_limit:.0f} s; "
                                 "simplify the file or export it in another format")
    if "error" in result:
        raise result["error"]
    return result["mesh"]


def _quiet(fn):
    """Run ``fn`` with library warnings and log records kept off the terminal (errors are ours to report)."""
    import logging
    import warnings

    def run():
        log = logging.getLogger("trimesh")
        level = log.level
        log.setLevel(logging.CRITICAL + 1)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fn()
        finally:
            log.setLevel(level)

    return run


def precheck(path: Path, ext: str, shown: str | None = None) -> None:
    """Refuse an empty or oversized file, or one declaring too many vertices or faces, before parsing it."""
    shown = shown or path.name
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise GarmentImportError(f"{shown} is {size / 1e6:.0f} MB, over the {MAX_IMPORT_BYTES // 2**20} MB "
                                 "limit; decimate the garment and export it again")
    if size == 0:
        raise GarmentImportError(f"{shown} is empty (0 bytes); export the garment again")
    limits = DeclaredCounts(MAX_IMPORT_VERTICES, MAX_IMPORT_FACES)
    counts = declared_counts(path, ext, stop_above=limits)
    if counts.vertices > limits.vertices or counts.faces > limits.faces:
        over = (f"{counts.vertices:,} vertices, over the limit of {limits.vertices:,}"
                if counts.vertices > limits.vertices else f"{counts.faces:,} faces, over the limit of {limits.faces:,}")
        raise GarmentImportError(f"{shown} has at least {over}; decimate it "
                                 "(10k-30k vertices drape well) and export it again")
