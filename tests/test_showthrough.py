"""Skin seen through cloth, counted by rendering: the counter itself, and recommended sizes on heavy and slim bodies."""

import numpy as np
import pytest


def test_body_just_in_front_of_the_garment_shows_through():
    from app.render.constants import SHOW_THROUGH_DEPTH_M
    from app.render.showthrough import show_through_mask

    garment = np.zeros((7, 7))
    garment[1:6, 1:6] = 3.0
    body = np.full((7, 7), 3.0 + 0.002)  # skin 2 mm behind the cloth everywhere: covered
    assert not show_through_mask(body, garment).any()
    body[3, 3] = 3.0 - 0.005  # skin 5 mm in front of the cloth: it pokes through
    body[2, 2] = 3.0 - 2 * SHOW_THROUGH_DEPTH_M  # far in front: an arm before the cloth, not show-through
    body[1, 1] = 3.0 - 0.005  # on the garment's outline: a silhouette pixel, not counted
    mask = show_through_mask(body, garment)
    assert mask.sum() == 1 and mask[3, 3]


def test_interior_drops_the_outline():
    from app.render.showthrough import interior

    mask = np.zeros((6, 8), bool)
    mask[1:5, 1:7] = True
    inner = interior(mask)
    assert inner.sum() == 2 * 4 and inner[2:4, 2:6].all()


def test_ray_length_grows_towards_the_corners():
    from app.render.showthrough import ray_length_factor

    f = ray_length_factor(40, 60, 30.0)
    assert f.shape == (60, 40)
    assert abs(f[30, 20] - 1.0) < 1e-3 and f[0, 0] > f[30, 0] > f[30, 20]


@pytest.mark.gl
@pytest.mark.parametrize("radius, shows", [(0.305, False), (0.295, True), (0.25, False)])
def test_spheres_inside_and_outside(radius, shows):
    """A 30 cm ball as the body and a sphere of cloth: outside it, 5 mm inside it, 5 cm inside it."""
    import trimesh

    from app.render.showthrough import ShowThroughCounter

    body = trimesh.creation.icosphere(subdivisions=5, radius=0.3)
    cloth = trimesh.creation.icosphere(subdivisions=5, radius=radius)
    lift = np.array([0.0, 1.0, 0.0])
    with ShowThroughCounter(120, 160) as counter:
        (result,) = counter.count(body.vertices + lift, body.faces, [("ball", cloth.vertices + lift, cloth.faces)])
    assert [v.view for v in result.views] == ["front", "side", "back"]
    assert all(v.garment_pixels > 1000 for v in result.views)
    if shows:
        assert all(v.share > 0.9 for v in result.views)
    else:
        assert result.pixels == 0 and result.worst_share == 0.0


BODIES = {
    "heavy": ({"stature": 175, "chest_girth": 120, "waist_girth": 110, "hip_girth": 125}, "male"),
    "slim": ({"stature": 168, "chest_girth": 84, "waist_girth": 66, "hip_girth": 90}, "female"),
}


@pytest.fixture(scope="module")
def counter():
    from app.render.showthrough import ShowThroughCounter

    with ShowThroughCounter() as c:
        yield c


@pytest.mark.body
@pytest.mark.gl
@pytest.mark.parametrize("body, garment_id", [("heavy", "crew-tee"), ("heavy", "slim-chino"),
                                              ("slim", "crew-tee"), ("slim", "shift-dress")])
def test_no_skin_through_the_recommended_size(body_model, counter, body, garment_id):
    from avatar.fitting import fit_avatar
    from garments.catalog import get_garment
    from garments.outfit import drape_outfit

    values, sex = BODIES[body]
    avatar = fit_avatar(values, sex, model=body_model).avatar
    (result,) = drape_outfit(avatar, [(get_garment(garment_id), None)])
    (counts,) = counter.count_avatar(avatar, [result])
    assert all(v.garment_pixels > 5000 for v in counts.views)
    assert counts.pixels == 0, [(v.view, v.pixels) for v in counts.views]
