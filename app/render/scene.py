"""The 3D view's renderer: it uploads a ``SceneContent`` as meshes and draws it from a camera.

``SceneRenderer`` owns the OpenGL context and must be created and used on one thread (the render
worker's). The content is plain data (``app.render.content``), turned into meshes by
``app.render.meshes`` and lit by ``app.render.lights``; what it changes inside pyrender is all in
``app.render.pyrender_adapter``.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np

from avatar.colour import linear_to_srgb

from .camera import OrbitCamera
from .constants import FULL_SAMPLES, MIN_IMAGE_SIDE
from .content import GarmentLayer, SceneContent, garment_from_drape
from .lights import studio_scene
from .mesh_cache import MeshCache
from .pyrender_adapter import close_renderer, patch_renderer, use_egl_without_display

use_egl_without_display()

SHADER_DIR = Path(__file__).resolve().parent / "shaders"

__all__ = ["GarmentLayer", "SceneContent", "SceneRenderer", "garment_from_drape", "linear_to_srgb",
           "use_egl_without_display"]


class SceneRenderer:
    """An offscreen OpenGL renderer and its scene. Create and use it on ONE thread only.

    Meshes are made once per part of a content (``app.render.mesh_cache``): rendering the same content
    from another camera or at another size only moves the camera; a content whose body and garment
    layers were drawn before (a colour or a skin tone picked, a size seen before) only changes the
    materials' colours.

    Parameters
    ----------
    width, height : int, px; the first framebuffer size (any later frame may have another size)
    studio_shader : bool; our lean shader (``shaders/``) instead of pyrender's PBR one, which costs
        ~6x more per pixel on llvmpipe for a look no shopper could tell apart
    """

    def __init__(self, width: int = 64, height: int = 64, *, studio_shader: bool = True):
        import pyrender

        self._thread = threading.get_ident()
        self._renderer = pyrender.OffscreenRenderer(int(width), int(height))
        # pyrender orders meshes by node distance (all equal here, so arbitrarily); ours: MeshCache.draw_order
        self._draw_order: list = []
        self._target = patch_renderer(self._renderer, lambda: self._draw_order,
                                      SHADER_DIR if studio_shader else None)
        self._camera = pyrender.PerspectiveCamera(yfov=1.0, znear=0.05, zfar=60.0)
        self._scene, self._camera_node = studio_scene(self._camera)
        self._meshes = MeshCache(self._scene)
        self._key = None
        self._flags = pyrender.RenderFlags.NONE
        self.uploads = 0  # how many contents needed meshes made (uploaded); the tests and benchmark read it
        self.recolours = 0  # how many contents were drawn with meshes made before, only their colours set

    def _check_thread(self):
        if threading.get_ident() != self._thread:
            raise RuntimeError("a SceneRenderer must be used on the thread that created it "
                               "(OpenGL contexts are per thread)")

    def set_content(self, content: SceneContent, fit_map: bool = False) -> None:
        """Draw ``content`` from the next frame on, making the meshes of its parts not drawn lately."""
        self._check_thread()
        key = (content.version, bool(fit_map and content.has_strain))
        if key == self._key:
            return
        self._draw_order, built = self._meshes.draw_order(content, fit_map=key[1])
        self._key = key
        if built:
            self.uploads += 1
        else:
            self.recolours += 1

    def render(self, content: SceneContent, camera: OrbitCamera, width: int, height: int,
               fit_map: bool = False, samples: int = FULL_SAMPLES) -> np.ndarray:
        """One picture.

        Parameters
        ----------
        samples : int; multisample anti-aliasing samples, 0 for none (about 3x faster on llvmpipe)

        Returns
        -------
        image : (height, width, 3) uint8, RGB, row 0 at the top
        """
        self._check_thread()
        self.set_content(content, fit_map)
        self._camera.yfov = math.radians(camera.yfov_deg)
        self._camera.aspectRatio = width / height
        self._scene.set_pose(self._camera_node, camera.pose())
        self._renderer.viewport_width, self._renderer.viewport_height = int(width), int(height)
        self._target.samples = int(samples)
        color, _depth = self._renderer.render(self._scene, flags=self._flags)
        return color

    def warm_up(self) -> None:
        """Compile every shader variant the view uses (skin, cloth, textured cloth, fit map colours, floor)
        on a tiny scene, so the first real frame does not wait for the shader compiler."""
        camera = OrbitCamera(target=(0.0, 0.5, 0.0), distance_m=3.0)
        tri = np.array([[0, 1, 2], [0, 2, 3]])
        quad = np.array([[-0.3, 0.0, 0.0], [0.3, 0.0, 0.0], [0.3, 1.0, 0.0], [-0.3, 1.0, 0.0]])
        cloth = GarmentLayer("warm-up", quad + (0.0, 0.0, 0.05), tri, strain=np.zeros(4))
        textured = GarmentLayer("warm-up-textured", quad + (0.0, 0.0, 0.1), tri,
                                texture=np.full((2, 2, 3), 128, np.uint8), uv=quad[:, :2])
        content = SceneContent(quad, tri, tri[:1], (cloth, textured))
        for fit_map in (False, True):
            self.render(content, camera, MIN_IMAGE_SIDE, MIN_IMAGE_SIDE, fit_map=fit_map, samples=0)
        self._meshes.clear()
        self._key, self._draw_order = None, []
        self.uploads = self.recolours = 0

    def close(self) -> None:
        """Free the OpenGL context and buffers (on the owning thread)."""
        self._check_thread()
        if self._renderer is not None:
            close_renderer(self._renderer, self._target)
            self._renderer = None
