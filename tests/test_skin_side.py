"""The side of cloth that faces the skin is drawn in the body's shade (app.render.skin_side)."""

import numpy as np

from app.render.constants import SKIN_SIDE_SHADE, SKIN_SIDE_SHADE_FAR_M
from app.render.skin_side import skin_side_shade


def tube(radius: float, rings: int = 12, around: int = 24, outward: bool = True):
    """A vertical open tube (an arm's skin or a sleeve) around the y axis, wound to face outwards or inwards."""
    angle = np.linspace(0.0, 2.0 * np.pi, around, endpoint=False)
    y = np.linspace(0.0, 0.3, rings)
    vertices = np.array([[radius * np.cos(a), h, radius * np.sin(a)] for h in y for a in angle])
    faces = []
    for r in range(rings - 1):
        for k in range(around):
            a, b = r * around + k, r * around + (k + 1) % around
            c, d = a + around, b + around
            faces += [[a, c, b], [b, c, d]]
    faces = np.array(faces)
    return vertices, (faces if outward else faces[:, ::-1])


def test_a_sleeves_inner_wall_is_shaded_and_its_outside_is_not():
    skin, _ = tube(0.04, rings=30, around=48)
    sleeve, faces = tube(0.055)
    outer, inner = skin_side_shade(sleeve, faces, skin)
    middle = (sleeve[:, 1] > 0.05) & (sleeve[:, 1] < 0.25)
    np.testing.assert_allclose(outer[middle], 1.0)
    assert np.all(inner[middle] < 1.0 - 0.9 * SKIN_SIDE_SHADE)


def test_a_turned_back_layer_wound_the_other_way_is_shaded_on_the_side_facing_the_skin():
    skin, _ = tube(0.04, rings=30, around=48)
    turned, faces = tube(0.054, outward=False)  # a hem's inner layer: its faces' front looks at the arm
    front, back = skin_side_shade(turned, faces, skin)
    middle = (turned[:, 1] > 0.05) & (turned[:, 1] < 0.25)
    assert np.all(front[middle] < 1.0 - 0.9 * SKIN_SIDE_SHADE)
    np.testing.assert_allclose(back[middle], 1.0)


def test_cloth_far_from_the_skin_is_lit_on_both_sides():
    skin, _ = tube(0.04, rings=30, around=48)
    flap, faces = tube(0.04 + SKIN_SIDE_SHADE_FAR_M + 0.01)
    front, back = skin_side_shade(flap, faces, skin)
    np.testing.assert_allclose(front, 1.0)
    np.testing.assert_allclose(back, 1.0)
