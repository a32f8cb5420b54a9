"""Skin seen through cloth, counted by rendering: depth of the body alone against depth of each garment alone.

From each view (front, side, back) the body and every garment are drawn into depth maps on their own,
from the same camera as the pictures (``camera.framed_points`` of the body and garments). A pixel
*shows through* a garment when both cover it and the body's surface lies in front of the garment's
surface along the pixel's ray by more than nothing and less than ``SHOW_THROUGH_DEPTH_M``, inside the
garment's outline (not on its one-pixel silhouette edge): skin poking through the cloth it should be under. Skin much farther in front (an arm in front of a skirt) is
ordinary occlusion, and skin behind the cloth is covered.

The counter owns an offscreen OpenGL context: create it and use it on one thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .camera import VIEWS
from .constants import (
    SHOW_THROUGH_DEPTH_M,
    SHOW_THROUGH_HEIGHT,
    SHOW_THROUGH_WIDTH,
    SHOW_THROUGH_ZFAR_M,
    SHOW_THROUGH_ZNEAR_M,
)
from .pyrender_adapter import close_offscreen
from .scene import use_egl_without_display

use_egl_without_display()


@dataclass(frozen=True)
class ViewShowThrough:
    """Show-through of one garment from one side.

    Attributes
    ----------
    view : "front", "side" or "back"
    pixels : int; garment pixels through which the body shows
    garment_pixels : int; pixels the garment covers
    """

    view: str
    pixels: int
    garment_pixels: int

    @property
    def share(self) -> float:
        """Fraction of the garment's pixels that show through (0 when the garment is not seen)."""
        return self.pixels / self.garment_pixels if self.garment_pixels else 0.0


@dataclass(frozen=True)
class GarmentShowThrough:
    """Show-through of one garment from every view counted.

    Attributes
    ----------
    name : str; the garment's name as given
    views : tuple of ViewShowThrough, in the order asked
    """

    name: str
    views: tuple[ViewShowThrough, ...]

    @property
    def pixels(self) -> int:
        """Show-through pixels summed over the views."""
        return sum(v.pixels for v in self.views)

    @property
    def worst_share(self) -> float:
        """The largest share of the garment's pixels showing through in any one view."""
        return max((v.share for v in self.views), default=0.0)

    def view(self, name: str) -> ViewShowThrough:
        return next(v for v in self.views if v.view == name)


def ray_length_factor(width: int, height: int, yfov_deg: float) -> np.ndarray:
    """(height, width) float: ray length per unit of camera depth at each pixel centre (1 at the centre)."""
    f = (height / 2.0) / math.tan(math.radians(yfov_deg) / 2.0)
    u = (np.arange(width) + 0.5 - width / 2.0) / f
    v = (np.arange(height) + 0.5 - height / 2.0) / f
    return np.sqrt(1.0 + u[None, :] ** 2 + v[:, None] ** 2)


def show_through_mask(body_depth: np.ndarray, garment_depth: np.ndarray,
                      tolerance: float = SHOW_THROUGH_DEPTH_M) -> np.ndarray:
    """Pixels where the body lies just in front of the garment.

    Parameters
    ----------
    body_depth, garment_depth : (H, W) float, metres along each pixel's ray; 0 where nothing is drawn
    tolerance : metres; skin farther in front than this is ordinary occlusion, not show-through

    Returns
    -------
    (H, W) bool
    """
    inside = interior(garment_depth > 0)
    ahead = garment_depth - body_depth
    return inside & (body_depth > 0) & (ahead > 0) & (ahead < tolerance)


def interior(mask: np.ndarray) -> np.ndarray:
    """(H, W) bool: pixels of ``mask`` whose eight neighbours are in it too (the outline's own pixels,
    where a silhouette edge is drawn half by one surface and half by another, are left out)."""
    inner = mask.copy()
    inner[0, :] = inner[-1, :] = inner[:, 0] = inner[:, -1] = False
    core = inner[1:-1, 1:-1]
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            core &= mask[1 + dy:mask.shape[0] - 1 + dy, 1 + dx:mask.shape[1] - 1 + dx]
    return inner


class ShowThroughCounter:
    """Counts show-through pixels with its own offscreen depth renderer (one thread only).

    Parameters
    ----------
    width, height : int, px of each depth map (3:4 portrait like the pictures)
    """

    def __init__(self, width: int = SHOW_THROUGH_WIDTH, height: int = SHOW_THROUGH_HEIGHT):
        import pyrender

        self.width, self.height = int(width), int(height)
        self._renderer = pyrender.OffscreenRenderer(self.width, self.height)

    def __enter__(self) -> "ShowThroughCounter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Free the OpenGL context without terminating other contexts on the same display."""
        if self._renderer is None:
            return
        close_offscreen(self._renderer)
        self._renderer = None

    def depth(self, vertices: np.ndarray, faces: np.ndarray, camera, double_sided: bool) -> np.ndarray:
        """(H, W) float: distance along each pixel's ray to the mesh, metres; 0 where it is not drawn.

        Parameters
        ----------
        vertices : (N, 3) float, metres
        faces : (M, 3) int
        camera : app.render.camera.OrbitCamera
        double_sided : draw back faces too (cloth); the body is a closed outward-facing surface
        """
        import pyrender
        import trimesh

        mesh = trimesh.Trimesh(np.asarray(vertices, np.float64), np.asarray(faces, np.int64), process=False)
        material = pyrender.MetallicRoughnessMaterial(doubleSided=bool(double_sided))
        scene = pyrender.Scene()
        scene.add(pyrender.Mesh.from_trimesh(mesh, material=material, smooth=False))
        lens = pyrender.PerspectiveCamera(yfov=math.radians(camera.yfov_deg), aspectRatio=self.width / self.height,
                                          znear=SHOW_THROUGH_ZNEAR_M, zfar=SHOW_THROUGH_ZFAR_M)
        scene.add(lens, pose=camera.pose())
        z = self._renderer.render(scene, flags=pyrender.RenderFlags.DEPTH_ONLY)
        return np.asarray(z, np.float64) * ray_length_factor(self.width, self.height, camera.yfov_deg)

    def count(self, body_vertices: np.ndarray, body_faces: np.ndarray, garments, views=VIEWS,
              tolerance: float = SHOW_THROUGH_DEPTH_M) -> list[GarmentShowThrough]:
        """Show-through of every garment from every view.

        Parameters
        ----------
        body_vertices : (V, 3) float, metres; Y up, facing +Z
        body_faces : (F, 3) int; the skin (eyes and teeth left out)
        garments : iterable of (name, vertices (N, 3) float metres, faces (M, 3) int)
        views : names from ``camera.VIEWS``
        tolerance : metres, see ``show_through_mask``

        Returns
        -------
        list of GarmentShowThrough, in the garments' order
        """
        from .camera import framed_points

        garments = [(name, np.asarray(v, np.float64), np.asarray(f, np.int64)) for name, v, f in garments]
        body_vertices = np.asarray(body_vertices, np.float64)
        points = np.concatenate([body_vertices] + [v for _, v, _ in garments])
        axis = tuple(np.median(body_vertices[:, [0, 2]], axis=0))
        counts = {name: [] for name, _, _ in garments}
        for view in views:
            camera = framed_points(points, self.width / self.height, view, axis)
            body = self.depth(body_vertices, body_faces, camera, double_sided=False)
            for name, vertices, faces in garments:
                cloth = self.depth(vertices, faces, camera, double_sided=True)
                mask = show_through_mask(body, cloth, tolerance)
                counts[name].append(ViewShowThrough(view, int(mask.sum()), int((cloth > 0).sum())))
        return [GarmentShowThrough(name, tuple(counts[name])) for name, _, _ in garments]

    def count_avatar(self, avatar, results, views=VIEWS) -> list[GarmentShowThrough]:
        """``count`` for an ``avatar.avatar.Avatar`` and its drape results (``garments.outfit.DrapeResult``),
        each named ``id:size``."""
        return self.count(avatar.vertices, avatar.body_faces,
                          [(f"{r.garment_id}:{r.size}", r.vertices, r.faces) for r in results], views)


__all__ = ["GarmentShowThrough", "ShowThroughCounter", "ViewShowThrough", "interior", "ray_length_factor",
           "show_through_mask"]
