"""The nearest vertices looked up once per cell: the same as a k-d tree asked at the cell's centre."""

import numpy as np
from scipy.spatial import cKDTree

from garments.cell_neighbours import CellNeighbours


def test_cell_neighbours_are_the_tree_s_at_the_cell_centres_and_beyond_the_grid_the_point_s():
    rng = np.random.default_rng(0)
    vertices = rng.uniform([-0.3, 0.0, -0.2], [0.3, 1.7, 0.2], (4000, 3))
    cells = CellNeighbours(vertices, 4, 0.006, 0.1)
    tree = cKDTree(vertices)
    for _ in range(2):  # the second time every cell is known
        points = vertices[:500] + rng.normal(0.0, 0.005, (500, 3))
        centres = (np.floor((points - cells._origin) / 0.006) + 0.5) * 0.006 + cells._origin
        assert np.array_equal(cells.query(points), tree.query(centres, k=4)[1])
    far = np.array([[2.0, 3.0, 2.0], [-1.0, -1.0, 0.0]])
    assert np.array_equal(cells.query(far), tree.query(far, k=4)[1])
