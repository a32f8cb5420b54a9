"""One zone of a garment size as made: its finished girth and where it lies on the rest mesh."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class FinishedZone:
    """One zone of one size, as made.

    Attributes
    ----------
    zone : "chest", "waist" or "hip"
    girth_cm : float, cm; the garment's rest girth at the zone's level
    reference_body_cm : float, cm; the reference body's girth at that level
    band_share : float or None; None at the body's own tape level; for a waistband, where its level lies
        between the body's waist (0) and hip (1)
    vertices : (k,) int; the rest mesh's torso vertices within ``ZONE_HALF_HEIGHT_M`` of the zone's level
        (where the worn strain is read and a zone that won't close is marked)
    """

    zone: str
    girth_cm: float
    reference_body_cm: float
    band_share: float | None = None
    vertices: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)

    @property
    def design_ease_cm(self) -> float:
        """Ease of this size on its reference body, cm."""
        return self.girth_cm - self.reference_body_cm
