"""A still picture as ``fitting-room render`` writes it: the 3D view, the notes card under it, the legend.

The notes card (the zones that won't close, ``fit_overlay.draw_notes``) takes the bottom rows of the
picture, so the scene is framed and drawn in the rows above it and the body is never under the card: the
heavy body's feet were hidden by it when the scene was framed for the whole picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .camera import OrbitCamera
from .constants import BACKGROUND_SRGB, MIN_IMAGE_SIDE, MIN_SCENE_SHARE
from .fit_overlay import draw_notes, fit_notes, notes_height
from .fitmap import draw_legend
from .worker import RenderRequest


@dataclass(frozen=True, eq=False)
class StillPicture:
    """A finished picture.

    Attributes
    ----------
    image : (height, width, 3) uint8, RGB
    camera : the camera the scene was drawn from, framing it in a ``width`` x ``scene_height`` picture
    scene_height : px; rows 0 to ``scene_height - 1`` show the scene, the notes card the rows below
    """

    image: np.ndarray
    camera: OrbitCamera
    scene_height: int


def scene_height(content, width: int, height: int) -> int:
    """Rows, px, of a ``width`` x ``height`` picture of ``content`` left to the scene above its notes card
    (at least ``MIN_SCENE_SHARE`` of the picture, however many notes)."""
    card = notes_height(fit_notes(content), width, height)
    return int(max(height - card, min(height, max(MIN_IMAGE_SIDE, round(height * MIN_SCENE_SHARE)))))


def still_picture(worker, content, width: int, height: int, view: str = "front",
                  fit_map: bool = False) -> StillPicture:
    """The picture of ``content`` seen from ``view``: the scene framed above the notes card, the notes on the
    card, and with ``fit_map`` (when a garment has strain) the fit map's legend in the top right corner.

    Parameters
    ----------
    worker : app.render.worker.RenderWorker
    content : app.render.content.SceneContent
    width, height : int, px
    """
    rows = scene_height(content, width, height)
    camera = content.framed(width / rows, view)
    drawn = worker.render_sync(RenderRequest(content, camera, width, rows, fit_map=fit_map)).image
    image = np.empty((height, width, 3), np.uint8)
    image[:rows] = drawn
    image[rows:] = np.round(np.asarray(BACKGROUND_SRGB) * 255).astype(np.uint8)
    image = draw_notes(image, fit_notes(content))
    if fit_map and content.has_strain:
        image = draw_legend(image, content.stretch_limits, fit_notes(content, short=True))
    return StillPicture(image, camera, rows)
