"""A designer's mesh brought onto the reference body: its up axis and unit found, its authoring pose undone
and its collar or waistband placed (``garments.registration``), and a size set's other meshes brought
there the same way (``Frame``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .catalog import BOTTOM_CATEGORIES
from .constants import (CATEGORY_TYPICAL_HEIGHT_M, DEFAULT_CATEGORY, MAX_GARMENT_HEIGHT_M, MIN_GARMENT_HEIGHT_M,
                        UNIT_SCALES)
from .errors import GarmentImportError
from .garment_files import RawMesh, read_garment_file
from .mesh_repair import check_geometry, welded
from .registration_constants import COLLAR_ABOVE_NECK_M

# Garment vertices sampled to score a placement (enough to see the shape, fast to query).
PLACEMENT_SAMPLES = 3000
# Score added per metre between a candidate's top edge and where its category sits on the body:
# strong enough to put a tube-like skirt at the waist rather than sliding down the legs.
PLACEMENT_PRIOR_PER_M = 0.3


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
    from .dress_form import body_clearance, body_form

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


@dataclass(frozen=True)
class Frame:
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

    def recategorised(self, category: str) -> "Frame":
        return Frame(**{**self.__dict__, "category": category})

    def with_registration(self, registration) -> "Frame":
        return Frame(**{**self.__dict__, "registration": registration})


def place_mesh(raw: RawMesh, path: Path, category: str, sex: str, units: str | None, up: str | None,
           registering: dict):
    """The base mesh (welded) on the reference body: (vertices (N, 3) metres, Binding or None, frame).

    The mesh is registered (``garments.registration``): its authoring pose found and undone, and it is placed
    by its collar or waistband. ``frame`` (a ``Frame``, None for MakeHuman garments) says how, so the other
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
    frame = Frame(axis=axis, unit_scale=UNIT_SCALES[unit], authored=v, registration=None, category=category,
                   sex=sex, name=path.name, registering=dict(registering))
    registration = frame.register(v, raw.faces)
    return registration.vertices, None, frame.with_registration(registration)


def same_frame(path: Path, frame: Frame | None) -> tuple:
    """Another size's mesh brought onto the body as the base size was: (vertices, faces, uv).

    Same up axis and unit, then the base size's registration (its translation, its pose undone:
    ``garments.registration.register_like``), so the sizes keep the placement the files give them."""
    if frame is None:
        raise GarmentImportError(f"{path.name}: a size set of MakeHuman garments is not supported; "
                                 "import each size's .mhclo on its own")
    raw = welded(check_geometry(read_garment_file(path), path.name), path)
    v = to_y_up(raw.vertices, frame.axis) * frame.unit_scale
    from .registration import register_like

    return register_like(frame.registration, v, frame.sex), raw.faces, raw.uv

