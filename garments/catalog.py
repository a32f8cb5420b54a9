"""The garment catalog: the built-in garments in ``assets/garments`` and the user's imports.

On disk every garment is a folder holding ``garment.json`` and its mesh files (see docs/catalog.md).
Meshes are in metres in our frame (Y up, facing +Z, feet on y = 0), placed on the reference body
the garment is designed on: ``reference_sex(garment.fits)`` -> ``avatar.avatar.reference_avatar``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from avatar.colour import linear_to_srgb
from avatar.safe_json import UnsafeJsonError, load_json_text
from avatar.storage import data_root

from .binding import Binding
from .catalog_entry import EntryShapeError, check_entry
from .constants import (CATALOG_SCHEMA_PLAIN, CATALOG_SCHEMA_VERSION, HEM_ZONE_HEIGHT_M, SIZE_ORDER,
                        SRGB_COLOURS_SINCE, ZONE_HALF_HEIGHT_M)
from .errors import GarmentError, GarmentNotFound
from .fit_constants import DEFAULT_FABRIC_STRETCH
from .mesh_files import read_mesh_file
from .prices import parse_currency, parse_price
from .skus import variant_sku

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "assets" / "garments"
CATEGORIES = ("top", "shirt", "outerwear", "dress", "skirt", "trousers", "shorts", "leggings", "jumpsuit",
              "underwear", "other")
BOTTOM_CATEGORIES = ("skirt", "trousers", "shorts", "leggings")
# Everyday names designers use, mapped onto the categories.
CATEGORY_ALIASES = {
    "t-shirt": "top", "tshirt": "top", "tee": "top", "tank": "top", "sweater": "top", "hoodie": "top",
    "pullover": "top", "blouse": "shirt", "polo": "shirt", "pants": "trousers", "jeans": "trousers",
    "chinos": "trousers", "jacket": "outerwear", "coat": "outerwear", "parka": "outerwear",
    "tights": "leggings", "gown": "dress", "overall": "jumpsuit", "overalls": "jumpsuit",
}


def normalise_category(name: str) -> str:
    """The catalog category for a name or an everyday alias ("jeans" -> "trousers"); unknown names unchanged."""
    key = str(name).strip().lower()
    return CATEGORY_ALIASES.get(key, CATEGORY_ALIASES.get(key.rstrip("s"), key))


# A garment id as a folder name: lowercase letters, digits and dashes.
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Colour:
    """A colour variant (a colourway): a name and sRGB in 0-1, as its swatch shows it (navy #1F2952 is
    (0.12, 0.16, 0.32)).

    On a garment with a print (``Garment.texture``) the colourway is drawn as ``garments.textures.colourway_print``
    says: ``texture`` names this colourway's own print file in the garment's folder (a swap); else ``tint``
    recolours the garment's print to the swatch keeping its light and dark; else the swatch multiplies the
    print (glTF's base colour factor; white shows it as designed).
    """

    name: str
    rgb: tuple[float, float, float]
    texture: str | None = None
    tint: bool = False


@dataclass(frozen=True)
class SizeSpec:
    """One size of a garment.

    Attributes
    ----------
    name : label shown to shoppers ("M", "32", "38")
    sku : stock keeping unit of this size
    finished : zone -> cm; garment measurements (chest, waist, hip circumferences; length, inseam, sleeve)
    mesh : file name of this size's rest mesh in the garment folder, or None when graded
    grade : {"from": size name, "scale": [sx, sy, sz], "anchor": [x, y, z] metres}, or a chart grade of
        this size's own mesh ({"girth": [[y, s], ...], "axis": [x, z], "length": [sy, top_y]},
        ``garments.size_grading``), or None
    chart : True when ``finished`` is the designer's size chart (then the fit advice uses its girths)
    """

    name: str
    sku: str
    finished: dict = field(default_factory=dict)
    mesh: str | None = None
    grade: dict | None = None
    chart: bool = False

    def __hash__(self) -> int:  # the dict fields are not hashable; a size is known by its name and SKU
        return hash((self.name, self.sku))


@dataclass(frozen=True)
class Garment:
    """A catalog entry (immutable); ``folder`` is where its files are."""

    id: str
    name: str
    category: str
    sizes: tuple[SizeSpec, ...]
    price: float | None  # None: not priced yet (an import without a price), so it cannot be ordered
    currency: str
    colours: tuple[Colour, ...]
    stretch: float
    layer: int
    fits: str
    source: str
    texture: str | None = None
    folder: Path | None = None
    binding: str | None = None

    def __hash__(self) -> int:  # usable as a dict key or in a set: a garment is known by its id and source
        return hash((self.id, self.source))

    @property
    def size_names(self) -> list[str]:
        return [s.name for s in self.sizes]

    def size(self, name: str) -> SizeSpec:
        for s in self.sizes:
            if s.name.lower() == str(name).lower():
                return s
        raise GarmentError(f"garment '{self.id}' has no size '{name}'; choose one of {', '.join(self.size_names)}")

    @property
    def reference_sex(self) -> str:
        return reference_sex(self.fits)

    def to_json(self) -> dict:
        """The summary printed by ``fitting-room garment list --json`` and ``show``."""
        return {
            "id": self.id, "name": self.name, "category": self.category, "sizes": self.size_names,
            "price": self.price, "currency": self.currency,
            "colours": [{**colour_json(c), "rgb": list(c.rgb)} for c in self.colours],
            "layer": self.layer, "stretch": self.stretch, "source": self.source, "fits": self.fits,
            "skus": {s.name: s.sku for s in self.sizes},
            "variant_skus": {s.name: {c.name: variant_sku(s.sku, c.name, self.colours) for c in self.colours}
                             for s in self.sizes},
            "finished": {s.name: s.finished for s in self.sizes},
            "texture": self.texture,
        }


@dataclass(frozen=True, eq=False)
class GarmentMesh:
    """A garment's rest shape in one size on its reference body.

    Attributes
    ----------
    vertices : (N, 3) float, metres; on ``reference_avatar(sex)``
    faces : (M, 3) int
    uv : (N, 2) float or None
    binding : Binding or None (MakeHuman clothes)
    zones : name -> (k,) int vertex indices: chest, waist, hip, sleeve, hem (as the garment has them)
    sex : the reference body ("female" or "male")
    """

    vertices: np.ndarray
    faces: np.ndarray
    uv: np.ndarray | None = None
    binding: Binding | None = None
    zones: dict = field(default_factory=dict)
    sex: str = "female"


def reference_sex(fits: str) -> str:
    """Garments for men are designed on the male reference body; women's and unisex ones on the female."""
    return "male" if fits == "male" else "female"


def user_catalog_dir() -> Path:
    """Where imported garments live: ``data_root()/garments``."""
    return data_root() / "garments"


def size_sort_key(name: str):
    """Sort key putting sizes smallest first: letter sizes by SIZE_ORDER, numbers by value."""
    up = name.upper()
    if up in SIZE_ORDER:
        return (0, SIZE_ORDER.index(up), 0.0, up)
    try:
        return (1, 0, float(name), up)
    except ValueError:
        return (2, 0, 0.0, up)


# ---------------------------------------------------------------- reading and writing entries

def _fail(folder: Path, what: str) -> GarmentError:
    return GarmentError(f"catalog entry {folder} is invalid: {what}; fix garment.json or remove the folder")


def read_entry(folder: Path, source: str) -> Garment:
    """Read one garment folder. Raises GarmentError naming the folder and the problem."""
    path = Path(folder) / "garment.json"
    try:
        data = load_json_text(path.read_text(encoding="utf-8"), what="garment.json")
    except UnsafeJsonError as exc:
        raise _fail(folder, str(exc)) from None
    except (OSError, ValueError) as exc:
        raise _fail(folder, f"garment.json is unreadable ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise _fail(folder, "garment.json is not an object")
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > CATALOG_SCHEMA_VERSION:
        raise _fail(folder, f"schema_version {version!r:.20} is not one this app reads "
                            f"(up to {CATALOG_SCHEMA_VERSION})")
    try:
        check_entry(data)
    except EntryShapeError as exc:
        raise _fail(folder, str(exc)) from None
    try:
        sizes = tuple(SizeSpec(name=str(s["name"]), sku=str(s.get("sku", "")),
                               finished={k: float(v) for k, v in (s.get("finished") or {}).items()},
                               mesh=s.get("mesh"), grade=s.get("grade"), chart=s.get("chart") is True)
                      for s in data["sizes"])
        colours = tuple(Colour(str(c["name"]), _srgb(c["rgb"], version), texture=c.get("texture"),
                               tint=c.get("tint") is True) for c in data.get("colours", []))
        g = Garment(id=str(data["id"]), name=str(data["name"]), category=str(data.get("category", "other")),
                    sizes=sizes, price=None if data.get("price") is None else parse_price(data["price"], exact=False),
                    currency=parse_currency(data.get("currency", "EUR")),
                    colours=colours, stretch=float(data.get("stretch", DEFAULT_FABRIC_STRETCH)), layer=int(data.get("layer", 1)),
                    fits=str(data.get("fits", "unisex")), source=source, texture=data.get("texture"),
                    folder=Path(folder), binding=data.get("binding"))
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(folder, f"missing or bad field {exc}") from None
    if not sizes:
        raise _fail(folder, "it lists no sizes")
    names = [s.name for s in sizes]
    for s in sizes:
        if s.mesh is None and not (isinstance(s.grade, dict) and s.grade.get("from") in names):
            raise _fail(folder, f"size '{s.name}' has neither a mesh nor a grade from another size")
    return g


def _srgb(rgb, schema_version: int) -> tuple[float, float, float]:
    """A garment.json colour as sRGB 0-1: files before ``SRGB_COLOURS_SINCE`` held linear RGB."""
    values = [float(x) for x in rgb]
    if schema_version < SRGB_COLOURS_SINCE:
        values = [round(float(x), 4) for x in linear_to_srgb(values)]
    return tuple(values)


def colour_json(c: Colour) -> dict:
    """A colourway as garment.json holds it (``texture`` and ``tint`` only when set, as older files have it)."""
    out = {"name": c.name, "rgb": [round(float(x), 4) for x in c.rgb]}
    if c.texture:
        out["texture"] = c.texture
    if c.tint:
        out["tint"] = True
    return out


def entry_json(g: Garment) -> dict:
    """The garment.json content of a garment."""
    out = {
        "schema_version": CATALOG_SCHEMA_PLAIN, "id": g.id, "name": g.name, "category": g.category,
        "fits": g.fits, "price": g.price, "currency": g.currency, "stretch": g.stretch, "layer": g.layer,
        "colours": [colour_json(c) for c in g.colours],
        "sizes": [],
    }
    if g.texture:
        out["texture"] = g.texture
    if g.binding:
        out["binding"] = g.binding
    for s in g.sizes:
        e = {"name": s.name, "sku": s.sku, "finished": s.finished}
        if s.mesh:
            e["mesh"] = s.mesh
        if s.grade:
            e["grade"] = s.grade
        if s.chart:
            e["chart"] = True
        out["sizes"].append(e)
    if any(s.grade and "girth" in s.grade for s in g.sizes):
        out["schema_version"] = CATALOG_SCHEMA_VERSION
    return out


def _scan(root: Path, source: str, problems: list | None) -> list[Garment]:
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (folder / "garment.json").is_file():
            try:
                out.append(read_entry(folder, source))
            except GarmentError as exc:
                if problems is None:
                    raise
                problems.append(exc)
    return out


def load_catalog(problems: list | None = None) -> list[Garment]:
    """Built-in garments then the user's imports, each group sorted by id.

    A broken user entry raises GarmentError, unless a ``problems`` list is given: then it is
    skipped and its error appended, so one bad import does not hide the rest of the catalog.
    A broken built-in entry always raises.
    """
    return _scan(BUILTIN_DIR, "builtin", None) + _scan(user_catalog_dir(), "user", problems)


def get_garment(garment_id: str) -> Garment:
    """The garment with this id. Raises GarmentNotFound listing how to see the valid ids."""
    for root, source in ((user_catalog_dir(), "user"), (BUILTIN_DIR, "builtin")):
        folder = root / str(garment_id)
        if _ID_RE.match(str(garment_id)) and (folder / "garment.json").is_file():
            return read_entry(folder, source)
    raise GarmentNotFound(f"no garment with id '{garment_id}'; run 'fitting-room garment list' to see the ids")


# ---------------------------------------------------------------- meshes

def apply_grade(vertices: np.ndarray, grade: dict) -> np.ndarray:
    """Scale vertices per axis about the grade's anchor, (N, 3) metres."""
    scale = np.asarray(grade.get("scale", [1, 1, 1]), float)
    anchor = np.asarray(grade.get("anchor", [0, 0, 0]), float)
    return anchor + (np.asarray(vertices, float) - anchor) * scale


def _size_geometry(g: Garment, spec: SizeSpec, depth: int = 0):
    if depth > len(g.sizes):
        raise _fail(g.folder, "its grading rules form a cycle")
    if spec.mesh:
        path = Path(g.folder) / spec.mesh
        if not path.is_file():
            raise _fail(g.folder, f"mesh file {spec.mesh} of size {spec.name} is missing")
        v, f, uv = read_mesh_file(path)
        if spec.grade and "girth" in spec.grade:
            from .chart_grade import apply_chart_grade

            v = apply_chart_grade(v, spec.grade)
        return v, f, uv
    base = g.size(spec.grade["from"])
    v, f, uv = _size_geometry(g, base, depth + 1)
    return apply_grade(v, spec.grade), f, uv


def rest_mesh(garment: Garment, size_name: str | None = None) -> GarmentMesh:
    """The garment's rest mesh in a size (default: the middle size) on its reference body."""
    spec = garment.size(size_name) if size_name is not None else garment.sizes[len(garment.sizes) // 2]
    v, f, uv = _size_geometry(garment, spec)
    binding = None
    if garment.binding:
        binding = Binding.load(Path(garment.folder) / garment.binding)
        if len(binding.indices) != len(v):
            raise _fail(garment.folder, "its binding does not match its mesh")
    return GarmentMesh(vertices=v, faces=f, uv=uv, binding=binding,
                       zones=garment_zones(v, garment.category, garment.reference_sex), sex=garment.reference_sex)


def garment_zones(vertices: np.ndarray, category: str, sex: str) -> dict[str, np.ndarray]:
    """Vertex indices of the fit zones of a garment placed on the reference body of ``sex``.

    chest/waist/hip: vertices near the torso within ``ZONE_HALF_HEIGHT_M`` of the body's level
    (for bottoms "waist" is the top band); sleeve: vertices around the arm axes past the armhole;
    hem: vertices within ``HEM_ZONE_HEIGHT_M`` of the lowest torso or leg point.
    """
    from .dress_form import SLEEVE_MAX_R_M, SLEEVE_MIN_T_M, body_form, chest_level

    form = body_form(sex)
    v = np.asarray(vertices, float)
    y = v[:, 1]
    on_arm = np.zeros(len(v), bool)
    for s in "lr":
        t, r = form.arm_coords(v, s)
        on_arm |= (t > SLEEVE_MIN_T_M) & (r < SLEEVE_MAX_R_M)
    torso = ~on_arm
    zones: dict[str, np.ndarray] = {}
    if not torso.any():
        return zones
    top, bottom = y[torso].max(), y[torso].min()
    levels = form.levels
    wanted = {"hip": levels["hip"]}
    if category in BOTTOM_CATEGORIES:
        wanted["waist"] = top - 0.025
    else:
        wanted["chest"] = chest_level(form)
        wanted["waist"] = levels["waist"]
    for name, level in wanted.items():
        if bottom + 0.01 < level < top:
            sel = torso & (np.abs(y - level) < ZONE_HALF_HEIGHT_M)
            if sel.any():
                zones[name] = np.flatnonzero(sel)
    if on_arm.any():
        zones["sleeve"] = np.flatnonzero(on_arm)
    zones["hem"] = np.flatnonzero(torso & (y < bottom + HEM_ZONE_HEIGHT_M))
    zones["length"] = zones["hem"]
    return zones
