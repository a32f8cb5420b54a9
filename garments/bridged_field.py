"""The field a garment settles against in a pose: the posed body with the gaps its cloth bridges filled.

Cloth lies across a gap narrower than it can fall into. Where a pose opens such gaps, shapes fill them: the
gap between thighs raised into a lap (``garments.lap_bridge``) and the crease of a flexed hip
(``garments.hip_crease``). A top's cloth settles outside the body and outside both (their union: the
lowest reading). Trousers, shorts, leggings and skirts go round each thigh, so no lap; their front lies
across the hip's crease too, on a shallower wedge (``HIP_CREASE_BOTTOM_DEPTH_M``) whose mouth stays under a
top's. A dress's or jumpsuit's skirt follows the thighs (``cloth_skinning.FOLLOW_ALL_SKIN``) and settles
against the body alone.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .cloth_skinning import FOLLOW_ALL_SKIN
from .distance_field import SignedDistanceField
from .hip_crease import hip_crease
from .lap_bridge import lap_column
from .motion_constants import HIP_CREASE_BOTTOM_DEPTH_M


class BridgedField(SignedDistanceField):
    """A posed body's field with shapes added to the body (each with ``distance_and_gradient``)."""

    slope_bound = None  # the shapes' readings jump at their sides

    def __init__(self, body: SignedDistanceField, shapes: tuple):
        super().__init__(origin=body.origin, spacing=body.spacing, values=body.values, band=body.band)
        self.__dict__["_body"] = body
        self.__dict__["_shapes"] = tuple(shapes)

    @property
    def rough_box(self) -> np.ndarray | None:
        return self._body.rough_box

    def _interpolate(self, points: np.ndarray, columns: slice) -> np.ndarray:
        # columns: slice(0, 1), the distance, or slice(0, 4), with its gradient (SignedDistanceField.distance...)
        out = np.array(self._body._interpolate(points, columns), dtype=np.float64)
        for shape in self._shapes:
            distance, gradient = shape.distance_and_gradient(points)
            lower = distance < out[:, 0]
            out[lower, 0] = distance[lower]
            if out.shape[1] == 4:
                out[lower, 1:] = gradient[lower]
        return out


def bridged(sdf: SignedDistanceField, posed, category: str) -> SignedDistanceField:
    """The field a garment of ``category`` settles against in the pose ``posed`` (avatar.pose.PosedBody):
    ``sdf`` with the pose's gaps filled (``BridgedField``): for a top the lap and the hip's crease, for a
    bottom the crease's shallower wedge; for a dress or jumpsuit, or where the pose opens no gap (standing,
    walking, reaching), ``sdf`` itself."""
    from .catalog import BOTTOM_CATEGORIES

    if category in FOLLOW_ALL_SKIN:
        return sdf
    crease = hip_crease(posed)
    if category in BOTTOM_CATEGORIES:  # round each thigh, not across the lap; under a top's cloth in the crease
        made = (None if crease is None else replace(crease, depth=HIP_CREASE_BOTTOM_DEPTH_M),)
    else:
        made = (lap_column(posed), crease)
    shapes = tuple(shape for shape in made if shape is not None)
    return BridgedField(sdf, shapes) if shapes else sdf


__all__ = ["BridgedField", "bridged"]
