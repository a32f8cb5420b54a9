"""Look-ups skipped for cloth far from the skin, and what a garment keeps between drapes, change no drape."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def ball():
    """A 10 cm sphere's distance field."""
    import trimesh

    from garments.sdf import build_sdf

    sphere = trimesh.creation.icosphere(subdivisions=4, radius=0.1)
    return build_sdf(sphere.vertices, sphere.faces, spacing=0.004)


def unbounded(field):
    """The same field with no slope bound: every vertex and face is looked up."""
    from garments.sdf import SignedDistanceField

    class Unbounded(SignedDistanceField):
        slope_bound = None

    return Unbounded(origin=field.origin, spacing=field.spacing, values=field.values, band=field.band)


def test_readings_change_no_faster_than_the_bound(ball):
    rng = np.random.default_rng(1)
    p = rng.normal(size=(20000, 3))
    p *= rng.uniform(0.1, 0.13, (len(p), 1)) / np.linalg.norm(p, axis=1, keepdims=True)  # outside, up to the band
    q = p + rng.normal(0.0, 0.003, p.shape)
    change = np.abs(ball.distance(q) - ball.distance(p))
    assert (change <= ball.slope_bound * np.linalg.norm(q - p, axis=1) + 1e-7).all()


def test_a_jump_in_the_grid_makes_a_rough_box_around_it(ball):
    from garments.near_body import rough_box

    assert rough_box(ball.values, ball.origin, ball.spacing) is None  # a smooth field has none
    values = ball.values.copy()
    cell = np.round((np.array([0.0, 0.105, 0.0]) - ball.origin) / ball.spacing).astype(int)  # 5 mm outside
    values[tuple(cell)] = -0.01
    box = rough_box(values, ball.origin, ball.spacing)
    point = ball.origin + cell * ball.spacing
    assert (box[0] < point).all() and (point < box[1]).all()
    assert (box[1] - box[0] < 0.05).all()  # around the jump only


def test_faces_ruled_out_have_no_sample_within_the_clearance(ball):
    import trimesh

    from garments.drape_constants import FACE_CLEARANCE_M
    from garments.face_contact import face_clearance, faces_maybe_short, push_faces_out

    shell = trimesh.creation.icosphere(subdivisions=4, radius=0.1)  # edges of 8 mm, like the import's
    lift = 1.0 + 0.25 * (0.5 + 0.5 * shell.vertices[:, 2:] / 0.1) ** 2  # on the skin at the bottom, 25 mm off on top
    vertices = shell.vertices * lift
    maybe = faces_maybe_short(vertices, shell.faces, ball, FACE_CLEARANCE_M)
    short = face_clearance(vertices, shell.faces, ball) < FACE_CLEARANCE_M
    assert short.any() and not (short & ~maybe).any()
    assert (~maybe).sum() > 0.15 * len(maybe)  # many faces need no look-up
    assert faces_maybe_short(vertices, shell.faces, unbounded(ball), FACE_CLEARANCE_M).all()  # no bound: all
    assert np.array_equal(push_faces_out(vertices, shell.faces, ball),
                          push_faces_out(vertices, shell.faces, unbounded(ball)))


@pytest.mark.body
def test_skipping_far_cloth_gives_the_same_drape_with_fewer_look_ups(body_model, monkeypatch):
    import dataclasses

    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar
    from garments.catalog import get_garment
    from garments.near_body import NearBody
    from garments.outfit import drape_garment
    from garments.sdf import body_sdf

    avatar = make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=0.3), sex="female")
    field = body_sdf(avatar)
    tee = get_garment("crew-tee")
    full = drape_garment(avatar, tee, "M", sdf=unbounded(field))
    reads = []
    real_read = NearBody.read
    monkeypatch.setattr(NearBody, "read", lambda self, index, x, d: (reads.append(len(index)),
                                                                      real_read(self, index, x, d)))
    skipping = drape_garment(avatar, tee, "M", sdf=field)
    assert np.array_equal(full.vertices, skipping.vertices)
    assert sum(reads) < 0.7 * len(reads) * len(full.vertices)


def test_a_garments_openings_are_found_once_and_shared_read_only():
    import trimesh

    from garments.mesh_ops import boundary_loops
    from garments.openings import open_loops

    tube = trimesh.creation.cylinder(radius=0.1, height=0.3, sections=24)
    faces = tube.faces[np.abs(tube.face_normals[:, 2]) < 0.5]  # the side only: two open rims
    loops = open_loops(faces)
    assert len(loops) == 2
    assert [lp.tolist() for lp in loops] == [lp.tolist() for lp in boundary_loops(faces)]
    assert open_loops(faces.copy())[0] is loops[0]
    with pytest.raises(ValueError):
        loops[0][0] = 0


def test_smoothing_matches_neighbour_averaging():
    from garments.transfer import smooth_displacement

    rng = np.random.default_rng(3)
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
    d = rng.normal(size=(5, 3))  # vertex 4 is on no edge
    expected = d.copy()
    for _ in range(2):
        nxt = expected.copy()
        for v in range(4):
            around = [b for a, b in edges if a == v] + [a for a, b in edges if b == v]
            nxt[v] = 0.5 * expected[v] + 0.5 * expected[around].mean(axis=0)
        expected = nxt
    assert np.allclose(smooth_displacement(d, edges, sweeps=2), expected, atol=1e-15)
    assert np.array_equal(smooth_displacement(d, edges, sweeps=2)[4], d[4])


@pytest.mark.body
def test_the_reference_body_is_made_once_and_read_only(body_model):
    from avatar.avatar import reference_avatar

    first = reference_avatar("female")
    assert reference_avatar("female") is first
    with pytest.raises(ValueError):
        first.vertices[0, 0] = 1.0
