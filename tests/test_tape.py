"""The tape on shapes whose girths are known exactly."""

import math

import numpy as np
import pytest
import trimesh

from avatar.tape import girth_at, section_loops


def test_cylinder_girth_is_its_circumference():
    mesh = trimesh.creation.cylinder(radius=0.15, height=1.0, sections=256)
    loop = girth_at(mesh.vertices, mesh.faces, [0, 0, 0.1], [0, 0, 1])
    assert loop.girth_m == pytest.approx(2 * math.pi * 0.15, rel=1e-3)
    assert np.allclose(loop.centre, [0, 0, 0.1], atol=1e-6)


def test_box_girth_and_tilted_plane():
    mesh = trimesh.creation.box(extents=[0.4, 0.2, 1.0])
    loop = girth_at(mesh.vertices, mesh.faces, [0, 0, 0], [0, 0, 1])
    assert loop.girth_m == pytest.approx(2 * (0.4 + 0.2), rel=1e-9)
    # A plane tilted 30 degrees about y stretches the x side by 1/cos(30).
    n = [math.sin(math.radians(30)), 0, math.cos(math.radians(30))]
    tilted = girth_at(mesh.vertices, mesh.faces, [0, 0, 0], n)
    assert tilted.girth_m == pytest.approx(2 * (0.4 / math.cos(math.radians(30)) + 0.2), rel=1e-9)


def test_tape_bridges_hollows():
    # A star-shaped prism: the tape follows the convex hull, not the concave outline.
    angles = np.linspace(0, 2 * np.pi, 10, endpoint=False)
    radii = np.where(np.arange(10) % 2 == 0, 0.2, 0.1)
    outline = np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)
    # Prism by hand: side quads plus two fans from the centre.
    n = len(outline)
    ring = np.concatenate([np.c_[outline, np.zeros(n)], np.c_[outline, np.full(n, 0.5)], [[0, 0, 0], [0, 0, 0.5]]])
    i = np.arange(n)
    j = (i + 1) % n
    faces = np.concatenate([np.c_[i, j, n + j], np.c_[i, n + j, n + i], np.c_[np.full(n, 2 * n), j, i],
                            np.c_[np.full(n, 2 * n + 1), n + i, n + j]])
    mesh = trimesh.Trimesh(ring, faces, process=False)
    assert mesh.is_watertight
    loop = girth_at(mesh.vertices, mesh.faces, [0, 0, 0.25], [0, 0, 1])
    tips = outline[::2]
    pentagon = np.sum(np.linalg.norm(tips - np.roll(tips, -1, axis=0), axis=1))
    assert loop.girth_m == pytest.approx(pentagon, rel=1e-9)


def test_picks_the_loop_around_the_origin():
    # Three separate cylinders, like a torso with two arms: only the middle one is measured.
    torso = trimesh.creation.cylinder(radius=0.15, height=1.0, sections=128)
    arm_l = trimesh.creation.cylinder(radius=0.05, height=1.0, sections=128)
    arm_l.apply_translation([0.3, 0, 0])
    arm_r = arm_l.copy()
    arm_r.apply_translation([-0.6, 0, 0])
    scene = trimesh.util.concatenate([torso, arm_l, arm_r])
    loops = section_loops(scene.vertices, scene.faces, [0, 0, 0], [0, 0, 1])
    assert len(loops) == 3
    assert girth_at(scene.vertices, scene.faces, [0, 0, 0], [0, 0, 1]).girth_m == pytest.approx(2 * math.pi * 0.15, rel=1e-3)
    assert girth_at(scene.vertices, scene.faces, [0.3, 0, 0], [0, 0, 1]).girth_m == pytest.approx(2 * math.pi * 0.05, rel=1e-3)


def test_plane_missing_the_mesh_gives_nothing():
    mesh = trimesh.creation.box(extents=[1, 1, 1])
    assert girth_at(mesh.vertices, mesh.faces, [0, 0, 5], [0, 0, 1]) is None


def test_hull_perimeter_in_the_plane_of_a_section():
    from avatar.tape import hull_perimeter, in_plane

    square = np.array([[0, 0, 0.2], [0.3, 0, 0.2], [0.3, 0.3, 0.2], [0, 0.3, 0.2], [0.1, 0.1, 0.2]])
    flat = in_plane(square, [0, 0, 0.2], [0, 0, 1])
    assert flat.shape == (5, 2)
    assert hull_perimeter(flat) == pytest.approx(1.2, rel=1e-9)  # the inner point is bridged
    assert hull_perimeter(flat[:2]) == 0.0
    assert hull_perimeter(np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])) == 0.0  # collinear


def test_every_measurement_has_one_rule():
    from avatar.measure import MEASURERS
    from avatar.measurements import MEASUREMENT_NAMES

    assert set(MEASURERS) == set(MEASUREMENT_NAMES)


def test_loops_are_the_same_whatever_the_faces_winding():
    # Three cylinders cut at once; with every other face flipped the crossing edges no longer form one
    # permutation, and the loops come from walking the graph instead: the same loops either way.
    parts = [trimesh.creation.cylinder(radius=r, height=1.0, sections=64) for r in (0.15, 0.05, 0.05)]
    parts[1].apply_translation([0.3, 0, 0])
    parts[2].apply_translation([-0.3, 0, 0])
    scene = trimesh.util.concatenate(parts)
    flipped = scene.faces.copy()
    flipped[::2] = flipped[::2, ::-1]
    wound = section_loops(scene.vertices, scene.faces, [0, 0, 0.1], [0, 0, 1])
    unwound = section_loops(scene.vertices, flipped, [0, 0, 0.1], [0, 0, 1])
    assert len(wound) == len(unwound) == 3
    for a, b in zip(wound, unwound):
        assert np.allclose(np.sort(a, axis=0), np.sort(b, axis=0))


def test_cycle_minima_of_a_permutation():
    from avatar.tape import _cycle_minima

    successor = np.array([3, 0, 4, 1, 2, 5])  # cycles (0 3 1), (2 4), (5)
    assert _cycle_minima(successor).tolist() == [0, 0, 2, 0, 2, 5]
