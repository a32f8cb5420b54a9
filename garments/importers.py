"""Designer import: OBJ, glTF/GLB, PLY, STL and MakeHuman ``.mhclo`` garments into the user catalog.

``import_garment(path, ...)`` reads the file (size and time capped, never written to), checks it,
finds its unit and up axis, places it on the reference body, measures it and copies it into
``data_root()/garments/<id>/`` atomically. Every problem is a one-line ``GarmentImportError``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .catalog import (BOTTOM_CATEGORIES, CATEGORIES, FITS, Binding, Colour, Garment, SizeSpec, entry_json,
                      normalise_category, parse_currency, parse_price,
                      read_entry, reference_sex, user_catalog_dir, write_mesh_file)
from .catalog_entry import EntryShapeError, check_entry, write_entry_file
from .constants import (CATEGORY_TYPICAL_HEIGHT_M, DECIMATE_ABOVE_VERTICES, DECIMATE_TARGET_VERTICES,
                        DEFAULT_CATEGORY, IMPORT_TIME_LIMIT_S, MAX_GARMENT_HEIGHT_M,
                        MAX_IMPORT_BYTES, MAX_IMPORT_FACES, MAX_IMPORT_VERTICES, MIN_FACE_AREA_M2, MIN_GARMENT_HEIGHT_M,
                        NEAR_BODY_MEDIAN_M, UNIT_SCALES)
from .errors import GarmentImportError
from .mesh_counts import DeclaredCounts, declared_counts
from .registration_constants import COLLAR_ABOVE_NECK_M
from .fit_constants import CATEGORY_FABRIC_STRETCH, DEFAULT_FABRIC_STRETCH
from .textures import DESIGNED_COLOUR, DESIGNED_TEXTURED_RGB

# Coordinates beyond this (in any unit) are not a garment: 1e6 mm is a kilometre.
MAX_COORDINATE = 1e6
# Garment vertices sampled to score a placement (enough to see the shape, fast to query).
PLACEMENT_SAMPLES = 3000
# Score added per metre between a candidate's top edge and where its category sits on the body:
# strong enough to put a tube-like skirt at the waist rather than sliding down the legs.
PLACEMENT_PRIOR_PER_M = 0.3


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


# ---------------------------------------------------------------- checks and placement

def check_geometry(raw: RawMesh, name: str) -> RawMesh:
    """Refuse empty, faceless, non-finite, degenerate and overly dense meshes; drop zero-area faces."""
    v, f = raw.vertices, raw.faces
    if len(v) == 0:
        raise GarmentImportError(f"{name} has no vertices; export the garment with its geometry")
    if len(f) == 0:
        raise GarmentImportError(f"{name} has vertices but no faces (a point cloud); export it as a surface mesh")
    if not np.isfinite(v).all():
        raise GarmentImportError(f"{name} has NaN or infinite coordinates; repair the mesh and export it again")
    if len(v) > MAX_IMPORT_VERTICES:
        raise GarmentImportError(f"{name} has {len(v):,} vertices, over the {MAX_IMPORT_VERTICES:,} limit; "
                                 "decimate it (10k-30k vertices drape well) and export it again")
    if f.min() < 0 or f.max() >= len(v):
        raise GarmentImportError(f"{name} has faces that use missing vertices; repair the mesh and export it again")
    if np.abs(v).max() > MAX_COORDINATE:
        raise GarmentImportError(f"{name} has coordinates beyond {MAX_COORDINATE:g}; it is not a garment in any unit, "
                                 "check the export")
    centred = v - v.mean(axis=0)
    extent = float(np.abs(centred).max())
    if extent == 0 or np.linalg.matrix_rank(centred / extent, tol=1e-9) < 2:
        raise GarmentImportError(f"{name} is degenerate (all vertices on one point or line); export the real garment")
    tri = v[f]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    good = area > MIN_FACE_AREA_M2 * (extent ** 2)
    if not good.any():
        raise GarmentImportError(f"{name} is degenerate (every face has zero area); export the real garment")
    if raw.binding is None and not good.all():
        f = f[good]
    raw.faces = f
    return raw


def merge_duplicates(raw: RawMesh) -> RawMesh:
    """Weld vertices at the same position (STL triangle soup, UV seams) so the cloth holds together."""
    v = raw.vertices
    scale = float(np.ptp(v, axis=0).max()) or 1.0
    key = np.round(v / (scale * 1e-7)).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    if len(first) == len(v):
        return raw
    inverse = inverse.ravel()
    f = inverse[raw.faces]
    f = f[(f[:, 0] != f[:, 1]) & (f[:, 1] != f[:, 2]) & (f[:, 0] != f[:, 2])]
    uv = raw.uv[first] if raw.uv is not None else None
    return RawMesh(v[first], f, uv, raw.units, raw.up, raw.binding, raw.texture)


def decimate(raw: RawMesh, target: int = DECIMATE_TARGET_VERTICES) -> RawMesh:
    """Reduce a dense mesh by vertex clustering on a grid (UVs are averaged per cell)."""
    v, f = raw.vertices, raw.faces
    tri = v[f]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum()
    cell = np.sqrt(area / target) * 0.9
    for _ in range(6):
        key = np.floor((v - v.min(axis=0)) / cell).astype(np.int64)
        _, inverse = np.unique(key, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        if inverse.max() + 1 <= target * 1.1:
            break
        cell *= 1.25
    n = inverse.max() + 1
    counts = np.bincount(inverse, minlength=n)[:, None]
    nv = np.zeros((n, 3))
    np.add.at(nv, inverse, v)
    nv /= counts
    uv = None
    if raw.uv is not None:
        uv = np.zeros((n, 2))
        np.add.at(uv, inverse, raw.uv)
        uv /= counts
    nf = inverse[f]
    nf = nf[(nf[:, 0] != nf[:, 1]) & (nf[:, 1] != nf[:, 2]) & (nf[:, 0] != nf[:, 2])]
    nf = np.unique(nf, axis=0)
    return RawMesh(nv, nf, uv, raw.units, raw.up, raw.binding, raw.texture)


def detect_up(raw: RawMesh, up: str | None = None) -> str:
    """The file's up axis: given, from the format (glTF is Y up), or the longer of Y and Z.

    A garment is always shallower front to back than it is tall, and X is left-right in both
    the Y-up and the Z-up convention, so the longer of the Y and Z extents is vertical.
    """
    if up:
        return up.lower()
    if raw.up:
        return raw.up
    ext = np.ptp(raw.vertices, axis=0)
    return "z" if ext[2] > 1.15 * ext[1] else "y"


def to_y_up(v: np.ndarray, up: str) -> np.ndarray:
    """Z-up files (Blender, CAD: facing -Y) to our frame (Y up, facing +Z)."""
    if up == "z":
        return np.stack([v[:, 0], v[:, 2], -v[:, 1]], axis=1)
    if up != "y":
        raise GarmentImportError(f"up axis '{up}' is not supported; use y or z")
    return v


def detect_units(height: float, category: str, known: str | None = None, given: str | None = None) -> str:
    """The unit whose scale brings the garment's height closest (in ratio) to its category's typical height."""
    if given:
        if given not in UNIT_SCALES:
            raise GarmentImportError(f"unit '{given}' is not supported; use one of {', '.join(UNIT_SCALES)}")
        return given
    if known and MIN_GARMENT_HEIGHT_M * 2 <= height * UNIT_SCALES[known] <= MAX_GARMENT_HEIGHT_M:
        return known
    typical = CATEGORY_TYPICAL_HEIGHT_M.get(category, CATEGORY_TYPICAL_HEIGHT_M[DEFAULT_CATEGORY])
    return min(UNIT_SCALES, key=lambda u: abs(np.log(max(height * UNIT_SCALES[u], 1e-12) / typical)))


def place_on_body(v: np.ndarray, category: str, sex: str) -> np.ndarray:
    """Put a garment (metres, Y up) on the reference body.

    Candidates are the garment as exported and the garment centred on the body's axis with its
    top at heights from the knee to above the neck. Each is scored by how closely it wraps the
    body (mean distance to the skin, capped) plus a penalty for cloth inside the body and for
    straying from where its category sits (the neck for tops and dresses, the waist for skirts,
    trousers, shorts and leggings) and for cloth below the floor. The lowest score wins.
    """
    from .patterns import body_clearance, body_form

    form = body_form(sex)
    rng = np.random.default_rng(0)
    lo, hi = v.min(axis=0), v.max(axis=0)
    height = hi[1] - lo[1]
    band = v[v[:, 1] > hi[1] - max(0.12, 0.15 * height)]  # the part a garment hangs from
    band = band[rng.choice(len(band), size=min(len(band), PLACEMENT_SAMPLES), replace=False)]
    band_mid = 0.5 * (band.min(axis=0) + band.max(axis=0))
    whole = v[rng.choice(len(v), size=min(len(v), PLACEMENT_SAMPLES), replace=False)]
    if category in BOTTOM_CATEGORIES:
        anchor = form.levels["waist"] - 0.02
    elif category in ("top", "shirt", "outerwear", "dress", "jumpsuit"):
        anchor = form.joints["neck"][1] + COLLAR_ABOVE_NECK_M
    else:
        anchor = None

    def score(offset: np.ndarray) -> float:
        d_band = body_clearance(form, band + offset, exact=False)
        d_all = body_clearance(form, whole + offset, exact=False)
        s = float(np.mean(np.minimum(np.abs(d_band), 0.3)) + np.mean(d_all < -0.01)
                  + 2.0 * np.mean(whole[:, 1] + offset[1] < -0.01))  # cloth under the floor
        if anchor is not None:
            s += PLACEMENT_PRIOR_PER_M * abs(hi[1] + offset[1] - anchor)
        return s

    best_offset, best = np.zeros(3), score(np.zeros(3)) - 0.005  # prefer the designer's placement on ties
    top_max = form.joints["head"][1] + 0.05
    for top_y in np.arange(max(height, form.levels["knee"]), top_max, 0.02):
        band_y = top_y - (hi[1] - band_mid[1])
        offset = np.array([-(lo[0] + hi[0]) / 2, top_y - hi[1], float(form.centre_at(band_y)) - band_mid[2]])
        sc = score(offset)
        if sc < best:
            best, best_offset = sc, offset
    return v + best_offset


def infer_category(v: np.ndarray, faces: np.ndarray, form) -> str:
    """A garment's category from its shape on the body, for imports given none.

    Bottoms start below the armpits: with a tube around each leg under the crotch they are
    shorts (hem above the knee), leggings (close to the skin) or trousers, otherwise a skirt.
    Tops reaching well below the crotch are dresses, others tops.
    """
    from .mesh_ops import section_loops
    from .patterns import body_clearance

    top, bottom = float(v[:, 1].max()), float(v[:, 1].min())
    levels = form.levels
    if top < levels["armpit"] - 0.05:
        y = levels["crotch"] - 0.06
        legs = [loop for loop in section_loops(v, faces, np.array([0.0, y, 0.0]), np.array([0.0, 1.0, 0.0]))
                if abs(loop[:, 0].mean()) > 0.04]
        sides = {np.sign(loop[:, 0].mean()) for loop in legs}
        if bottom < y and len(sides) == 2:
            if bottom > levels["knee"] + 0.05:
                return "shorts"
            return "leggings" if np.median(np.abs(body_clearance(form, v))) < 0.012 else "trousers"
        return "skirt"
    return "dress" if bottom < levels["crotch"] - 0.12 else "top"


# ---------------------------------------------------------------- import

def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (s or "garment")[:40].strip("-") or "garment"


def import_garment(path, **options) -> Garment:
    """Import a designer's garment file into the user catalog and return its catalog entry.

    Parameters
    ----------
    path : OBJ, GLB/glTF, PLY, STL or MHCLO file, zip, or a folder or zip of one mesh per size (never modified)
    price : at most two decimals (str, int or float; a float through its shortest repr); None leaves the
        garment unpriced: it can be tried on but not ordered until it is imported again with a price
    currency : three-letter ISO 4217 code (default EUR), stored uppercase
    name, category, size, sku, fits : catalog metadata (defaults from the file name)
    units : "mm", "cm", "dm" or "m" to override detection; up : "y" or "z" to override detection
    pose : "auto", "t" or "a": the pose the garment was authored in (``garments.registration``)
    offset_cm : height nudge after placement, centimetres; scale : size nudge (1: as exported)
    sizes : "S,M,L": the size meshes to take from a folder or zip (``garments.size_set``), or the chart rows
    size_chart : a size chart CSV (``garments.size_chart``) to grade the one mesh to; chart_units : "cm" or "in"
    size : the mesh's size, or a size set's base size
    progress : callable(fraction, message); cancelled : callable() -> bool
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numeric warnings on odd files must not reach the terminal
        try:
            return _import_garment(path, **options)
        except MemoryError:
            raise GarmentImportError(f"{Path(path).name} is too large to import in this computer's memory; "
                                     "decimate it and export it again") from None
        except OSError as exc:
            raise GarmentImportError(f"could not import {Path(path).name}: {exc.strerror or exc}; check the file, "
                                     "its permissions and the free disk space") from None


def _import_garment(path, *, name: str | None = None, category: str | None = None, size: str | None = None,
                   sku: str | None = None, price: float | str | None = None, currency: str = "EUR",
                   fits: str = "unisex", units: str | None = None, up: str | None = None, pose: str = "auto",
                   offset_cm: float = 0.0, scale: float = 1.0,
                   sizes: str | None = None, size_chart=None, chart_units: str | None = None,
                   progress=lambda f, m: None, cancelled=lambda: False) -> Garment:
    from .size_set import is_size_set, parse_size_names, size_set_files

    path = Path(path)
    names = parse_size_names(sizes)
    options = dict(name=name, category=category, size=size, sku=sku, price=price, currency=currency, fits=fits,
                   units=units, up=up, registering=dict(pose=pose, offset_cm=offset_cm, scale=scale),
                   progress=progress, cancelled=cancelled)
    if path.exists() and is_size_set(path):
        if size_chart is not None:
            raise GarmentImportError(f"{path.name} is a set of size meshes; give a size chart with one base mesh")
        with size_set_files(path, names) as files:
            return _import_sizes(path, files, None, **options)
    chart = None
    if size_chart is not None:
        from .size_chart import read_size_chart

        chart = read_size_chart(Path(size_chart), chart_units)
        names = names or list(chart.sizes)
        for n in names:
            chart.row(n)  # every size asked for is in the chart
    return _import_sizes(path, [(n, path) for n in names] if chart else [((size or "M").strip(), path)], chart,
                         **options)


def _import_sizes(path: Path, files: list[tuple[str, Path]], chart, *, name, category, size, sku, price, currency,
                  fits, units, up, registering, progress, cancelled) -> Garment:
    """Import one mesh per size (``files``: [(size, path)]), or one base mesh graded to a ``chart``."""
    given_category = bool(category)
    category = normalise_category(category or DEFAULT_CATEGORY)
    if category not in CATEGORIES:
        raise GarmentImportError(f"category '{category}' is unknown; use one of {', '.join(CATEGORIES)}")
    if fits not in FITS:
        raise GarmentImportError(f"fits '{fits}' is unknown; use one of {', '.join(FITS)}")
    try:
        price = None if price is None else parse_price(price)
        currency = parse_currency(currency)
    except ValueError as exc:
        raise GarmentImportError(str(exc)) from None
    for size_name, _ in files:
        if not size_name.strip() or "/" in size_name:
            raise GarmentImportError(f"size '{size_name}' is not a valid size name; use e.g. M or 38")
    base_size = _base_size([n for n, _ in files], size)
    base_path = dict(files)[base_size]
    sex = reference_sex(fits)
    progress(0.05, f"Reading {base_path.name}")
    raw = read_garment_file(base_path)
    raw = check_geometry(raw, base_path.name)
    if raw.binding is None:
        raw = _welded(raw, base_path)
    _check_cancelled(cancelled)
    progress(0.4, "Placing the garment on the body")
    v, binding, frame = _place(raw, base_path, category, sex, units, up, registering)
    from .patterns import body_clearance, body_form, finished_measurements

    form = body_form(sex)
    if np.median(np.abs(body_clearance(form, v))) > NEAR_BODY_MEDIAN_M:
        raise GarmentImportError(f"{base_path.name} is nowhere near a body after placement; check its units, "
                                 "up axis and category (--category) and export it again")
    if not given_category:
        category = infer_category(v, raw.faces, form)
        if frame is not None and frame.registration.anchor == "search" and category in BOTTOM_CATEGORIES:
            frame = frame.recategorised(category)
            registration = frame.register(frame.authored, raw.faces)  # hung from its waistband
            v, frame = registration.vertices, _Frame(**{**frame.__dict__, "registration": registration})
    progress(0.6, "Measuring")
    finished = finished_measurements(v, raw.faces, category, form)
    display = name or (raw.binding.name if raw.binding is not None else
                       (path.stem if path.is_dir() or len(files) > 1 else base_path.stem).replace("_", " "))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in dict.fromkeys(p for _, p in files))).hexdigest()[:6]
    root = user_catalog_dir()
    root.mkdir(parents=True, exist_ok=True)
    gid = _unique_id(root, f"{slug(display)}-{digest}")
    meshes = {}  # file name -> (vertices, faces, uv) to write
    if chart is not None:
        from .size_grading import chart_sizes

        specs = chart_sizes(v, raw.faces, category, sex, finished, chart, [n for n, _ in files], gid, sku)
        meshes["mesh.glb"] = (v, raw.faces, raw.uv)
    elif len(files) == 1:
        specs = (SizeSpec(name=base_size, sku=sku or f"{gid.upper()}-{base_size}", finished=finished,
                          mesh="mesh.glb"),)
        meshes["mesh.glb"] = (v, raw.faces, raw.uv)
    else:
        specs = []
        for k, (size_name, mesh_path) in enumerate(files):
            _check_cancelled(cancelled)
            progress(0.6 + 0.25 * k / len(files), f"Reading size {size_name}")
            sv, sf, suv = (v, raw.faces, raw.uv) if size_name == base_size else _same_frame(mesh_path, frame)
            file_name = f"{size_name}.glb"
            meshes[file_name] = (sv, sf, suv)
            specs.append(SizeSpec(name=size_name, sku=f"{sku or gid.upper()}-{size_name}", mesh=file_name,
                                  finished=finished if size_name == base_size else
                                  finished_measurements(sv, sf, category, form)))
    textured = raw.texture is not None and raw.uv is not None
    garment = Garment(
        id=gid, name=display, category=category, sizes=tuple(specs),
        price=price, currency=currency, colours=(Colour(DESIGNED_COLOUR, DESIGNED_TEXTURED_RGB if textured
                                                        else (0.7, 0.7, 0.7)),),
        stretch=CATEGORY_FABRIC_STRETCH.get(category, DEFAULT_FABRIC_STRETCH), layer=_default_layer(category), fits=fits,
        source="user", binding="binding.npz" if binding is not None else None,
        texture="texture.png" if textured else None)
    _check_cancelled(cancelled)
    try:
        check_entry(entry_json(garment))  # what the catalog will accept when it reads the entry back
    except EntryShapeError as exc:
        raise GarmentImportError(f"cannot import {path.name}: {exc}; give it with --name, --size or --sku") from None
    progress(0.85, "Saving to your catalog")
    tmp = Path(tempfile.mkdtemp(prefix=f".{gid}.", dir=root))
    try:
        for file_name, (mv, mf, muv) in meshes.items():
            write_mesh_file(tmp / file_name, mv, mf, muv)
        if binding is not None:
            binding.save(tmp / "binding.npz")
        if garment.texture:
            raw.texture.convert("RGB").save(tmp / garment.texture)
        write_entry_file(tmp, entry_json(garment))
        os.replace(tmp, root / gid)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(1.0, "Imported")
    return read_entry(root / gid, "user")


def _base_size(names: list[str], given: str | None) -> str:
    """The size whose mesh is placed first (the others follow it): ``given``, else M, else the middle one."""
    if given:
        hit = next((n for n in names if n.lower() == given.strip().lower()), None)
        if hit is None and len(names) > 1:
            raise GarmentImportError(f"base size '{given}' is not one of the sizes {', '.join(names)}; "
                                     "give one of them with --size")
        return hit or names[0]
    return next((n for n in names if n.upper() == "M"), names[len(names) // 2])


@dataclass(frozen=True)
class _Frame:
    """How a file's coordinates were brought onto the reference body, so a size set's other meshes follow.

    axis, unit_scale: the up axis and metres per file unit; authored: (N, 3) metres, the base mesh in Y up
    before registration; registration: the base mesh's (``garments.registration.Registration``, None until
    registered); the rest: its registration options.
    """

    axis: str
    unit_scale: float
    authored: np.ndarray
    registration: object
    category: str
    sex: str
    name: str
    registering: dict

    def register(self, v: np.ndarray, faces: np.ndarray):
        """``garments.registration.register_garment`` of a mesh already in Y-up metres, with this frame's options."""
        from .registration import register_garment

        return register_garment(v, faces, self.category, self.sex, name=self.name, place_on_body=place_on_body,
                                **self.registering)

    def recategorised(self, category: str) -> "_Frame":
        return _Frame(**{**self.__dict__, "category": category})


def _place(raw: RawMesh, path: Path, category: str, sex: str, units: str | None, up: str | None,
           registering: dict):
    """The base mesh (welded: ``_welded``) on the reference body: (vertices (N, 3) metres, Binding or None, frame).

    The mesh is registered (``garments.registration``): its authoring pose found and undone, and it is placed
    by its collar or waistband. ``frame`` (a ``_Frame``, None for MakeHuman garments) says how, so the other
    sizes of a set are brought there the same way.
    """
    if raw.binding is not None:
        from avatar.avatar import reference_avatar
        from avatar.body_model import load_body_model

        from .mhclo import binding_for_model

        binding = binding_for_model(raw.binding, load_body_model(), sex)
        v = binding.apply(reference_avatar(sex).vertices)
        if not np.isfinite(v).all():
            raise GarmentImportError(f"{path.name} binds to the body in a way that gives NaN positions; re-export it")
        return v, binding, None
    axis = detect_up(raw, up)
    v = to_y_up(raw.vertices, axis)
    height = float(np.ptp(v[:, 1]))
    unit = detect_units(height, category, raw.units, units)
    v = v * UNIT_SCALES[unit]
    h = float(np.ptp(v[:, 1]))
    if not MIN_GARMENT_HEIGHT_M <= h <= MAX_GARMENT_HEIGHT_M:
        raise GarmentImportError(f"{path.name} is {h:.2f} m tall in {unit}, not a garment for a human body; "
                                 "check its units (give --units) and export it again")
    frame = _Frame(axis=axis, unit_scale=UNIT_SCALES[unit], authored=v, registration=None, category=category,
                   sex=sex, name=path.name, registering=dict(registering))
    registration = frame.register(v, raw.faces)
    return registration.vertices, None, _Frame(**{**frame.__dict__, "registration": registration})


def _welded(raw: RawMesh, path: Path) -> RawMesh:
    """Duplicates welded (files without units or up axis) and large meshes reduced."""
    if raw.units is None or raw.up is None:
        raw = merge_duplicates(raw)
        if len(raw.faces) == 0:
            raise GarmentImportError(f"{path.name} is degenerate (its faces collapse when equal vertices "
                                     "are welded); export the real garment")
    if len(raw.vertices) > DECIMATE_ABOVE_VERTICES:
        raw = decimate(raw, DECIMATE_TARGET_VERTICES)
    return raw


def _same_frame(path: Path, frame) -> tuple:
    """Another size's mesh brought onto the body as the base size was: (vertices, faces, uv).

    Same up axis and unit, then the base size's registration (its translation, its pose undone:
    ``garments.registration.register_like``), so the sizes keep the placement the files give them."""
    if frame is None:
        raise GarmentImportError(f"{path.name}: a size set of MakeHuman garments is not supported; "
                                 "import each size's .mhclo on its own")
    raw = _welded(check_geometry(read_garment_file(path), path.name), path)
    v = to_y_up(raw.vertices, frame.axis) * frame.unit_scale
    from .registration import register_like

    return register_like(frame.registration, v, frame.sex), raw.faces, raw.uv


def _check_cancelled(cancelled) -> None:
    if cancelled():
        from avatar.errors import Cancelled

        raise Cancelled("import cancelled; nothing was written")


def _unique_id(root: Path, base: str) -> str:
    gid, k = base, 2
    while (root / gid).exists():
        gid = f"{base}-{k}"
        k += 1
    return gid


def _default_layer(category: str) -> int:
    return {"leggings": 0, "underwear": 0, "trousers": 1, "shorts": 1, "skirt": 1, "outerwear": 3}.get(category, 2)


def remove_garment(garment_id: str) -> None:
    """Delete a garment from the user catalog (built-in garments cannot be removed)."""
    from .catalog import get_garment
    from .errors import GarmentError

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
