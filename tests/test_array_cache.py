"""The content-keyed caches shared by cloth models, distance fields and bindings, and the vertex-face table."""

import numpy as np

from avatar.surface import vertex_face_table
from garments.array_cache import ArrayCache, array_key


def test_array_key_follows_content_dtype_and_order():
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    assert array_key(a, 0.03) == array_key(a.copy(), 0.03)
    assert array_key(a, 0.03) != array_key(a, 0.02)
    assert array_key(a) != array_key(a.astype(np.float32))
    assert array_key(a, a + 1) != array_key(a + 1, a)
    assert array_key(np.asfortranarray(a)) == array_key(a)  # made contiguous (C order) first


def test_cache_builds_once_and_drops_the_least_recently_used():
    built = []
    cache: ArrayCache[str] = ArrayCache(2)

    def get(key):
        return cache.get(key, lambda: built.append(key) or key.upper())

    assert get("a") == "A" and get("b") == "B" and get("a") == "A"
    assert built == ["a", "b"]
    get("c")  # "b" is the least recently used now
    assert len(cache) == 2
    get("a")
    get("b")
    assert built == ["a", "b", "c", "b"]
    cache.clear()
    assert len(cache) == 0


def test_vertex_face_table_lists_each_vertexs_faces_in_order():
    faces = np.array([[0, 1, 2], [0, 2, 3], [3, 2, 4]])
    table = vertex_face_table(faces, 6)  # vertex 5 is in no face
    assert table.shape == (6, 3)
    assert table[0].tolist() == [0, 1, -1]
    assert table[2].tolist() == [0, 1, 2]
    assert table[4].tolist() == [2, -1, -1]
    assert table[5].tolist() == [-1, -1, -1]
