"""Mesh operations garments are made with.

Cut a triangle surface along a smooth scalar field, find connected components and boundary loops
with consistent winding, extrude and smooth loops, and cut plane sections. Index arrays only: no
units beyond those of the vertices passed in (metres throughout the project).
"""

from __future__ import annotations

import numpy as np


def cut_by_field(faces: np.ndarray, field: np.ndarray, eps: float = 1e-4):
    """Keep the part of a triangle mesh where a per-vertex scalar field is >= 0, cut along its zero line.

    Parameters
    ----------
    faces : (F, 3) int
    field : (V,) float; linear over each triangle
    eps : values within ``eps`` of zero count as on the line (no sliver triangles)

    Returns
    -------
    parents : (N, 2) int; each output vertex lies on the segment between these two input vertices
    t : (N,) float; position along it (output = (1 - t) * X[p0] + t * X[p1])
    out_faces : (M, 3) int, indexing the output vertices, winding as the input
    """
    f = np.where(np.abs(field) < eps, 0.0, field)
    inside = f >= 0
    keep_v = np.unique(faces[inside[faces].any(axis=1)])
    index = {int(v): i for i, v in enumerate(keep_v)}
    parents = [[int(v), int(v)] for v in keep_v]
    ts = [0.0] * len(keep_v)
    edge_vertex: dict[tuple[int, int], int] = {}

    def crossing(a: int, b: int) -> int:  # a inside, b outside
        if f[a] == 0:
            return index[a]
        key = (a, b) if a < b else (b, a)
        if key not in edge_vertex:
            t = f[a] / (f[a] - f[b])
            edge_vertex[key] = len(parents)
            parents.append([a, b])
            ts.append(float(t))
        return edge_vertex[key]

    out = []
    full = inside[faces].all(axis=1)
    for tri in faces[full]:
        out.append([index[int(x)] for x in tri])
    for tri in faces[inside[faces].any(axis=1) & ~full]:
        tri = [int(x) for x in tri]
        ins = [inside[x] for x in tri]
        k = ins.index(True) if sum(ins) == 1 else ins.index(False)
        a, b, c = tri[k], tri[(k + 1) % 3], tri[(k + 2) % 3]  # rotation keeps the winding
        if sum(ins) == 1:  # only a inside
            out.append([index[a], crossing(a, b), crossing(a, c)])
        else:  # a outside, b and c inside
            ab, ac = crossing(b, a), crossing(c, a)
            out.append([ab, index[b], index[c]])
            out.append([ab, index[c], ac])
    out = np.asarray(out, np.int64).reshape(-1, 3)
    # faces collapsed by on-line vertices
    good = (out[:, 0] != out[:, 1]) & (out[:, 1] != out[:, 2]) & (out[:, 0] != out[:, 2])
    return np.asarray(parents, np.int64), np.asarray(ts), out[good]


def components(faces: np.ndarray, n_vertices: int) -> np.ndarray:
    """(V,) int: connected component label of each vertex (through shared faces)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    g = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n_vertices, n_vertices))
    return connected_components(g, directed=False)[1]


def compact(vertices: np.ndarray, faces: np.ndarray, keep_faces: np.ndarray | None = None):
    """Drop unused vertices. Returns (vertices, faces, old_index_of_each_new_vertex)."""
    if keep_faces is not None:
        faces = faces[keep_faces]
    used = np.unique(faces)
    remap = np.full(len(vertices), -1, np.int64)
    remap[used] = np.arange(len(used))
    return vertices[used], remap[faces], used


def largest_component(vertices: np.ndarray, faces: np.ndarray):
    """Keep the largest connected piece. Returns (vertices, faces, old_index_of_each_new_vertex)."""
    labels = components(faces, len(vertices))
    counts = np.bincount(labels[faces[:, 0]], minlength=labels.max() + 1)
    return compact(vertices, faces, labels[faces[:, 0]] == np.argmax(counts))


def boundary_loops(faces: np.ndarray) -> list[np.ndarray]:
    """Open boundary loops, each ordered so that ``loop[i] -> loop[i+1]`` is a directed edge of a face.

    Returns
    -------
    loops : list of (k,) int arrays, longest first
    """
    faces = np.asarray(faces, np.int64)
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    # Directed edges as integer codes, in numpy (a set of Python tuples holds the interpreter's lock for
    # the whole build: a drape worker doing it stalled the window by up to 150 ms).
    n = int(faces.max()) + 1 if len(faces) else 1
    code = np.unique(e[:, 0] * n + e[:, 1])
    boundary = code[~np.isin((code % n) * n + code // n, code)]  # directed edges whose reverse is missing
    nxt: dict[int, list[int]] = {}
    for a, b in zip((boundary // n).tolist(), (boundary % n).tolist()):
        nxt.setdefault(a, []).append(b)
    loops, seen = [], set()
    for start in list(nxt):
        if start in seen:
            continue
        loop, v = [], start
        while v not in seen and v in nxt:
            seen.add(v)
            loop.append(v)
            v = nxt[v][0]
        if len(loop) >= 3 and v == start:
            loops.append(np.asarray(loop))
    return sorted(loops, key=len, reverse=True)


def neighbours(faces: np.ndarray, n_vertices: int):
    """Sparse (V, V) adjacency matrix with ones on mesh edges."""
    from scipy.sparse import coo_matrix

    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    e = np.concatenate([e, e[:, ::-1]])
    m = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n_vertices, n_vertices)).tocsr()
    m.data[:] = 1.0
    return m


def taubin(vertices: np.ndarray, faces: np.ndarray, iterations: int = 10, fixed: np.ndarray | None = None,
           lam: float = 0.5, mu: float = -0.53) -> np.ndarray:
    """Taubin smoothing (shrinks little); ``fixed`` (V,) bool vertices do not move. Returns (V, 3)."""
    adj = neighbours(faces, len(vertices))
    deg = np.asarray(adj.sum(axis=1)).ravel()
    deg[deg == 0] = 1
    v = vertices.copy()
    move = np.ones(len(v), bool) if fixed is None else ~fixed
    for _ in range(iterations):
        for k in (lam, mu):
            delta = adj @ v / deg[:, None] - v
            v[move] += k * delta[move]
    return v


def loop_length(points: np.ndarray) -> float:
    """Length of a closed polyline, metres; ``points`` (n, 3) in order."""
    return float(np.linalg.norm(points - np.roll(points, 1, axis=0), axis=1).sum())


def smooth_loop(points: np.ndarray, iterations: int = 10, k: float = 0.5) -> np.ndarray:
    """Laplacian smoothing of a closed polyline, (n, 3) -> (n, 3)."""
    p = points.copy()
    for _ in range(iterations):
        p = p + k * (0.5 * (np.roll(p, 1, 0) + np.roll(p, -1, 0)) - p)
    return p


def extrude_loop(vertices: np.ndarray, faces: np.ndarray, loop: np.ndarray, rings: list[np.ndarray]):
    """Add quad strips from a boundary loop through successive rings, keeping the winding consistent.

    Parameters
    ----------
    vertices : (V, 3) float
    faces : (F, 3) int
    loop : (k,) int; as returned by ``boundary_loops``
    rings : list of (k, 3) float; ring i is joined to ring i - 1 (ring -1 is the loop)

    Returns
    -------
    vertices : (V + k * len(rings), 3), faces : (F + 2 k len(rings), 3), last ring's indices (k,)
    """
    prev = loop
    new_v, new_f = [vertices], [faces]
    n = len(vertices)
    for ring in rings:
        cur = np.arange(n, n + len(loop))
        n += len(loop)
        new_v.append(ring)
        a, b = prev, np.roll(prev, -1)
        a2, b2 = cur, np.roll(cur, -1)
        # the loop edge a->b is used by an existing face, so the new faces use b->a
        new_f.append(np.stack([b, a, a2], axis=1))
        new_f.append(np.stack([b, a2, b2], axis=1))
        prev = cur
    return np.concatenate(new_v), np.concatenate(new_f), prev


def section_polylines(vertices: np.ndarray, faces: np.ndarray, point: np.ndarray,
                      normal: np.ndarray) -> list[np.ndarray]:
    """Closed polylines where the plane (point, normal) cuts an open or closed mesh, as (k, 3) arrays.

    Each polyline's points are in order along it, and chains that end at the mesh's boundary are left out.
    (``avatar.tape.section_loops`` gives a closed body's loops as unordered point sets, for the tape's hull.)
    """
    d = (vertices - point) @ normal
    sd = d[faces]
    cross = ((sd > 0).any(axis=1)) & ((sd <= 0).any(axis=1))
    segs = {}
    adjacency: dict[tuple, list[tuple]] = {}
    for tri in faces[cross]:
        pts = []
        for i in range(3):
            a, b = int(tri[i]), int(tri[(i + 1) % 3])
            if (d[a] > 0) != (d[b] > 0):
                key = (min(a, b), max(a, b))
                if key not in segs:
                    t = d[a] / (d[a] - d[b])
                    segs[key] = vertices[a] + t * (vertices[b] - vertices[a])
                pts.append(key)
        if len(pts) == 2:
            adjacency.setdefault(pts[0], []).append(pts[1])
            adjacency.setdefault(pts[1], []).append(pts[0])
    loops, seen = [], set()
    for start in adjacency:
        if start in seen:
            continue
        chain, prev, cur = [start], None, start
        seen.add(start)
        while True:
            nxt = [k for k in adjacency[cur] if k != prev and k not in seen]
            if not nxt:
                break
            prev, cur = cur, nxt[0]
            seen.add(cur)
            chain.append(cur)
        closed = start in adjacency[cur] and len(chain) > 2
        if closed:
            loops.append(np.asarray([segs[k] for k in chain]))
    return loops
