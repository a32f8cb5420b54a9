"""What a mesh file declares before it is parsed: vertex and face counts, and indices no parser may accept.

The counts let an import refuse a file that would need gigabytes to parse, reading it in chunks
(never whole into memory). OBJ face indices start at 1, so an index of 0 is refused here: a
parser would take it as "the last vertex" and import a silently broken mesh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .constants import MAX_PLY_HEADER_BYTES
from .errors import GarmentImportError

_CHUNK = 4 * 1024 * 1024
# An OBJ face (or line) element whose vertex, texture or normal index is 0 or -0.
# It starts with the line break (every block from _lines starts with one) so the scan jumps from line to line.
_OBJ_ZERO_INDEX = re.compile(rb"\n[ \t]*f[ \t][^\n]*?(?<![0-9])-?0(?![0-9.])")
# An OBJ face index of more digits than this is beyond any importable mesh (the limits allow 800,000
# faces), and a parser sizing its arrays by the largest index would ask for terabytes.
MAX_INDEX_DIGITS = 7
_OBJ_HUGE_INDEX = re.compile(rb"\n[ \t]*f[ \t][^\n]*?[0-9]{%d}" % (MAX_INDEX_DIGITS + 1))
_PLY_ELEMENT = re.compile(rb"^element[ \t]+(\w+)[ \t]+(\d+)", re.M)


@dataclass(frozen=True)
class DeclaredCounts:
    """Vertex and face counts a file declares (0 when its format does not say)."""

    vertices: int = 0
    faces: int = 0


def declared_counts(path: Path, ext: str, stop_above: DeclaredCounts | None = None) -> DeclaredCounts:
    """Count what ``path`` (of type ``ext``, e.g. ".obj") declares, cheaply and in bounded memory.

    With ``stop_above``, counting a text file stops as soon as either count passes that limit (the
    counts returned are then partial, but already over it).

    OBJ: its ``v`` and ``f`` lines; PLY: the vertex and face elements of its whole header; binary STL:
    half its triangle count (about two triangles per vertex once the soup is welded); ASCII STL: its
    facets likewise. Raises GarmentImportError for an OBJ face using index 0 or a PLY header that never ends.
    """
    if ext == ".obj":
        return _obj_counts(path, stop_above)
    if ext == ".ply":
        return _ply_counts(path)
    if ext == ".stl":
        return _stl_counts(path)
    return DeclaredCounts()


def _lines(path: Path):
    """The file in chunks that end at a line break (the last chunk may not), each starting with a newline."""
    with open(path, "rb") as handle:
        rest = b"\n"
        while chunk := handle.read(_CHUNK):
            chunk = rest + chunk
            cut = chunk.rfind(b"\n")
            if cut <= 0:
                rest = chunk
                continue
            yield chunk[:cut + 1]
            rest = chunk[cut:]
        if rest.strip():
            yield rest + b"\n"


def _obj_counts(path: Path, stop_above: DeclaredCounts | None) -> DeclaredCounts:
    vertices = faces = 0
    for block in _lines(path):
        vertices += block.count(b"\nv ") + block.count(b"\nv\t")
        faces += block.count(b"\nf ") + block.count(b"\nf\t")
        if stop_above is not None and (vertices > stop_above.vertices or faces > stop_above.faces):
            break
        if b"f" in block and _OBJ_ZERO_INDEX.search(block):
            raise GarmentImportError(f"{path.name} has a face using vertex index 0, but OBJ indices start at 1; "
                                     "export the mesh again from your modelling program")
        if b"f" in block and _OBJ_HUGE_INDEX.search(block):
            raise GarmentImportError(f"{path.name} has a face using an index of more than {MAX_INDEX_DIGITS} digits, "
                                     "beyond any vertex; repair the mesh and export it again")
    return DeclaredCounts(vertices, faces)


def _ply_counts(path: Path) -> DeclaredCounts:
    with open(path, "rb") as handle:
        head = handle.read(MAX_PLY_HEADER_BYTES + len(b"end_header"))
    end = head.find(b"end_header")
    if end < 0:
        if len(head) > MAX_PLY_HEADER_BYTES:
            raise GarmentImportError(f"{path.name} has a PLY header longer than {MAX_PLY_HEADER_BYTES // 1024} KB "
                                     "(real ones are under 1 KB); export the mesh again")
        raise GarmentImportError(f"{path.name} has no end to its PLY header; export the mesh again")
    counts = {b"vertex": 0, b"face": 0}
    for kind, number in _PLY_ELEMENT.findall(head[:end].replace(b"\r", b"")):
        if kind in counts:
            counts[kind] += int(number)
    return DeclaredCounts(counts[b"vertex"], counts[b"face"])


def _stl_counts(path: Path) -> DeclaredCounts:
    with open(path, "rb") as handle:
        head = handle.read(84)
    size = path.stat().st_size
    if len(head) == 84 and not head[:5].lower() == b"solid":
        triangles = int.from_bytes(head[80:84], "little")
        if 84 + 50 * triangles == size:
            return DeclaredCounts(triangles // 2, triangles)
        return DeclaredCounts()
    facets = sum(block.count(b"endfacet") for block in _lines(path))
    return DeclaredCounts(facets // 2, facets)
