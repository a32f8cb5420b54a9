"""The reference bodies' dress-form levels kept on disk, so that a new process does not measure them again.

Finding the chest, waist and hip levels takes about a hundred horizontal sections of the reference body
(a third of a second); they depend only on the body model's files and the measuring code. An entry lives
under the cache root (``DRESS_FORM_STORE_FOLDER``), named by a SHA1 of the body's mesh and joints and
``DRESS_FORM_STORE_VERSION``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .array_cache import array_key
from .array_store import stored_arrays
from .constants import DRESS_FORM_STORE_ENTRIES, DRESS_FORM_STORE_FOLDER, DRESS_FORM_STORE_VERSION

_NAMES = ("level_names", "level_y", "grid", "centre", "girth")


def stored_levels(vertices: np.ndarray, faces: np.ndarray, joints: dict,
                  measure: Callable) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """``measure(vertices, faces, joints)``'s levels of a reference body, read from the store when there.

    Parameters
    ----------
    vertices : (V, 3) float, metres; faces : (F, 3) int; joints : name -> (3,) float, metres
    measure : ``garments.dress_form._levels``

    Returns
    -------
    levels : name -> y, metres; grid_y, centre_z, girth : (G,) float, metres (see ``BodyForm``)
    """
    from avatar.storage import cache_root

    names = sorted(joints)
    key = array_key(DRESS_FORM_STORE_VERSION, np.asarray(vertices, float), np.asarray(faces, np.int64),
                    tuple(names), np.stack([np.asarray(joints[n], float) for n in names]))

    def build() -> dict[str, np.ndarray]:
        levels, grid, centre, girth = measure(vertices, faces, joints)
        return {"level_names": np.array(list(levels)), "level_y": np.array(list(levels.values()), float),
                "grid": grid, "centre": centre, "girth": girth}

    arrays, _ = stored_arrays(cache_root() / DRESS_FORM_STORE_FOLDER, key, _NAMES, build,
                              keep=DRESS_FORM_STORE_ENTRIES)
    levels = {str(n): float(y) for n, y in zip(arrays["level_names"], arrays["level_y"])}
    return levels, arrays["grid"], arrays["centre"], arrays["girth"]
