"""What the 3D view shows: an avatar, garments and a floor, lit like a photo studio.

``SceneContent`` is plain data (numpy meshes, colours, optional strain); it has a ``version`` that
changes whenever the content does, so the renderer uploads meshes once per content change and only
moves the camera for every other frame. ``SceneRenderer`` owns the OpenGL context and must be created
and used on one thread (the render worker's).
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .camera import OrbitCamera
from .constants import (
    AMBIENT_LINEAR,
    BACKGROUND_SRGB,
    DEFAULT_GARMENT_SRGB,
    DEFAULT_STRETCH_LIMIT,
    EYE_SRGB,
    FLOOR_RADIUS_M,
    FLOOR_SHADOW_BLUR_M,
    FLOOR_SHADOW_HEIGHT_M,
    FLOOR_SHADOW_PX,
    FLOOR_SHADOW_STRENGTH,
    FLOOR_SRGB,
    FULL_SAMPLES,
    GARMENT_ROUGHNESS,
    MIN_IMAGE_SIDE,
    SKIN_ROUGHNESS,
    SKIN_SRGB,
)
from .fit_overlay import marked_colours
from .fitmap import strain_colours


def use_egl_without_display() -> None:
    """Choose EGL for pyrender's OpenGL on Linux unless ``PYOPENGL_PLATFORM`` was set.

    Must run before ``pyrender`` or ``OpenGL`` is imported. EGL needs no window system, so the same
    offscreen renderer works on servers, in tests and under an X display (Xvfb included), where Qt
    shows the frames it draws; pyrender's default there (pyglet) is neither installed nor needed.
    """
    if sys.platform.startswith("linux"):
        os.environ.setdefault("PYOPENGL_PLATFORM", "egl")


use_egl_without_display()

_versions = itertools.count(1)
SHADER_DIR = Path(__file__).resolve().parent / "shaders"


def _frozen(array, dtype, shape_tail, name):
    out = np.ascontiguousarray(array, dtype=dtype)
    if out.ndim != 1 + len(shape_tail) or tuple(out.shape[1:]) != shape_tail:
        raise ValueError(f"{name} must have shape (n, {', '.join(map(str, shape_tail))}), got {out.shape}")
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class GarmentLayer:
    """One garment as the renderer draws it.

    Attributes
    ----------
    name : str
    vertices : (N, 3) float, metres
    faces : (F, 3) int
    colour : (3,) float, sRGB in [0, 1]
    strain : (N,) float fraction, or None; drawn by the fit map
    texture : (H, W, 3) uint8 sRGB image, or None; needs ``uv``
    uv : (N, 2) float texture coordinates, or None
    stretch_limit : float fraction the fit map draws fully red for this fabric (the content's if None)
    fit_marks : app.render.fit_overlay.FitMarks or None; zones that won't close, drawn hatched red
    """

    name: str
    vertices: np.ndarray
    faces: np.ndarray
    colour: tuple = DEFAULT_GARMENT_SRGB
    strain: np.ndarray | None = None
    texture: np.ndarray | None = None
    uv: np.ndarray | None = None
    stretch_limit: float | None = None
    fit_marks: object = None

    def __post_init__(self):
        object.__setattr__(self, "vertices", _frozen(self.vertices, np.float32, (3,), "garment vertices"))
        object.__setattr__(self, "faces", _frozen(self.faces, np.uint32, (3,), "garment faces"))
        object.__setattr__(self, "colour", tuple(float(c) for c in self.colour))
        n = len(self.vertices)
        if self.strain is not None:
            strain = np.ascontiguousarray(self.strain, np.float32).reshape(-1)
            if len(strain) != n:
                raise ValueError(f"strain has {len(strain)} values for {n} vertices")
            object.__setattr__(self, "strain", strain)
        if self.stretch_limit is not None and not self.stretch_limit > 0:
            raise ValueError(f"stretch limit must be positive, got {self.stretch_limit!r}")
        if (self.texture is None) != (self.uv is None):
            raise ValueError("a garment texture needs uv coordinates and uv coordinates need a texture")
        if self.uv is not None:
            object.__setattr__(self, "uv", _frozen(self.uv, np.float32, (2,), "garment uv"))
            if len(self.uv) != n:
                raise ValueError(f"uv has {len(self.uv)} rows for {n} vertices")


def garment_from_drape(result, colour=DEFAULT_GARMENT_SRGB, texture=None, uv=None,
                       stretch_limit: float | None = None) -> GarmentLayer:
    """A ``GarmentLayer`` from a drape result (anything with ``garment_id``, ``size``, ``vertices``,
    ``faces`` and ``strain``); ``colour`` is sRGB (see ``linear_to_srgb`` for catalog colours),
    ``stretch_limit`` the fabric's stretch (``Garment.stretch``)."""
    name = f"{getattr(result, 'garment_id', 'garment')}:{getattr(result, 'size', '')}".rstrip(":")
    return GarmentLayer(name=name, vertices=result.vertices, faces=result.faces, colour=colour,
                        strain=getattr(result, "strain", None), texture=texture, uv=uv, stretch_limit=stretch_limit)


@dataclass(frozen=True, eq=False)
class SceneContent:
    """Everything the view shows except the camera.

    Attributes
    ----------
    body_vertices : (V, 3) float, metres; Y up, facing +Z, feet on y = 0
    skin_faces : (Fs, 3) int; drawn with the skin material
    other_faces : (Fo, 3) int; eyes, teeth, tongue, drawn dark
    garments : tuple of GarmentLayer, drawn in this order
    stretch_limit : float, strain fraction the fit map draws fully red
    version : int, unique per content; the renderer re-uploads meshes only when it changes
    """

    body_vertices: np.ndarray
    skin_faces: np.ndarray
    other_faces: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.uint32))
    garments: tuple = ()
    stretch_limit: float = DEFAULT_STRETCH_LIMIT
    version: int = field(default_factory=lambda: next(_versions))

    def __post_init__(self):
        object.__setattr__(self, "body_vertices", _frozen(self.body_vertices, np.float32, (3,), "body vertices"))
        object.__setattr__(self, "skin_faces", _frozen(self.skin_faces, np.uint32, (3,), "skin faces"))
        object.__setattr__(self, "other_faces", _frozen(self.other_faces, np.uint32, (3,), "other faces"))
        object.__setattr__(self, "garments", tuple(self.garments))
        if not self.stretch_limit > 0:
            raise ValueError(f"stretch limit must be positive, got {self.stretch_limit!r}")

    @classmethod
    def from_avatar(cls, avatar, garments=(), stretch_limit: float = DEFAULT_STRETCH_LIMIT) -> SceneContent:
        """Content of an ``avatar.avatar.Avatar`` (skin = ``body_faces``, the rest of ``faces`` drawn dark)."""
        faces = np.asarray(avatar.faces, np.int64)
        skin = np.asarray(avatar.body_faces, np.int64)
        n = int(max(faces.max(initial=0), skin.max(initial=0))) + 1

        def keys(f):  # one integer per triangle, whatever its winding start
            f = np.sort(f, axis=1)
            return (f[:, 0] * n + f[:, 1]) * n + f[:, 2]

        other = faces[~np.isin(keys(faces), keys(skin))]
        return cls(avatar.vertices, skin, other, tuple(garments), stretch_limit)

    @classmethod
    def from_mesh(cls, vertices, faces, garments=(), stretch_limit: float = DEFAULT_STRETCH_LIMIT) -> SceneContent:
        """Content of a plain body mesh (e.g. a loaded GLB/OBJ): every face is skin."""
        return cls(vertices, faces, np.zeros((0, 3), np.uint32), tuple(garments), stretch_limit)

    @property
    def bounds(self) -> np.ndarray:
        """(2, 3) float, metres: min and max corners of the body and garments."""
        points = [self.body_vertices] + [g.vertices for g in self.garments]
        allp = np.concatenate(points)
        return np.stack([allp.min(axis=0), allp.max(axis=0)]).astype(float)

    @property
    def axis(self) -> tuple[float, float]:
        """(x, z) metres of the body's vertical axis (median of its vertices: the torso, not the hands);
        the camera orbits round it and the floor disc is centred on it."""
        x, z = np.median(self.body_vertices[:, [0, 2]], axis=0)
        return float(x), float(z)

    @property
    def radius(self) -> float:
        """Metres: the farthest body or garment point from the vertical ``axis`` (framing uses it)."""
        x, z = self.axis
        points = np.concatenate([self.body_vertices] + [g.vertices for g in self.garments])
        return float(np.hypot(points[:, 0] - x, points[:, 2] - z).max())

    def framed(self, aspect: float, view: str = "front") -> OrbitCamera:
        """The closest camera showing all of this content with a margin, from any side
        (see ``camera.framed_points``)."""
        from .camera import framed_points

        points = np.concatenate([self.body_vertices] + [g.vertices for g in self.garments])
        return framed_points(points, aspect, view, self.axis)

    @property
    def has_strain(self) -> bool:
        return any(g.strain is not None for g in self.garments)

    @property
    def legend_limit(self) -> float | None:
        """The stretch limit shared by every garment with strain (the legend shows it in %), or None when
        their fabrics differ (the legend then reads in fractions of each fabric's limit)."""
        limits = {g.stretch_limit or self.stretch_limit for g in self.garments if g.strain is not None}
        return limits.pop() if len(limits) == 1 else (self.stretch_limit if not limits else None)


def srgb_to_linear(c) -> np.ndarray:
    """sRGB in [0, 1] to linear light (pyrender's shader lights in linear space and re-encodes at the end)."""
    c = np.asarray(c, float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c) -> np.ndarray:
    """Linear light in [0, 1] (the catalog's colours) to sRGB, what ``GarmentLayer.colour`` takes."""
    c = np.clip(np.asarray(c, float), 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


# --------------------------------------------------------------------------------------------------------------
# meshes (pyrender imported lazily: constructing content must not need OpenGL)
# --------------------------------------------------------------------------------------------------------------
def _vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    v = vertices.astype(np.float64)
    f = faces.astype(np.int64)
    face_n = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])  # area weighted
    normals = np.zeros_like(v)
    for k in range(3):
        np.add.at(normals, f[:, k], face_n)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return (normals / np.where(length > 0, length, 1.0)).astype(np.float32)


def _material(srgb, roughness, double_sided=False, texture=None, name=None):
    import pyrender

    base = np.r_[srgb_to_linear(srgb), 1.0] if srgb is not None else np.ones(4)
    kwargs = {}
    if texture is not None:
        kwargs["baseColorTexture"] = pyrender.Texture(source=np.ascontiguousarray(texture[..., :3]),
                                                      source_channels="RGB",
                                                      sampler=pyrender.Sampler(magFilter=9729, minFilter=9987))
    return pyrender.MetallicRoughnessMaterial(baseColorFactor=base, metallicFactor=0.0, roughnessFactor=roughness,
                                              doubleSided=double_sided, name=name, **kwargs)


def _primitive(vertices, faces, material, colours=None, uv=None):
    import pyrender

    color_0 = None
    if colours is not None:
        color_0 = np.c_[srgb_to_linear(colours), np.ones(len(colours))].astype(np.float32)
    return pyrender.Primitive(positions=vertices, normals=_vertex_normals(vertices, faces), indices=faces,
                              color_0=color_0, texcoord_0=uv, material=material, mode=4)


def _outward_faces(vertices: np.ndarray, faces: np.ndarray, axis: tuple[float, float]) -> np.ndarray:
    """``faces`` wound so that most face normals point away from the body's vertical axis."""
    v = vertices.astype(np.float64)
    f = faces.astype(np.int64)
    normal = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    radial = v[f].mean(axis=1) - np.array([axis[0], 0.0, axis[1]])
    radial[:, 1] = 0.0
    return faces if np.einsum("ij,ij->", normal, radial) >= 0 else np.ascontiguousarray(faces[:, ::-1])


def build_meshes(content: SceneContent, fit_map: bool = False) -> tuple:
    """The ``pyrender.Mesh`` objects of a content.

    Returns
    -------
    body : Mesh; skin and the dark parts
    outsides, insides : lists of Mesh, one per garment each: its outer and its inner side, both
        back-face culled. Drawn outsides, body, insides, the body hides most of the insides from the
        depth test before they are shaded; together they look like one two-sided cloth.
    """
    import pyrender

    v = content.body_vertices
    body = [_primitive(v, content.skin_faces, _material(SKIN_SRGB, SKIN_ROUGHNESS, name="skin"))]
    if len(content.other_faces):
        body.append(_primitive(v, content.other_faces, _material(EYE_SRGB, 0.4, name="eyes")))
    outsides, insides = [], []
    for g in content.garments:
        colours, uv = None, None
        if fit_map and g.strain is not None:
            material = _material(None, GARMENT_ROUGHNESS, name=g.name)
            colours = strain_colours(g.strain, g.stretch_limit or content.stretch_limit)
        elif g.fit_marks is not None:  # zones that won't close: hatched red (app.render.fit_overlay)
            material, colours = _material(None, GARMENT_ROUGHNESS, name=g.name), marked_colours(g)
        elif g.texture is not None:
            material = _material((1.0, 1.0, 1.0), GARMENT_ROUGHNESS, texture=g.texture, name=g.name)
            uv = g.uv
        else:
            material = _material(g.colour, GARMENT_ROUGHNESS, name=g.name)
        faces = _outward_faces(g.vertices, g.faces, content.axis)
        outside = _primitive(g.vertices, faces, material, colours=colours, uv=uv)
        inside = _primitive(g.vertices, np.ascontiguousarray(faces[:, ::-1]), material, colours=colours, uv=uv)
        outsides.append(pyrender.Mesh([outside], name=f"{g.name} outside"))
        insides.append(pyrender.Mesh([inside], name=f"{g.name} inside"))
    return pyrender.Mesh(body, name="avatar"), outsides, insides


def contact_shadow(points: np.ndarray, radius: float = FLOOR_RADIUS_M, size: int = FLOOR_SHADOW_PX) -> np.ndarray:
    """A soft shadow on the floor under the body: darker where the body is low and close.

    Parameters
    ----------
    points : (N, 3) float, metres; body (and garment) vertices, feet on y = 0
    radius : float, metres; the floor disc's radius (the image covers [-radius, radius] in x and z)

    Returns
    -------
    shadow : (size, size) float in [0, 1]; rows run along +z and columns along +x, both from -radius
    """
    import cv2

    low = points[points[:, 1] < FLOOR_SHADOW_HEIGHT_M]
    weight = (1.0 - low[:, 1] / FLOOR_SHADOW_HEIGHT_M) ** 2
    cells = np.floor((low[:, [2, 0]] + radius) / (2 * radius) * size).astype(int)
    inside = np.all((cells >= 0) & (cells < size), axis=1)
    grid = np.zeros((size, size), np.float32)
    np.maximum.at(grid, (cells[inside, 0], cells[inside, 1]), weight[inside])
    # close the gaps between vertices, then blur into a penumbra
    grid = cv2.dilate(grid, np.ones((3, 3), np.uint8))
    sigma = FLOOR_SHADOW_BLUR_M / (2 * radius) * size
    grid = cv2.GaussianBlur(grid, (0, 0), sigmaX=sigma)
    peak = grid.max()
    return grid / peak if peak > 0 else grid


def build_floor(content: SceneContent, segments: int = 96):
    """A floor disc centred under the body with the contact shadow baked into its texture."""
    import pyrender

    cx, cz = content.axis
    r = FLOOR_RADIUS_M
    casters = np.concatenate([content.body_vertices] + [g.vertices for g in content.garments])
    shadow = contact_shadow(casters - np.array([cx, 0.0, cz], np.float32), r)
    # fade the disc's edge into the backdrop so it reads as a soft spotlight on the floor, not a plate
    yy, xx = np.mgrid[0:FLOOR_SHADOW_PX, 0:FLOOR_SHADOW_PX]
    rr = np.hypot(xx + 0.5 - FLOOR_SHADOW_PX / 2, yy + 0.5 - FLOOR_SHADOW_PX / 2) / (FLOOR_SHADOW_PX / 2)
    edge = np.clip((rr - 0.7) / 0.3, 0.0, 1.0)[..., None]
    floor = np.array(FLOOR_SRGB) * (1.0 - FLOOR_SHADOW_STRENGTH * shadow[..., None])
    image = floor * (1 - edge) + np.array(BACKGROUND_SRGB) * edge
    texture = (np.clip(image, 0, 1) * 255).round().astype(np.uint8)

    angles = np.linspace(0.0, 2 * math.pi, segments, endpoint=False)
    ring = np.c_[np.cos(angles), np.zeros(segments), np.sin(angles)] * r
    vertices = np.vstack([[0.0, 0.0, 0.0], ring]).astype(np.float32) + np.array([cx, 0.0, cz], np.float32)
    faces = np.array([[0, 1 + (i + 1) % segments, 1 + i] for i in range(segments)], np.uint32)
    # image rows run along +z from -r; texture v runs up from the image's last row (OpenGL convention)
    uv = np.c_[(vertices[:, 0] - cx + r) / (2 * r), 1.0 - (vertices[:, 2] - cz + r) / (2 * r)].astype(np.float32)
    # the floor shows its texture as is (emissive, unlit), so its faded rim meets the backdrop without a seam
    material = pyrender.MetallicRoughnessMaterial(
        baseColorFactor=(0.0, 0.0, 0.0, 1.0), metallicFactor=0.0, roughnessFactor=1.0, name="floor",
        emissiveFactor=(1.0, 1.0, 1.0), emissiveTexture=pyrender.Texture(source=texture, source_channels="RGB"))
    prim = pyrender.Primitive(positions=vertices, normals=np.tile([0.0, 1.0, 0.0], (len(vertices), 1)).astype(np.float32),
                              indices=faces, texcoord_0=uv, material=material, mode=4)
    return pyrender.Mesh([prim], name="floor")


# lights fixed to the camera (a studio's lights move with the photographer): (direction the light comes
# from in camera space, intensity). Key from the upper left, fill from the right, rim from behind above
# (it draws the silhouette's edge), and a weak bounce from the floor under the chin and arms.
STUDIO_LIGHTS = (
    ((-1.0, 0.8, 1.0), 3.4),
    ((1.2, 0.1, 0.8), 1.1),
    ((0.6, 1.0, -1.4), 2.5),
    ((0.0, -1.0, 0.5), 0.3),
)


def _light_pose(from_direction) -> np.ndarray:
    """(4, 4) pose of a directional light shining from ``from_direction`` (pyrender lights shine along -Z)."""
    z = np.asarray(from_direction, float)
    z /= np.linalg.norm(z)
    up = (0.0, 1.0, 0.0) if abs(z[1]) < 0.95 else (1.0, 0.0, 0.0)
    x = np.cross(up, z)
    x /= np.linalg.norm(x)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2] = x, np.cross(z, x), z
    return pose


def _rgba_rows_up_to_rgb(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 with OpenGL's bottom row first -> (H, W, 3) RGB, top row first (cv2: ~8x numpy)."""
    import cv2

    return cv2.cvtColor(cv2.flip(rgba, 0), cv2.COLOR_RGBA2RGB)


class _Target:
    """The framebuffers pyrender draws into, replacing its own (always 4x multisampled, always reading
    depth back as float and converting it): here the sample count is chosen per frame (0 = no
    multisampling, the fast path on software GL) and only colour is read back. Installed on one
    ``pyrender.Renderer`` instance by ``SceneRenderer``; needs that renderer's context current."""

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
        return _rgba_rows_up_to_rgb(rgba), None

    def install(self, renderer) -> None:
        import types

        renderer._configure_forward_pass_viewport = types.MethodType(self.bind, renderer)
        renderer._read_main_framebuffer = types.MethodType(self.read, renderer)

    def delete(self):
        self._release()


class SceneRenderer:
    """An offscreen OpenGL renderer and its scene. Create and use it on ONE thread only.

    Meshes are uploaded once per ``(content.version, fit_map)``; rendering the same content from another
    camera or at another size only moves the camera.

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
        self._target = _Target()
        self._target.install(self._renderer._renderer)
        if studio_shader:
            from pyrender.shader_program import ShaderProgramCache

            self._renderer._renderer._program_cache = ShaderProgramCache(shader_dir=str(SHADER_DIR))
        # pyrender orders meshes by node distance (all equal here, so arbitrarily); ours: see set_content
        self._draw_order: list = []
        self._renderer._renderer._sorted_mesh_nodes = lambda scene: list(self._draw_order)
        self._scene = pyrender.Scene(bg_color=np.r_[BACKGROUND_SRGB, 1.0], ambient_light=np.full(3, AMBIENT_LINEAR))
        self._camera = pyrender.PerspectiveCamera(yfov=1.0, znear=0.05, zfar=60.0)
        self._camera_node = self._scene.add(self._camera, pose=np.eye(4), name="camera")
        for direction, intensity in STUDIO_LIGHTS:
            light = pyrender.DirectionalLight(color=np.ones(3), intensity=intensity)
            self._scene.add(light, pose=_light_pose(direction), parent_node=self._camera_node)
        self._mesh_nodes: list = []
        self._key = None
        self._flags = pyrender.RenderFlags.NONE
        self.uploads = 0  # how many times meshes were (re)built; the tests and benchmark read it

    def _check_thread(self):
        if threading.get_ident() != self._thread:
            raise RuntimeError("a SceneRenderer must be used on the thread that created it "
                               "(OpenGL contexts are per thread)")

    def set_content(self, content: SceneContent, fit_map: bool = False) -> None:
        """Replace the meshes if the content (or the fit map switch) changed since the last call."""
        self._check_thread()
        key = (content.version, bool(fit_map and content.has_strain))
        if key == self._key:
            return
        for node in self._mesh_nodes:
            self._scene.remove_node(node)
        body, outsides, insides = build_meshes(content, fit_map=key[1])
        add = lambda mesh: self._scene.add(mesh, name=mesh.name)
        # front to back, so hidden fragments fail the depth test before they are shaded: garments' outer
        # sides from the outermost layer in, the body, the garments' inner sides, the floor
        self._draw_order = ([add(m) for m in outsides[::-1]] + [add(body)] + [add(m) for m in insides]
                            + [add(build_floor(content))])
        self._mesh_nodes = list(self._draw_order)
        self._key = key
        self.uploads += 1

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
        self.uploads = 0

    def close(self) -> None:
        """Free the OpenGL context and buffers (on the owning thread)."""
        self._check_thread()
        if self._renderer is not None:
            import types

            platform = self._renderer._platform
            platform.make_current()
            self._target.delete()
            if hasattr(platform, "_egl_context"):
                platform.delete_context = types.MethodType(_destroy_egl_context_only, platform)
            self._renderer.delete()
            self._renderer = None


def _destroy_egl_context_only(platform) -> None:
    """pyrender's EGL platform calls ``eglTerminate`` on close, which kills every other context on the
    same device display (the GUI's renderer, when a second renderer closes); destroy only our context."""
    from OpenGL.EGL import EGL_NO_CONTEXT, EGL_NO_SURFACE, eglDestroyContext, eglMakeCurrent

    if platform._egl_display is not None and platform._egl_context is not None:
        eglMakeCurrent(platform._egl_display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT)
        eglDestroyContext(platform._egl_display, platform._egl_context)
    platform._egl_context = None
    platform._egl_display = None
