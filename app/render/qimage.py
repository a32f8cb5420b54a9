"""numpy pictures as Qt images (the one place that copies pixels into a ``QImage``)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def to_qimage(image: np.ndarray) -> QImage:
    """A QImage that owns a copy of ``image``: (H, W, 3) or (H, W, 4) uint8, RGB or RGBA, row 0 at the top."""
    image = np.ascontiguousarray(image)
    h, w, channels = image.shape
    fmt = QImage.Format.Format_RGB888 if channels == 3 else QImage.Format.Format_RGBA8888
    return QImage(image.data, w, h, image.strides[0], fmt).copy()
