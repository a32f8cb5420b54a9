"""The body's signed distance field: sign, values and projection, on a sphere and on the real body."""

import numpy as np
import pytest
import trimesh

from garments.sdf import build_sdf, closest_points_on_triangles


def test_sphere_distances_and_signs():
    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.3)
    field = build_sdf(sphere.vertices, sphere.faces, spacing=0.01, margin=0.05, band=0.03)
    rng = np.random.default_rng(0)
    points = rng.uniform(-0.32, 0.32, (4000, 3))
    exact = np.linalg.norm(points, axis=1) - 0.3
    near = np.abs(exact) < 0.02
    d = field.distance(points)
    assert np.abs(d[near] - exact[near]).max() < 0.0015  # polygonal sphere + interpolation
    assert (np.sign(d[np.abs(exact) > 0.003]) == np.sign(exact[np.abs(exact) > 0.003])).all()
    _, grad = field.distance_and_gradient(points[near])
    radial = points[near] / np.linalg.norm(points[near], axis=1, keepdims=True)
    assert np.median(np.einsum("ij,ij->i", grad, radial)) > 0.95


def test_closest_points_on_triangles_regions():
    tri = np.array([[[0, 0, 0], [1, 0, 0], [0, 1, 0]]] * 4, float)
    pts = np.array([[0.2, 0.2, 1.0], [-1, -1, 0], [0.5, -1, 0], [1, 1, 0]], float)
    q = closest_points_on_triangles(pts, tri)
    assert np.allclose(q, [[0.2, 0.2, 0], [0, 0, 0], [0.5, 0, 0], [0.5, 0.5, 0]])


def test_distances_by_frames_match_closest_points():
    from garments.triangles import distance_to_triangles

    rng = np.random.default_rng(1)
    tri = rng.normal(size=(3000, 3, 3)) * 0.01
    tri[:50, 2] = tri[:50, 0] + 2 * (tri[:50, 1] - tri[:50, 0])  # corners on one line
    tri[50:100, 1] = tri[50:100, 0]  # two corners at one place
    points = rng.normal(size=(3000, 3)) * 0.02
    exact = np.linalg.norm(points - closest_points_on_triangles(points, tri), axis=1)
    assert np.abs(distance_to_triangles(points, tri) - exact).max() < 1e-9


@pytest.mark.body
def test_body_field_signs_values_and_projection(body_model):
    from avatar.avatar import reference_avatar
    from garments.drape_constants import PENETRATION_TOL_M
    from garments.sdf import body_sdf

    avatar = reference_avatar("female")
    field = body_sdf(avatar)
    mesh = avatar.body_mesh
    # Points on the torso pushed 1.5 cm out and 1 cm in along the skin normal.
    torso = np.flatnonzero((mesh.vertices[:, 1] > 0.95) & (mesh.vertices[:, 1] < 1.35)
                           & (np.abs(mesh.vertices[:, 0]) < 0.12))
    normals = mesh.vertex_normals[torso]
    outside = mesh.vertices[torso] + 0.015 * normals
    inside = mesh.vertices[torso] - 0.01 * normals
    d_out, d_in = field.distance(outside), field.distance(inside)
    assert (d_out > 0).mean() > 0.99 and (d_in < 0).mean() > 0.99
    assert abs(np.median(d_out) - 0.015) < 0.002 and abs(np.median(d_in) + 0.01) < 0.002
    moved, _ = field.project_out(inside, 0.003)
    assert field.distance(moved).min() > -PENETRATION_TOL_M
    assert body_sdf(avatar) is field  # cached per body


def test_winding_numbers_count_overlapping_parts():
    from garments.winding import project_mesh, winding_at, winding_on_grid

    left = trimesh.creation.icosphere(subdivisions=3, radius=0.1)
    right = left.copy()
    right.apply_translation([0.15, 0, 0])
    both = trimesh.util.concatenate([left, right])  # one mesh whose two parts overlap in a lens
    points = np.array([[0.0, 0.0, 0.0], [0.075, 0.0, 0.0], [0.15, 0.01, 0.0], [0.3, 0.0, 0.0], [0.075, 0.2, 0.0]])
    assert winding_at(points, project_mesh(both.vertices, both.faces)).tolist() == [1, 2, 1, 0, 0]
    h, origin = 0.01, np.array([-0.1234567, -0.1176543, -0.12])  # off the vertices, as build_sdf places it
    grid = winding_on_grid(both.vertices, both.faces, origin, h, (30, 25, 25))
    ijk = np.argwhere(np.ones(grid.shape, bool))[::37]
    assert (winding_at(origin + ijk * h, project_mesh(both.vertices, both.faces)) == grid[tuple(ijk.T)]).all()


def test_skin_buried_in_another_part_gives_no_distances():
    """Two parts pressed into each other (heavy thighs): the field measures to the outer surface only, so
    the lens where they overlap reads as deep inside, and in the crease where they meet the gradient points
    out of the crease instead of across it at the other part's buried skin."""
    left = trimesh.creation.icosphere(subdivisions=4, radius=0.1)
    right = left.copy()
    right.apply_translation([0.16, 0, 0])
    both = trimesh.util.concatenate([left, right])
    field = build_sdf(both.vertices, both.faces, spacing=0.008, margin=0.05, band=0.015)
    # Middle of the lens: 6 cm from the outer surface (the circle where the spheres meet), 2 cm from the
    # buried skin of either sphere.
    assert field.distance(np.array([[0.08, 0.0, 0.0]]))[0] < -0.04
    # Just outside the crease, in front: the way out is forward (+z), not sideways.
    rim = np.sqrt(0.1 ** 2 - 0.08 ** 2)
    d, g = field.distance_and_gradient(np.array([[0.082, 0.0, rim + 0.004]]))
    assert g[0, 2] > 0.7 * np.linalg.norm(g[0])
    moved, _ = field.project_out(np.array([[0.082, 0.0, rim - 0.004]]), 0.003)
    assert field.distance(moved)[0] > 0.0 and moved[0, 2] > rim
