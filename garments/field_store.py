"""Body distance fields kept on disk, so that a new process dressing the same body does not build it again.

A command such as ``fitting-room drape`` run twice on one measurement file builds the same avatar twice;
its distance field (about half a second of a new process's work) is then read back instead. Entries live
under the user data root's cache (``FIELD_STORE_FOLDER``, the body is the shopper's own data: never
under a shared folder), named by a SHA1 of the avatar's mesh, the field's settings and
``FIELD_STORE_VERSION``; at most ``FIELD_STORE_ENTRIES`` are kept and "delete my data" removes them all
(``forget_stored_bodies``).
"""

from __future__ import annotations

import contextlib
import shutil

import numpy as np

from .array_cache import array_key
from .array_store import stored_arrays
from .constants import FIELD_STORE_ENTRIES, FIELD_STORE_FOLDER, FIELD_STORE_VERSION
from .drape_constants import SDF_BAND_M, SDF_MARGIN_M, SDF_SPACING_M
from .sdf import SignedDistanceField, body_sdf, remember_body_field

__all__ = ["stored_body_sdf", "forget_stored_bodies"]

_NAMES = ("origin", "spacing", "values", "band", "rough_box")


def _folder():
    from avatar.storage import data_root

    return data_root() / FIELD_STORE_FOLDER


def _arrays(field: SignedDistanceField) -> dict[str, np.ndarray]:
    box = field.rough_box
    return {"origin": np.asarray(field.origin, np.float64), "spacing": np.float64(field.spacing),
            "values": field.values, "band": np.float64(field.band),
            "rough_box": np.zeros((0, 3)) if box is None else np.asarray(box, np.float64)}


def _field(arrays: dict[str, np.ndarray]) -> SignedDistanceField | None:
    """The field of a stored entry, or None when its arrays are not those of a field."""
    origin, values, box = arrays["origin"], arrays["values"], arrays["rough_box"]
    if origin.shape != (3,) or values.ndim != 3 or values.dtype != np.float32 or box.shape not in ((0, 3), (2, 3)):
        return None
    field = SignedDistanceField(origin=origin, spacing=float(arrays["spacing"]), values=values,
                                band=float(arrays["band"]))
    object.__setattr__(field, "rough_box", box if len(box) else None)  # as measured when it was built
    return field.prepare()


def stored_body_sdf(avatar) -> SignedDistanceField:
    """``garments.sdf.body_sdf(avatar)``, read from the store when this body's field is there (and then kept
    in memory as ``body_sdf`` keeps it), else built and stored.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar

    Returns
    -------
    SignedDistanceField
    """
    vertices = np.ascontiguousarray(avatar.vertices, dtype=np.float64)
    key = array_key(FIELD_STORE_VERSION, vertices, np.asarray(avatar.faces, np.int64),
                    np.asarray(avatar.body_faces, np.int64), SDF_SPACING_M, SDF_MARGIN_M, SDF_BAND_M)
    arrays, stored = stored_arrays(_folder(), key, _NAMES, lambda: _arrays(body_sdf(avatar)),
                                   keep=FIELD_STORE_ENTRIES)
    field = _field(arrays) if stored else None
    if field is None:
        return body_sdf(avatar)
    remember_body_field(avatar, field)
    return field


def forget_stored_bodies() -> None:
    """Remove every stored body field (the shopper deletes their data)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(_folder())
