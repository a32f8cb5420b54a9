"""MakeHuman clothes: a ``.mhclo`` binding file and the ``.obj`` mesh it names.

Each garment vertex after ``verts 0`` is either one hm08 base-mesh vertex index, or three indices,
three weights and an offset ``dx dy dz`` in MakeHuman units (decimetres, Y up, +Z front). The offset
is scaled per axis by the distance between the two reference vertices of the ``x_scale``,
``y_scale`` and ``z_scale`` header lines divided by the number given there. Our body model has the
hm08 topology (helpers removed), so the binding places the garment on any avatar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import GarmentImportError


@dataclass
class MhcloFile:
    """The parsed binding, in hm08 indices and MakeHuman units."""

    name: str
    obj_file: str | None
    indices: np.ndarray  # (N, 3) int hm08
    weights: np.ndarray  # (N, 3) float
    offsets: np.ndarray  # (N, 3) float, decimetres, MakeHuman frame
    scales: dict  # axis 0/1/2 -> (v1, v2, denominator)
    material: str | None = None  # .mhmat file name, relative to the .mhclo


def parse_mhclo(path: Path) -> MhcloFile:
    """Read a ``.mhclo`` file. Raises GarmentImportError on anything malformed."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise GarmentImportError(f"cannot read {path} ({exc.strerror}); check the path and permissions") from None
    name, obj_file, scales, material = Path(path).stem, None, {}, None
    rows_i, rows_w, rows_o = [], [], []
    in_verts = False
    for lineno, raw in enumerate(text.splitlines(), 1):
        words = raw.split()
        if not words or words[0].startswith("#"):
            if not words and in_verts:
                in_verts = False
            continue
        key = words[0].lower()
        if key == "material":
            material = " ".join(words[1:]) or None
            continue
        if key.startswith("vertexboneweights"):
            continue
        if in_verts:
            if not _is_number(words[0]):
                in_verts = False
                continue
            try:
                if len(words) == 1:
                    v = int(words[0])
                    rows_i.append((v, v, v))
                    rows_w.append((1.0, 0.0, 0.0))
                    rows_o.append((0.0, 0.0, 0.0))
                elif len(words) >= 9:
                    rows_i.append(tuple(int(w) for w in words[:3]))
                    rows_w.append(tuple(float(w) for w in words[3:6]))
                    rows_o.append(tuple(float(w) for w in words[6:9]))
                else:
                    raise ValueError
            except ValueError:
                raise GarmentImportError(f"{Path(path).name} line {lineno} is not a vertex binding "
                                         "(1 index, or 3 indices, 3 weights and 3 offsets); fix or re-export it") from None
            continue
        if key == "verts" and len(words) > 1:
            in_verts = True
        elif key == "name" and len(words) > 1:
            name = " ".join(words[1:])
        elif key == "obj_file" and len(words) > 1:
            obj_file = " ".join(words[1:])
        elif key in ("x_scale", "y_scale", "z_scale") and len(words) >= 4:
            try:
                scales["xyz".index(key[0])] = (int(words[1]), int(words[2]), float(words[3]))
            except ValueError:
                raise GarmentImportError(f"{Path(path).name}: bad {key} line; fix or re-export it") from None
    if not rows_i:
        raise GarmentImportError(f"{Path(path).name} has no vertex bindings after 'verts 0'; "
                                 "it is not a MakeHuman clothes file or it is empty")
    return MhcloFile(name, obj_file, np.asarray(rows_i, np.int64), np.asarray(rows_w, float),
                     np.asarray(rows_o, float), scales, material)


def diffuse_texture(mhclo_path: Path, material: str | None, root: Path | None = None):
    """The diffuse texture (PIL image) named by the garment's ``.mhmat``, or None.

    With ``root`` (an unpacked archive) files outside it are not read; a texture whose header
    declares more than ``MAX_IMAGE_PIXELS`` is not decoded.
    """
    from avatar.image_header import MAX_IMAGE_PIXELS, header_pixels

    from .archive import confined

    def locate(base: Path, name: str) -> Path | None:
        return confined(root, base, name) if root is not None else base / name

    mat = locate(Path(mhclo_path).parent, material) if material else None
    if mat is None:
        return None
    try:
        for line in mat.read_text(encoding="utf-8", errors="replace").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] == "diffuseTexture":
                from PIL import Image

                texture = locate(mat.parent, " ".join(words[1:]))
                pixels = header_pixels(texture) if texture is not None and texture.is_file() else None
                if pixels is None or pixels > MAX_IMAGE_PIXELS:
                    return None
                image = Image.open(texture)
                image.load()
                return image
    except (OSError, ValueError):
        return None
    return None


def _is_number(word: str) -> bool:
    try:
        float(word)
        return True
    except ValueError:
        return False


def read_obj(path: Path):
    """Minimal OBJ reader keeping the file's vertex order (what a binding indexes).

    Returns
    -------
    vertices : (N, 3) float, faces : (M, 3) int (polygons fanned), uv : (N, 2) float or None
    """
    vs, vts, faces, uv_of = [], [], [], {}
    try:
        handle = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise GarmentImportError(f"cannot read {path} ({exc.strerror}); put the .obj next to the .mhclo") from None
    with handle:
        for line in handle:
            if line.startswith("v "):
                vs.append(line.split()[1:4])
            elif line.startswith("vt "):
                vts.append(line.split()[1:3])
            elif line.startswith("f "):
                idx = []
                for word in line.split()[1:]:
                    parts = word.split("/")
                    vi = int(parts[0])
                    vi = vi - 1 if vi > 0 else len(vs) + vi
                    idx.append(vi)
                    if len(parts) > 1 and parts[1]:
                        ti = int(parts[1])
                        uv_of.setdefault(vi, ti - 1 if ti > 0 else len(vts) + ti)
                for k in range(1, len(idx) - 1):
                    faces.append((idx[0], idx[k], idx[k + 1]))
    try:
        v = np.asarray(vs, float).reshape(-1, 3)
        f = np.asarray(faces, np.int64).reshape(-1, 3)
    except ValueError:
        raise GarmentImportError(f"{Path(path).name} has malformed vertex or face lines; re-export it") from None
    if len(f) and (f.min() < 0 or f.max() >= len(v)):
        raise GarmentImportError(f"{Path(path).name} has faces that use missing vertices; re-export it")
    uv = None
    if vts and uv_of:
        t = np.asarray(vts, float)
        uv = np.zeros((len(v), 2))
        for vi, ti in uv_of.items():
            if 0 <= ti < len(t):
                uv[vi] = t[ti]
    return v, f, uv


def binding_for_model(m: MhcloFile, model, sex: str):
    """Map an hm08 binding to our model's vertices and metres on the reference body.

    hm08 vertices our model dropped (MakeHuman's helper geometry) are replaced by the nearest
    kept vertex in the base mesh, and the difference is added to the offset.

    Returns
    -------
    catalog.Binding
    """
    from avatar.avatar import reference_avatar

    from .binding import Binding

    lookup = model.hm08_to_model()
    n_hm08 = len(lookup)
    if m.indices.min() < 0 or m.indices.max() >= n_hm08:
        raise GarmentImportError(f"the binding uses vertex {int(m.indices.max())} but the hm08 body has {n_hm08}; "
                                 "this .mhclo was made for another base mesh")
    idx = lookup[m.indices]
    offsets_dm = m.offsets.copy()
    pairs = {a: (lookup[p[0]] if 0 <= p[0] < n_hm08 else -1, lookup[p[1]] if 0 <= p[1] < n_hm08 else -1, p[2])
             for a, p in m.scales.items()}
    missing = idx < 0
    if missing.any() or any(p[0] < 0 or p[1] < 0 for p in pairs.values()):
        base = _base_mesh()
        from scipy.spatial import cKDTree

        kept = np.flatnonzero(lookup >= 0)
        tree = cKDTree(base[kept])
        _, near = tree.query(base[m.indices[missing]])
        near_hm = kept[near]
        delta = base[m.indices[missing]] - base[near_hm]  # dm
        rows = np.nonzero(missing)
        for (r, c), d in zip(zip(*rows), delta):
            offsets_dm[r] += m.weights[r, c] * d
        idx[missing] = lookup[near_hm]
        for a, (p0, p1, den) in list(pairs.items()):
            if p0 < 0 or p1 < 0:
                pairs[a] = (-1, -1, den)
    ref = reference_avatar(sex).vertices
    scale_pairs = np.zeros((3, 2), np.int64)
    rest = np.zeros(3)
    factor = np.full(3, 0.1)  # dm -> m when an axis has no scale reference
    for a in range(3):
        if a in pairs and pairs[a][0] >= 0 and pairs[a][2] > 0:
            p0, p1, den = pairs[a]
            scale_pairs[a] = (p0, p1)
            rest[a] = abs(ref[p0, a] - ref[p1, a])
            factor[a] = rest[a] / den  # metres of our body per MakeHuman unit of the designer's body
    w = m.weights / np.where(np.abs(m.weights.sum(1, keepdims=True)) > 1e-9, m.weights.sum(1, keepdims=True), 1.0)
    return Binding(indices=idx.astype(np.int64), weights=w, offsets=offsets_dm * factor,
                   scale_pairs=scale_pairs, rest_scale=rest)


def _base_mesh() -> np.ndarray:
    from avatar.assets import require_assets
    from avatar.body_model import _read_obj_vertices

    return _read_obj_vertices(require_assets() / "data" / "mpfb2" / "3dobjs" / "base.obj")
