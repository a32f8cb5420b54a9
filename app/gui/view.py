"""The centre of the window: the 3D viewport, or a flat front silhouette where OpenGL is missing.

:func:`make_view` returns ``app.render.viewport.Viewport`` when it can be created; otherwise a
:class:`SilhouetteView` that draws the body and garments as flat shapes from the front (drawn
in a worker, so large meshes never stall the window). Both take the same calls:
``set_content(content)``, ``set_view(name)``, ``set_fit_map(on)``, ``set_turntable(on)``,
``grab_image() -> QImage``.
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.render.qimage import to_qimage
from avatar.colour import SKIN_SRGB

from .constants import PREVIEW_SIZE

log = logging.getLogger(__name__)

BACKGROUND = (236, 238, 242)
SKIN = tuple(255 * c for c in SKIN_SRGB)


def silhouette_image(content, size: tuple[int, int] = PREVIEW_SIZE) -> np.ndarray:
    """Draw ``content`` (an ``app.render.scene.SceneContent``) flat from the front.

    Uses Pillow only (no Qt), so it is safe on a worker thread.

    Parameters
    ----------
    content : SceneContent, metres; Y up, facing +Z
    size : (width, height) pixels

    Returns
    -------
    image : (height, width, 3) uint8 RGB
    """
    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image, "RGBA")
    lo, hi = content.bounds
    extent = max(hi[1] - lo[1], (hi[0] - lo[0]) * height / width, 1e-3)
    scale = 0.9 * height / extent
    cx, cy = (lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2
    floor_y = height / 2 + cy * scale
    rx, ry = 0.2 * height, 0.018 * height
    draw.ellipse((width / 2 - rx, floor_y - ry, width / 2 + rx, floor_y + ry), fill=(0, 0, 0, 28))

    def fill(vertices, faces, rgb):
        v = np.asarray(vertices, float)[np.asarray(faces, np.int64)]  # (F, 3, 3)
        px = np.stack([width / 2 + (v[..., 0] - cx) * scale, height / 2 - (v[..., 1] - cy) * scale], axis=-1)
        normal = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
        length = np.linalg.norm(normal, axis=1)
        facing = np.divide(normal[:, 2], length, out=np.zeros(len(length)), where=length > 0)
        # light from the front and above: the shape reads as a body, not a cut-out
        light = np.clip(0.55 + 0.45 * facing, 0.35, 1.0)
        colours = (np.asarray(rgb, float)[None, :] * light[:, None]).clip(0, 255).astype(np.uint8)
        for i in np.argsort(v[:, :, 2].mean(axis=1)):  # back to front
            if facing[i] < -0.05:
                continue
            c = tuple(int(x) for x in colours[i])
            draw.polygon([tuple(p) for p in px[i]], fill=c, outline=c)

    fill(content.body_vertices, content.skin_faces, SKIN)
    for layer in content.garments:
        fill(layer.vertices, layer.faces, tuple(255 * c for c in layer.colour))
    return np.asarray(image)


class SilhouetteView(QLabel):
    """A flat picture of the scene; a stand-in for the 3D viewport without OpenGL.

    ``render_requested(content)`` asks the owner to run :func:`silhouette_image` in a worker and
    call :meth:`show_image` with the result (the latest request wins).
    """

    render_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("silhouetteView")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(320, 400)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background:#eceef2; color:#667;")
        self.setText("Building your avatar…")
        self.content = None
        self._image: QImage | None = None

    def set_content(self, content) -> None:
        self.content = content
        if content is None:  # forget the picture too: it shows the shopper's body
            self._image = None
            self.clear()
            self.setText("")
        else:
            self.render_requested.emit(content)

    def show_image(self, rgb: np.ndarray) -> None:
        """Show an (H, W, 3) uint8 RGB picture."""
        self._image = to_qimage(rgb)
        self._rescale()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image is not None:
            self.setPixmap(QPixmap.fromImage(self._image).scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def set_view(self, name: str) -> None:
        """Only the front is drawn here."""

    def set_fit_map(self, on: bool) -> None:
        """No fit map in the flat picture."""

    def set_turntable(self, on: bool) -> None:
        """No turntable in the flat picture."""

    def grab_image(self) -> QImage:
        return self._image.copy() if self._image is not None else QImage()
