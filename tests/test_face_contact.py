"""Whole cloth triangles stay off the skin: on a sphere, and for catalog garments on heavy and slim bodies."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def ball():
    """A 10 cm sphere's distance field."""
    import trimesh

    from garments.sdf import build_sdf

    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.1)
    return build_sdf(sphere.vertices, sphere.faces, spacing=0.004)


def coarse_shell(radius):
    """A coarse sphere (edges ~6 cm) whose corners sit at ``radius``: its flat faces cut inside it."""
    import trimesh

    shell = trimesh.creation.icosphere(subdivisions=1, radius=radius)
    return np.asarray(shell.vertices), np.asarray(shell.faces)


def test_corners_outside_do_not_keep_faces_outside(ball):
    from garments.face_contact import face_clearance

    vertices, faces = coarse_shell(0.103)
    assert ball.distance(vertices).min() > 0.002  # every corner is well off the skin...
    assert face_clearance(vertices, faces, ball).min() < -0.003  # ...yet the faces cut 3+ mm into it


def test_pushing_faces_out_lifts_every_face_point_and_only_moves_outwards(ball):
    from garments.drape_constants import FACE_CLEARANCE_M
    from garments.face_contact import face_clearance, face_points, push_faces_out

    vertices, faces = coarse_shell(0.103)
    pushed = push_faces_out(vertices, faces, ball, passes=30)
    assert face_clearance(pushed, faces, ball).min() > 0.8 * FACE_CLEARANCE_M
    assert (np.linalg.norm(pushed, axis=1) >= np.linalg.norm(vertices, axis=1) - 1e-9).all()
    # denser points than the ones pushed are outside too (a finer barycentric grid)
    weights = np.array([[a / 8, b / 8, (8 - a - b) / 8] for a in range(9) for b in range(9 - a)])
    dense = face_points(pushed, faces, weights).reshape(-1, 3)
    assert ball.distance(dense).min() > 0.0


def test_a_face_through_the_body_is_neither_pushed_in_nor_flung_off(ball):
    """A long face from the front of the ball to its back (cloth bridging heavy thighs pressed together)
    cannot be lifted out: lifting its inner points flung its corners 5-7 cm away from the ball or could
    carry them into it. Its corners stay out of the ball and within reach of it."""
    from garments.drape_constants import FACE_LIFT_REACH_M
    from garments.face_contact import face_clearance, push_faces_out

    vertices = np.array([[-0.04, 0.0, 0.0975], [0.04, 0.0, 0.0975], [0.0, -0.03, -0.1005]])  # 5 mm off it
    faces = np.array([[0, 1, 2]])
    assert face_clearance(vertices, faces, ball).min() < -0.05  # the face runs through the ball
    before = ball.distance(vertices)
    pushed = push_faces_out(vertices, faces, ball)
    after = ball.distance(pushed)
    assert (after >= before - 1e-6).all()  # no corner pushed into the ball
    assert (after <= FACE_LIFT_REACH_M + 1e-6).all()  # ...nor flung away


def test_faces_already_clear_are_left_alone(ball):
    import trimesh

    from garments.face_contact import push_faces_out

    fine = trimesh.creation.icosphere(subdivisions=4, radius=0.11)
    assert np.array_equal(push_faces_out(fine.vertices, fine.faces, ball), fine.vertices)


@pytest.mark.body
def test_a_too_small_tee_on_a_heavy_body_does_not_cut_the_skin(body_model):
    """Tight cloth is where faces are pressed onto the skin: sample every face densely, all outside."""
    from avatar.fitting import fit_avatar
    from garments.catalog import get_garment
    from garments.face_contact import face_points
    from garments.outfit import drape_garment
    from garments.sdf import build_sdf

    heavy = fit_avatar({"stature": 175, "chest_girth": 120, "waist_girth": 110, "hip_girth": 125},
                       "male", model=body_model).avatar
    result = drape_garment(heavy, get_garment("crew-tee"), "XS")
    # an independent, finer field than the one the drape used
    fine = build_sdf(heavy.vertices, heavy.faces, distance_faces=heavy.body_faces, spacing=0.005)
    weights = np.array([[a / 6, b / 6, (6 - a - b) / 6] for a in range(7) for b in range(7 - a)])
    points = face_points(result.vertices, result.faces, weights).reshape(-1, 3)
    assert fine.distance(points).min() > 0.0


@pytest.mark.body
def test_shorts_on_thighs_pressed_together_neither_cut_the_skin_nor_stick_out(body_model):
    """A heavy body whose thighs overlap for 18 cm below the crotch (no size of the shorts fits it): the
    crotch cloth between them cannot come out, and lifting the faces bridging the overlap carried their
    corners into the skin or flung them off it (before: vertices 3-30 mm deep in every size and up to
    10 cm off the skin, a flap sticking out of the crotch)."""
    from scipy.spatial import cKDTree

    from avatar.fitting import fit_avatar
    from garments.catalog import get_garment
    from garments.drape_constants import PENETRATION_TOL_M
    from garments.outfit import drape_garment

    heavy = fit_avatar({"stature": 158.1, "chest_girth": 118.5, "waist_girth": 121.3, "hip_girth": 129.8},
                       "female", model=body_model).avatar
    skin = cKDTree(heavy.vertices[np.unique(heavy.body_faces)])
    shorts = get_garment("cotton-shorts")
    for size in shorts.size_names:
        result = drape_garment(heavy, shorts, size)
        assert result.penetration["max_depth_mm"] <= PENETRATION_TOL_M * 1000, size
        off, _ = skin.query(result.vertices)
        assert off.max() < 0.05, size  # at most 4.1 cm now, in the XL
