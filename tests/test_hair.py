"""Hair generated over the scalp of any avatar: six styles, clear of the collar except long hair."""

import numpy as np
import pytest

from avatar.avatar import make_avatar, reference_avatar
from avatar.body_model import Phenotype
from avatar.hair import HAIR_STYLE_NAMES, HairError, make_hair, pose_hair

pytestmark = pytest.mark.body


@pytest.fixture(scope="module")
def bodies():
    return [reference_avatar("female"), make_avatar(Phenotype(gender=0.0, weight=0.95, height=0.2), sex="male"),
            make_avatar(Phenotype(gender=1.0, weight=0.05, height=0.9), sex="female")]


def test_six_styles():
    assert set(HAIR_STYLE_NAMES) >= {"short", "medium", "long", "tied-back", "curly", "none"}


@pytest.mark.parametrize("style", ["short", "medium", "long", "tied-back", "curly"])
def test_hair_fits_every_head_and_spares_the_collar(bodies, style):
    from scipy.spatial import cKDTree

    for body in bodies:
        hair = make_hair(body, style, "brown")
        assert len(hair.faces) > 200 and hair.faces.max() < len(hair.vertices)
        head = body.joints["head"]
        assert np.linalg.norm(hair.vertices.mean(axis=0)[[0, 2]] - head[[0, 2]]) < 0.1  # on this head
        assert hair.vertices[:, 1].max() > body.stature_m  # over the crown, not in it
        skin = np.asarray(body.vertices)[np.unique(body.body_faces)]
        gap, _ = cKDTree(skin).query(hair.vertices)
        assert np.percentile(gap, 1) > 0.002  # outside the skin
        if style != "long":
            assert hair.vertices[:, 1].min() > body.joints["neck"][1]  # ends above the collar
        else:
            assert hair.vertices[:, 1].min() < body.joints["neck"][1]


def test_none_and_unknown(bodies):
    assert make_hair(bodies[0], "none") is None
    with pytest.raises(HairError, match="short"):
        make_hair(bodies[0], "mohawk")
    with pytest.raises(HairError, match="blond"):
        make_hair(bodies[0], "short", "green")


def test_hair_moves_with_the_head(bodies):
    from avatar.pose import pose_avatar

    posed = pose_avatar(bodies[0], "bend")
    hair = pose_hair(make_hair(bodies[0], "short"), posed)
    assert np.linalg.norm(hair.vertices.mean(axis=0) - posed.avatar.joints["head"]) < 0.15
