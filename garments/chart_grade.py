"""A chart grade (version 2 of garment.json) applied to a size's mesh; how it is found: ``garments.size_grading``."""

from __future__ import annotations

import numpy as np


def apply_chart_grade(vertices: np.ndarray, grade: dict) -> np.ndarray:
    """A chart grade applied to a size's mesh, (N, 3) metres; ``grade`` as in ``SizeSpec.grade``."""
    v = np.array(vertices, float)
    length_scale, top = (float(x) for x in grade["length"])
    v[:, 1] = top + (v[:, 1] - top) * length_scale
    knots = np.asarray(grade["girth"], float)
    order = np.argsort(knots[:, 0])
    factor = np.interp(v[:, 1], knots[order, 0], knots[order, 1])
    axis = np.asarray(grade["axis"], float)
    v[:, 0] = axis[0] + (v[:, 0] - axis[0]) * factor
    v[:, 2] = axis[1] + (v[:, 2] - axis[1]) * factor
    return v
