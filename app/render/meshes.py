"""The content of the 3D view as pyrender meshes: skin, garments (both sides), the seat and the floor disc.

pyrender is imported inside the functions: importing this module, like building content, needs no OpenGL.
"""

from __future__ import annotations

import math

import numpy as np

from avatar.colour import srgb_to_linear
from avatar.surface import vertex_normals

from .constants import (
    BACKGROUND_SRGB,
    EYE_SRGB,
    FLOOR_RADIUS_M,
    FLOOR_SHADOW_BLUR_M,
    FLOOR_SHADOW_HEIGHT_M,
    FLOOR_SHADOW_PX,
    FLOOR_SHADOW_STRENGTH,
    FLOOR_SRGB,
    GARMENT_ROUGHNESS,
    SEAT_ROUGHNESS,
    SEAT_SRGB,
    SKIN_ROUGHNESS,
)
from .content import SceneContent
from .fit_overlay import hatch_coordinates
from .fitmap import strain_colours
from .skin_side import skin_side_shade


def _base_colour(srgb) -> np.ndarray:
    """(4,) float: a material's linear RGBA factor for the sRGB colour ``srgb`` (None: white, the
    colours coming from the vertices)."""
    return np.r_[srgb_to_linear(srgb), 1.0] if srgb is not None else np.ones(4)


def _material(srgb, roughness, double_sided=False, texture=None, name=None):
    import pyrender

    base = _base_colour(srgb)
    kwargs = {}
    if texture is not None:
        kwargs["baseColorTexture"] = pyrender.Texture(source=np.ascontiguousarray(texture[..., :3]),
                                                      source_channels="RGB",
                                                      sampler=pyrender.Sampler(magFilter=9729, minFilter=9987))
    return pyrender.MetallicRoughnessMaterial(baseColorFactor=base, metallicFactor=0.0, roughnessFactor=roughness,
                                              doubleSided=double_sided, name=name, **kwargs)


def _primitive(vertices, faces, material, colours=None, uv=None, normals=None, shade=None, hatch=None):
    """``colours``: (N, 3) sRGB per vertex or None; ``normals``: (N, 3) or None (computed from ``faces``);
    ``shade``: (N,) linear light factor per vertex or None; ``hatch``: (N, 2) ``fit_overlay.hatch_coordinates``
    or None."""
    import pyrender

    color_0 = None
    if colours is not None or shade is not None:
        linear = srgb_to_linear(colours) if colours is not None else np.ones((len(vertices), 3))
        if shade is not None:
            linear = linear * np.asarray(shade)[:, None]
        color_0 = np.c_[linear, np.ones(len(linear))].astype(np.float32)
    if normals is None:
        normals = vertex_normals(vertices, faces)
    return pyrender.Primitive(positions=vertices, normals=np.asarray(normals, np.float32), indices=faces,
                              color_0=color_0, texcoord_0=uv, texcoord_1=hatch, material=material, mode=4)


def _outward_faces(vertices: np.ndarray, faces: np.ndarray, axis: tuple[float, float]) -> np.ndarray:
    """``faces`` wound so that most face normals point away from the body's vertical axis."""
    v = vertices.astype(np.float64)
    f = faces.astype(np.int64)
    normal = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    radial = v[f].mean(axis=1) - np.array([axis[0], 0.0, axis[1]])
    radial[:, 1] = 0.0
    return faces if np.einsum("ij,ij->", normal, radial) >= 0 else np.ascontiguousarray(faces[:, ::-1])


def vertex_colour_source(g, fit_map: bool) -> str | None:
    """What colours a garment layer besides its material: "strain" (the fit map's colours on its vertices),
    "marks" (the shader's hatching of zones that won't close, over the layer's own colour) or None."""
    if fit_map and g.strain is not None:
        return "strain"
    return "marks" if g.fit_marks is not None else None


def material_srgb(g, fit_map: bool):
    """The sRGB colour of a garment layer's material: None when its vertices carry the fit map's colours, else
    the layer's colour (under a print it multiplies the texture, as glTF's base colour factor does: a white
    variant shows the print as designed)."""
    return None if vertex_colour_source(g, fit_map) == "strain" else g.colour


def set_colour(mesh, srgb) -> None:
    """Give a mesh made here the material colour ``srgb`` (None: white, the vertices' colours); nothing is
    uploaded again (the insides share the outsides' material)."""
    mesh.primitives[0].material.baseColorFactor = _base_colour(srgb)


def build_body(content: SceneContent):
    """The body's ``pyrender.Mesh``: skin (in ``content.skin_srgb``) and the dark parts."""
    import pyrender

    v = content.body_vertices
    body = [_primitive(v, content.skin_faces, _material(content.skin_srgb, SKIN_ROUGHNESS, name="skin"))]
    if len(content.other_faces):
        body.append(_primitive(v, content.other_faces, _material(EYE_SRGB, 0.4, name="eyes")))
    return pyrender.Mesh(body, name="avatar")


def skin_points(content: SceneContent) -> np.ndarray:
    """(S, 3) float, metres: the body's skin vertices (all of them when no face is marked skin)."""
    v = content.body_vertices
    return v[np.unique(content.skin_faces)] if len(content.skin_faces) else v


def build_garment(g, axis: tuple[float, float], stretch_limit: float, skin: np.ndarray,
                  fit_map: bool = False) -> tuple:
    """One garment layer's outer and inner side, both back-face culled ``pyrender.Mesh`` objects sharing
    one material. Drawn outsides, body, insides, the body hides most of the insides from the depth test
    before they are shaded; together they look like one two-sided cloth. Either side is dimmed where it
    faces the skin (``skin_side_shade``).

    Parameters
    ----------
    g : GarmentLayer
    axis : (x, z) metres of the body's vertical axis (``SceneContent.axis``): the outside faces away from it
    stretch_limit : the content's strain fraction drawn fully red, for a layer without its own
    skin : (S, 3) float, metres; the body's skin vertices (``skin_points``)
    """
    import pyrender

    colours, uv, texture, hatch = None, None, None, None
    source = vertex_colour_source(g, fit_map)
    if source == "strain":
        colours = strain_colours(g.strain, g.stretch_limit or stretch_limit)
    elif g.texture is not None:
        texture, uv = g.texture, g.uv
    if source == "marks":  # zones that won't close: hatched red by the shader (app.render.fit_overlay)
        hatch = hatch_coordinates(g)
    material = _material(material_srgb(g, fit_map), GARMENT_ROUGHNESS, texture=texture, name=g.name)
    faces = _outward_faces(g.vertices, g.faces, axis)
    normals = vertex_normals(g.vertices, faces)
    outer_shade, inner_shade = skin_side_shade(g.vertices, faces, skin)
    outside = _primitive(g.vertices, faces, material, colours=colours, uv=uv, normals=normals, shade=outer_shade,
                         hatch=hatch)
    inside = _primitive(g.vertices, np.ascontiguousarray(faces[:, ::-1]), material, colours=colours, uv=uv,
                        normals=-normals, shade=inner_shade, hatch=hatch)  # the reversed winding's normals
    return pyrender.Mesh([outside], name=f"{g.name} outside"), pyrender.Mesh([inside], name=f"{g.name} inside")


def build_seat(seat):
    """The seat's ``pyrender.Mesh``: a matt box in ``SEAT_SRGB`` (``app.render.seat.Seat``)."""
    import pyrender

    vertices, faces, normals = seat.mesh()
    prim = _primitive(vertices, faces, _material(SEAT_SRGB, SEAT_ROUGHNESS, name="seat"), normals=normals)
    return pyrender.Mesh([prim], name="seat")


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


def seat_footprint(seat, step_m: float = 0.01) -> np.ndarray:
    """(N, 3) float, metres: points on the floor under the seat, ``step_m`` apart (its contact shadow's casters)."""
    xs = np.arange(seat.lo[0], seat.hi[0] + step_m / 2, step_m)
    zs = np.arange(seat.lo[2], seat.hi[2] + step_m / 2, step_m)
    x, z = np.meshgrid(xs, zs)
    return np.c_[x.ravel(), np.zeros(x.size), z.ravel()].astype(np.float32)


def build_floor(content: SceneContent, segments: int = 96):
    """A floor disc centred under the body with the contact shadow baked into its texture."""
    import pyrender

    cx, cz = content.axis
    r = FLOOR_RADIUS_M
    casters = np.concatenate([content.body_vertices] + [g.vertices for g in content.garments]
                             + ([seat_footprint(content.seat)] if content.seat is not None else []))
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
