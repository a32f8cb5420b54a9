"""The renderer's meshes, kept by the geometry they show: a content seen before costs no upload.

A try-on loop flips between a few scenes: the same body in one size or another, one colour or another.
Each part of a scene (the body, a garment layer, the seat, the floor and its contact shadow) is turned into
pyrender meshes once per geometry and stays in the pyrender scene (so its buffers stay on the GPU)
while it is among the last ``MESH_PARTS_CACHED`` parts used; a frame draws only the parts of its content.
A part's geometry is known by the identity of its arrays (contents share the arrays of the content they
were made from, e.g. a recoloured one), and each entry holds those arrays, so no id is reused while
it is cached. Colours are not geometry: they are set on the materials for every content.
"""

from __future__ import annotations

from collections import OrderedDict

from .constants import FLOOR_SHADOW_HEIGHT_M, MESH_PARTS_CACHED
from .meshes import (build_body, build_floor, build_garment, build_seat, material_srgb, set_colour, skin_points,
                     vertex_colour_source)

_LAYER_ARRAYS = ("vertices", "faces", "texture", "uv", "fit_marks")  # a layer's geometry besides its strain


def _ids(objects) -> tuple:
    return tuple(id(o) for o in objects)


class MeshCache:
    """The meshes of the parts of the contents drawn lately, in one ``pyrender.Scene``.

    Parameters
    ----------
    scene : pyrender.Scene the meshes are added to (and removed from when they leave the cache)
    limit : parts kept; the parts of the content being drawn are always kept
    """

    def __init__(self, scene, limit: int = MESH_PARTS_CACHED):
        self._scene = scene
        self.limit = int(limit)
        self._parts: OrderedDict = OrderedDict()  # key -> (arrays it depends on, [node, ...])
        self._drawn: list = []
        self.built = 0  # parts made (each an upload); the tests read it

    def draw_order(self, content, fit_map: bool = False) -> tuple[list, int]:
        """The scene's nodes to draw for ``content``, front to back (so hidden fragments fail the depth test
        before they are shaded): the garments' outer sides from the outermost layer in, the body, the
        garments' inner sides, the seat, the floor. Parts not made before are made now; every colour is set.

        Returns
        -------
        nodes : list of pyrender.Node
        built : how many parts were made for it
        """
        before = self.built
        body_arrays = (content.body_vertices, content.skin_faces, content.other_faces)
        body_key = ("body",) + _ids(body_arrays)
        (body,) = self._part(body_key, body_arrays, lambda: [build_body(content)])
        set_colour(body.mesh, content.skin_srgb)
        axis = skin = None
        outsides, insides = [], []
        for g in content.garments:
            source = vertex_colour_source(g, fit_map)
            limit = g.stretch_limit or content.stretch_limit
            arrays = (content.body_vertices,) + tuple(getattr(g, f) for f in _LAYER_ARRAYS) + (
                (g.strain,) if source == "strain" else ())
            key = ("garment", source, limit if source == "strain" else None) + _ids(arrays)
            if key not in self._parts and axis is None:
                axis, skin = content.axis, skin_points(content)
            outside, inside = self._part(key, arrays, lambda g=g: list(build_garment(g, axis, content.stretch_limit,
                                                                                     skin, fit_map)))
            set_colour(outside.mesh, material_srgb(g, fit_map))
            outsides.append(outside)
            insides.append(inside)
        # the contact shadow falls from what is low: a top leaves the floor of the body alone as it was
        casters = (content.body_vertices,) + tuple(g.vertices for g in content.garments
                                                   if len(g.vertices) and g.vertices[:, 1].min() < FLOOR_SHADOW_HEIGHT_M)
        seat = content.seat
        (floor,) = self._part(("floor", seat) + _ids(casters), casters, lambda: [build_floor(content)])
        # a seat is known by its corners (a frozen value): the same seat under a recoloured body is not made again
        seats = self._part(("seat", seat), (), lambda: [build_seat(seat)]) if seat is not None else []
        nodes = outsides[::-1] + [body] + insides + seats + [floor]
        for node in self._drawn:
            node.mesh.is_visible = False
        for node in nodes:
            node.mesh.is_visible = True
        self._drawn = nodes
        self._evict(keep=set(map(id, nodes)))
        return nodes, self.built - before

    def _part(self, key, arrays, make) -> list:
        entry = self._parts.get(key)
        if entry is None:
            entry = self._parts[key] = (arrays, [self._scene.add(mesh, name=mesh.name) for mesh in make()])
            self.built += 1
        self._parts.move_to_end(key)
        return entry[1]

    def _evict(self, keep: set) -> None:
        for key in list(self._parts):
            if len(self._parts) <= self.limit:
                return
            nodes = self._parts[key][1]
            if any(id(n) in keep for n in nodes):
                continue
            for node in nodes:
                self._scene.remove_node(node)
            del self._parts[key]

    def clear(self) -> None:
        """Take every part out of the scene."""
        for _, nodes in self._parts.values():
            for node in nodes:
                self._scene.remove_node(node)
        self._parts.clear()
        self._drawn = []
