"""Hair generated over the scalp of any avatar: six styles, clear of the collar except long hair; the whole
scalp covered down to the nape, nothing inside the skin, long hair hanging 26 cm and with gravity."""

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


def _skin(body):
    from avatar.surface import vertex_normals

    v = np.asarray(body.vertices, float)
    used = np.unique(body.body_faces)
    return v[used], vertex_normals(v, body.body_faces)[used]


@pytest.mark.parametrize("style", ["short", "medium", "long", "tied-back", "curly"])
def test_hair_covers_the_back_of_the_head_down_to_the_nape(bodies, style):
    from scipy.spatial import cKDTree

    for body in bodies:
        hair = make_hair(body, style)
        head = np.asarray(body.joints["head"], float)
        points, _ = _skin(body)
        rel = points - head
        back = points[(rel[:, 2] < -0.03) & (np.abs(rel[:, 0]) < 0.04) & (rel[:, 1] > -0.012) & (rel[:, 1] < 0.08)]
        behind = hair.vertices[hair.vertices[:, 2] < head[2] - 0.02]
        gap, _ = cKDTree(behind[:, :2]).query(back[:, :2])  # seen from behind
        assert len(back) > 20 and gap.max() < 0.012, style  # no bald patch, down to the nape


@pytest.mark.parametrize("style", ["short", "medium", "long", "tied-back", "curly"])
def test_no_hair_inside_the_skin_and_a_natural_size(bodies, style):
    from scipy.spatial import cKDTree

    for body in bodies:
        hair = make_hair(body, style)
        assert 2000 < len(hair.vertices) < 20000
        points, normals = _skin(body)
        strands = hair.vertices[hair.strands.ravel()]  # a bun may sink into the hair beneath it
        _, near = cKDTree(points).query(strands)
        outside = np.einsum("ij,ij->i", strands - points[near], normals[near])
        assert np.mean(outside > 0.0) > 0.995, style


def test_short_styles_reach_the_nape_but_not_the_collar(bodies):
    for body in bodies:
        head, neck = body.joints["head"], body.joints["neck"]
        for style in ("short", "tied-back", "curly"):
            low = make_hair(body, style).vertices[:, 1].min()
            assert head[1] - 0.035 < low < head[1] - 0.01, style  # the nape hairline, under the skull's base
            assert low > neck[1] + 0.05


def test_long_hair_falls_26_cm_below_the_nape_over_the_shoulders(bodies):
    for body in bodies:
        nape = body.joints["head"][1] - 0.025
        hair = make_hair(body, "long")
        assert 0.22 < nape - hair.vertices[:, 1].min() < 0.30
        tips = hair.vertices[hair.strands[:, -1]]
        below = tips[tips[:, 1] < body.joints["neck"][1] - 0.05]
        assert len(below) > len(tips) // 2 and (below[:, 2] < body.joints["neck"][2]).all()  # behind the shoulders


def test_long_hair_hangs_with_gravity_when_bending(bodies):
    from avatar.pose import pose_avatar

    body = bodies[0]
    posed = pose_avatar(body, "bend")
    hair = make_hair(body, "long")
    moved = pose_hair(hair, posed)
    head = posed.avatar.joints["head"]
    tips = moved.vertices[hair.strands[:, -1]]
    hanging = hair.free_from < hair.strands.shape[1] - 10  # strands hanging more than a few centimetres
    assert (tips[hanging, 1] < head[1] - 0.05).all()  # no strand sticks up
    rigid = pose_hair(hair, posed).vertices  # deterministic
    assert np.allclose(rigid, moved.vertices)
    from avatar.rig import load_rig

    g = posed.transforms[load_rig().index("head")]
    stiff = hair.vertices[hair.strands[:, -1]] @ g[:3, :3].T + g[:3, 3]
    assert tips[hanging, 1].mean() < stiff[hanging, 1].mean() - 0.05  # lower than carried stiffly by the head
