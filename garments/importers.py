"""Designer import: OBJ, glTF/GLB, PLY, STL and MakeHuman ``.mhclo`` garments into the user catalog.

``import_garment(path, ImportOptions(...))`` reads the file (size and time capped, never written to:
``garments.garment_files``), checks and repairs it (``garments.mesh_repair``), finds its unit and up axis
and places it on the reference body (``garments.placement``), measures it and copies it into
``data_root()/garments/<id>/`` atomically (``garments.user_catalog``). Every problem is a one-line
``GarmentImportError``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from .catalog import (BOTTOM_CATEGORIES, CATEGORIES, Colour, Garment, SizeSpec, entry_json, normalise_category,
                      read_entry, reference_sex, user_catalog_dir)
from .catalog_entry import FITS, EntryShapeError, check_entry
from .colourways import import_colourways
from .constants import DEFAULT_CATEGORY, NEAR_BODY_MEDIAN_M
from .errors import GarmentImportError
from .fit_constants import CATEGORY_FABRIC_STRETCH, DEFAULT_FABRIC_STRETCH
from .garment_files import read_garment_file
from .import_options import ImportOptions
from .mesh_repair import check_geometry, welded
from .placement import place_mesh, same_frame
from .prices import parse_currency, parse_price
from .shape_category import infer_category
from .textures import DESIGNED_COLOUR, DESIGNED_TEXTURED_RGB
from .user_catalog import slug, unique_id, write_user_garment


def import_garment(path, options: ImportOptions = ImportOptions(), *, progress=lambda f, m: None,
                   cancelled=lambda: False) -> Garment:
    """Import a designer's garment file into the user catalog and return its catalog entry.

    Parameters
    ----------
    path : OBJ, GLB/glTF, PLY, STL or MHCLO file, zip, or a folder or zip of one mesh per size (never modified)
    options : the catalog details and how to read and place the file (``ImportOptions``)
    progress : callable(fraction, message); cancelled : callable() -> bool
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numeric warnings on odd files must not reach the terminal
        try:
            return _import_garment(Path(path), options, progress, cancelled)
        except MemoryError:
            raise GarmentImportError(f"{Path(path).name} is too large to import in this computer's memory; "
                                     "decimate it and export it again") from None
        except OSError as exc:
            raise GarmentImportError(f"could not import {Path(path).name}: {exc.strerror or exc}; check the file, "
                                     "its permissions and the free disk space") from None


def _import_garment(path: Path, options: ImportOptions, progress, cancelled) -> Garment:
    from .size_set import is_size_set, parse_size_names, size_set_files

    names = parse_size_names(options.sizes)
    if path.exists() and is_size_set(path):
        if options.size_chart is not None:
            raise GarmentImportError(f"{path.name} is a set of size meshes; give a size chart with one base mesh")
        with size_set_files(path, names) as files:
            return _import_sizes(path, files, None, options, progress, cancelled)
    chart = None
    if options.size_chart is not None:
        from .size_chart import read_size_chart

        chart = read_size_chart(Path(options.size_chart), options.chart_units)
        names = names or list(chart.sizes)
        for n in names:
            chart.row(n)  # every size asked for is in the chart
    files = [(n, path) for n in names] if chart else [((options.size or "M").strip(), path)]
    return _import_sizes(path, files, chart, options, progress, cancelled)


def _import_sizes(path: Path, files: list[tuple[str, Path]], chart, options: ImportOptions, progress,
                  cancelled) -> Garment:
    """Import one mesh per size (``files``: [(size, path)]), or one base mesh graded to a ``chart``."""
    name, category, size, sku, fits = options.name, options.category, options.size, options.sku, options.fits
    given_category = bool(category)
    category = normalise_category(category or DEFAULT_CATEGORY)
    if category not in CATEGORIES:
        raise GarmentImportError(f"category '{category}' is unknown; use one of {', '.join(CATEGORIES)}")
    if fits not in FITS:
        raise GarmentImportError(f"fits '{fits}' is unknown; use one of {', '.join(FITS)}")
    try:
        price = None if options.price is None else parse_price(options.price)
        currency = parse_currency(options.currency)
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
        raw = welded(raw, base_path)
    textured = raw.texture is not None and raw.uv is not None
    own = Colour(DESIGNED_COLOUR, DESIGNED_TEXTURED_RGB if textured else (0.7, 0.7, 0.7))
    colours, prints = import_colourways(options.colours, own, textured)
    _check_cancelled(cancelled)
    progress(0.4, "Placing the garment on the body")
    v, binding, frame = place_mesh(raw, base_path, category, sex, options.units, options.up,
                                   options.registering)
    from .dress_form import body_clearance, body_form, finished_measurements

    form = body_form(sex)
    if np.median(np.abs(body_clearance(form, v))) > NEAR_BODY_MEDIAN_M:
        raise GarmentImportError(f"{base_path.name} is nowhere near a body after placement; check its units, "
                                 "up axis and category (--category) and export it again")
    if not given_category:
        category = infer_category(v, raw.faces, form)
        if frame is not None and (category == "jumpsuit" or (frame.registration.anchor == "search"
                                                             and category in BOTTOM_CATEGORIES)):
            frame = frame.recategorised(category)
            registration = frame.register(frame.authored, raw.faces)  # hung from its waistband, or legs posed too
            v, frame = registration.vertices, frame.with_registration(registration)
    progress(0.6, "Measuring")
    finished = finished_measurements(v, raw.faces, category, form)
    display = name or (raw.binding.name if raw.binding is not None else
                       (path.stem if path.is_dir() or len(files) > 1 else base_path.stem).replace("_", " "))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in dict.fromkeys(p for _, p in files))).hexdigest()[:6]
    root = user_catalog_dir()
    gid = unique_id(root, f"{slug(display)}-{digest}")
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
            sv, sf, suv = (v, raw.faces, raw.uv) if size_name == base_size else same_frame(mesh_path, frame)
            file_name = f"{size_name}.glb"
            meshes[file_name] = (sv, sf, suv)
            specs.append(SizeSpec(name=size_name, sku=f"{sku or gid.upper()}-{size_name}", mesh=file_name,
                                  finished=finished if size_name == base_size else
                                  finished_measurements(sv, sf, category, form)))
    garment = Garment(
        id=gid, name=display, category=category, sizes=tuple(specs), price=price, currency=currency, colours=colours,
        stretch=CATEGORY_FABRIC_STRETCH.get(category, DEFAULT_FABRIC_STRETCH), layer=_default_layer(category), fits=fits,
        source="user", binding="binding.npz" if binding is not None else None,
        texture="texture.png" if textured else None)
    _check_cancelled(cancelled)
    try:
        check_entry(entry_json(garment))  # what the catalog will accept when it reads the entry back
    except EntryShapeError as exc:
        raise GarmentImportError(f"cannot import {path.name}: {exc}; give it with --name, --size or --sku") from None
    progress(0.85, "Saving to your catalog")
    folder = write_user_garment(garment, meshes, binding, raw.texture, prints)
    progress(1.0, "Imported")
    return read_entry(folder, "user")


def _base_size(names: list[str], given: str | None) -> str:
    """The size whose mesh is placed first (the others follow it): ``given``, else M, else the middle one."""
    if given:
        hit = next((n for n in names if n.lower() == given.strip().lower()), None)
        if hit is None and len(names) > 1:
            raise GarmentImportError(f"base size '{given}' is not one of the sizes {', '.join(names)}; "
                                     "give one of them with --size")
        return hit or names[0]
    return next((n for n in names if n.upper() == "M"), names[len(names) // 2])


def _check_cancelled(cancelled) -> None:
    if cancelled():
        from avatar.errors import Cancelled

        raise Cancelled("import cancelled; nothing was written")


def _default_layer(category: str) -> int:
    return {"leggings": 0, "underwear": 0, "trousers": 1, "shorts": 1, "skirt": 1, "outerwear": 3}.get(category, 2)

