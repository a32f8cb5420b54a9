"""A garment's category recognised from its shape on the reference body, for imports given none."""

from __future__ import annotations

import numpy as np


def infer_category(v: np.ndarray, faces: np.ndarray, form) -> str:
    """A garment's category from its shape on the body, for imports given none.

    Bottoms start below the armpits: with a tube around each leg under the crotch they are
    shorts (hem above the knee), leggings (close to the skin) or trousers, otherwise a skirt.
    Tops reaching well below the crotch are dresses, others tops.
    """
    from .mesh_ops import section_polylines
    from .dress_form import body_clearance

    top, bottom = float(v[:, 1].max()), float(v[:, 1].min())
    levels = form.levels
    if top < levels["armpit"] - 0.05:
        y = levels["crotch"] - 0.06
        legs = [loop for loop in section_polylines(v, faces, np.array([0.0, y, 0.0]), np.array([0.0, 1.0, 0.0]))
                if abs(loop[:, 0].mean()) > 0.04]
        sides = {np.sign(loop[:, 0].mean()) for loop in legs}
        if bottom < y and len(sides) == 2:
            if bottom > levels["knee"] + 0.05:
                return "shorts"
            return "leggings" if np.median(np.abs(body_clearance(form, v))) < 0.012 else "trousers"
        return "skirt"
    return "dress" if bottom < levels["crotch"] - 0.12 else "top"
