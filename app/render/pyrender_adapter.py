"""Every change this app makes to pyrender's private parts, in one place.

pyrender (0.1.x) has no public hooks for what the view needs, so ``patch_renderer`` replaces a few
private methods on ONE ``OffscreenRenderer`` instance (never on the classes):

- its framebuffers (``Renderer._configure_forward_pass_viewport`` and ``_read_main_framebuffer``):
  pyrender always multisamples 4x and reads depth back as float; ``FrameTarget`` chooses the sample
  count per frame (0 on the fast path) and reads colour only;
- its draw order (``Renderer._sorted_mesh_nodes``): ours is front to back, see ``SceneRenderer``;
- its shaders (``Renderer._program_cache``): our lean studio shader in ``shaders/``;
- its EGL teardown (``EGLPlatform.delete_context``): pyrender calls ``eglTerminate``, which kills every
  other context on the same display; ``close_renderer`` destroys only ours.

``PRIVATE_NAMES`` lists what these patches rely on; a test checks it against the installed pyrender,
so an upgrade that renames any of them fails loudly instead of drawing wrongly.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np

# (module, class) -> {private method: its parameters} or {private attribute: None}, as pyrender 0.1.50 has them
PRIVATE_NAMES: dict[tuple[str, str], dict[str, tuple[str, ...] | None]] = {
    ("pyrender.renderer", "Renderer"): {
        "_configure_forward_pass_viewport": ("self", "flags"),
        "_read_main_framebuffer": ("self", "scene", "flags"),
        "_sorted_mesh_nodes": ("self", "scene"),
        "_program_cache": None,
    },
    ("pyrender.offscreen", "OffscreenRenderer"): {"_renderer": None, "_platform": None},
    ("pyrender.platforms.egl", "EGLPlatform"): {
        "delete_context": ("self",), "_egl_display": None, "_egl_context": None,
    },
    ("pyrender.shader_program", "ShaderProgramCache"): {"__init__": ("self", "shader_dir")},
}


def use_egl_without_display() -> None:
    """Choose EGL for pyrender's OpenGL on Linux unless ``PYOPENGL_PLATFORM`` was set.

    Must run before ``pyrender`` or ``OpenGL`` is imported. EGL needs no window system, so the same
    offscreen renderer works on servers, in tests and under an X display (Xvfb included), where Qt
    shows the frames it draws; pyrender's default there (pyglet) is neither installed nor needed.
    """
    if sys.platform.startswith("linux"):
        os.environ.setdefault("PYOPENGL_PLATFORM", "egl")


class _NoViewer:
    """Stands for ``pyrender.Viewer``: this app draws offscreen and shows frames in Qt."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("pyrender's interactive viewer is not part of the fitting room; "
                           "use app.render.SceneRenderer")


def without_viewer() -> None:
    """Import ``pyrender`` without its interactive viewer (and the pyglet window system that imports).

    ``pyrender/__init__`` imports ``pyrender.viewer`` unconditionally, which imports ``pyglet.window``
    and opens a shadow window's display connection; the app never uses it. Must run before ``pyrender``
    is imported: a stand-in module takes the viewer's place, its ``Viewer`` refusing to be made. Nothing
    changes once ``pyrender`` is imported.
    """
    if "pyrender" not in sys.modules and "pyrender.viewer" not in sys.modules:
        stand_in = types.ModuleType("pyrender.viewer", "Stand-in: the fitting room draws offscreen")
        stand_in.Viewer = _NoViewer
        sys.modules["pyrender.viewer"] = stand_in


def rgba_rows_up_to_rgb(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 with OpenGL's bottom row first -> (H, W, 3) RGB, top row first (cv2: ~8x numpy)."""
    import cv2

    return cv2.cvtColor(cv2.flip(rgba, 0), cv2.COLOR_RGBA2RGB)


class FrameTarget:
    """The framebuffers pyrender draws into, replacing its own: the sample count is chosen per frame
    (``samples``: 0 = no multisampling, the fast path on software GL) and only colour is read back.
    Needs the renderer's context current."""

    def __init__(self):
        self.key = None          # (width, height, samples) of the current buffers
        self.samples = 0         # samples of the next frame
        self._fbs: list = []
        self._rbs: list = []

    def _release(self):
        from OpenGL import GL

        if self._fbs:
            GL.glDeleteFramebuffers(len(self._fbs), self._fbs)
        if self._rbs:
            GL.glDeleteRenderbuffers(len(self._rbs), self._rbs)
        self._fbs, self._rbs, self.key = [], [], None

    def _framebuffer(self, width, height, samples):
        from OpenGL import GL

        fb = int(GL.glGenFramebuffers(1))
        colour, depth = (int(x) for x in GL.glGenRenderbuffers(2))
        for rb, fmt in ((colour, GL.GL_RGBA8), (depth, GL.GL_DEPTH_COMPONENT24)):
            GL.glBindRenderbuffer(GL.GL_RENDERBUFFER, rb)
            if samples:
                GL.glRenderbufferStorageMultisample(GL.GL_RENDERBUFFER, samples, fmt, width, height)
            else:
                GL.glRenderbufferStorage(GL.GL_RENDERBUFFER, fmt, width, height)
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, fb)
        GL.glFramebufferRenderbuffer(GL.GL_DRAW_FRAMEBUFFER, GL.GL_COLOR_ATTACHMENT0, GL.GL_RENDERBUFFER, colour)
        GL.glFramebufferRenderbuffer(GL.GL_DRAW_FRAMEBUFFER, GL.GL_DEPTH_ATTACHMENT, GL.GL_RENDERBUFFER, depth)
        self._fbs.append(fb)
        self._rbs += [colour, depth]
        return fb

    def bind(self, renderer, flags):  # replaces Renderer._configure_forward_pass_viewport
        from OpenGL import GL

        key = (renderer.viewport_width, renderer.viewport_height, self.samples)
        if key != self.key:
            self._release()
            self._framebuffer(key[0], key[1], 0)                      # resolved picture
            if self.samples:
                self._framebuffer(key[0], key[1], self.samples)       # drawn into, then resolved
            self.key = key
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, self._fbs[-1])
        GL.glViewport(0, 0, key[0], key[1])
        GL.glEnable(GL.GL_DEPTH_TEST)
        GL.glDepthMask(GL.GL_TRUE)
        GL.glDepthFunc(GL.GL_LESS)
        GL.glDepthRange(0.0, 1.0)

    def read(self, renderer, scene, flags):  # replaces Renderer._read_main_framebuffer
        from OpenGL import GL

        width, height, samples = self.key
        if samples:
            GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._fbs[1])
            GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, self._fbs[0])
            GL.glBlitFramebuffer(0, 0, width, height, 0, 0, width, height, GL.GL_COLOR_BUFFER_BIT, GL.GL_NEAREST)
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._fbs[0])
        data = GL.glReadPixels(0, 0, width, height, GL.GL_RGBA, GL.GL_UNSIGNED_BYTE)
        rgba = np.frombuffer(data, np.uint8).reshape(height, width, 4)
        return rgba_rows_up_to_rgb(rgba), None

    def delete(self):
        self._release()


def patch_renderer(offscreen, draw_order: Callable[[], list], shader_dir: Path | None = None) -> FrameTarget:
    """Install our framebuffers, draw order and (with ``shader_dir``) shaders on one renderer.

    Parameters
    ----------
    offscreen : pyrender.OffscreenRenderer, its context current
    draw_order : () -> list of the scene's mesh nodes, in the order to draw them
    shader_dir : folder of ``mesh.vert``/``mesh.frag``-style shaders replacing pyrender's, or None

    Returns
    -------
    target : FrameTarget; set ``target.samples`` before each frame, ``close_renderer`` frees it
    """
    renderer = offscreen._renderer
    target = FrameTarget()
    renderer._configure_forward_pass_viewport = types.MethodType(target.bind, renderer)
    renderer._read_main_framebuffer = types.MethodType(target.read, renderer)
    renderer._sorted_mesh_nodes = lambda scene: list(draw_order())
    if shader_dir is not None:
        from pyrender.shader_program import ShaderProgramCache

        renderer._program_cache = ShaderProgramCache(shader_dir=str(shader_dir))
    return target


def close_renderer(offscreen, target: FrameTarget) -> None:
    """Free a patched renderer's buffers and its OpenGL context, leaving other contexts alive."""
    offscreen._platform.make_current()
    target.delete()
    close_offscreen(offscreen)


def close_offscreen(offscreen) -> None:
    """Delete a ``pyrender.OffscreenRenderer`` and its OpenGL context, leaving other contexts alive."""
    platform = offscreen._platform
    if hasattr(platform, "_egl_context"):
        platform.delete_context = types.MethodType(_destroy_egl_context_only, platform)
    offscreen.delete()


def _destroy_egl_context_only(platform) -> None:
    """Replaces ``EGLPlatform.delete_context``: destroy our context only, no ``eglTerminate``."""
    from OpenGL.EGL import EGL_NO_CONTEXT, EGL_NO_SURFACE, eglDestroyContext, eglMakeCurrent

    if platform._egl_display is not None and platform._egl_context is not None:
        eglMakeCurrent(platform._egl_display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT)
        eglDestroyContext(platform._egl_display, platform._egl_context)
    platform._egl_context = None
    platform._egl_display = None
