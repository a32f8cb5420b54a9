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
