"""The generator: garments are clean single surfaces with real hems, collars and waistbands."""

import numpy as np
import pytest

from garments import dress_form, generator, mesh_ops, pattern

pytestmark = pytest.mark.body


def _pattern(gid):
    return next(p for p in generator.PATTERNS if p.id == gid)


def test_patterns_cover_the_brief():
    assert len(generator.PATTERNS) >= 8
    assert len({p.category for p in generator.PATTERNS}) >= 5
    assert all(len(p.sizes) >= 4 and p.base_size in p.sizes for p in generator.PATTERNS)


@pytest.mark.parametrize("gid", ["crew-tee", "cotton-shorts"])
def test_built_garment_is_one_consistent_open_surface(gid):
    import trimesh

    v, f = generator.build(_pattern(gid))
    mesh = trimesh.Trimesh(v, f, process=False)
    assert mesh.is_winding_consistent
    assert mesh_ops.components(f, len(v)).max() == 0  # a single piece
    loops = mesh_ops.boundary_loops(f)
    # open where clothes are open: a tee at the neck band, hem and two sleeves; shorts at waist and legs
    assert len(loops) == (4 if gid == "crew-tee" else 3)
    form = dress_form.body_form(generator.reference_sex(_pattern(gid).fits))
    clearance = dress_form.body_clearance(form, v)
    assert np.percentile(clearance, 5) > 0.0  # the garment sits outside the skin


def test_hem_is_folded_back_inside():
    p = _pattern("crew-tee")
    v, f = generator.build(p)
    form = dress_form.body_form("female")
    hem_y = pattern.level(form, p.hem)
    # the folded hem puts two layers of cloth just above the hem line at the front
    front = (np.abs(v[:, 0]) < 0.03) & (v[:, 2] > form.centre_at(hem_y)) & (np.abs(v[:, 1] - (hem_y + 0.012)) < 0.01)
    depths = np.sort(v[front, 2])
    assert len(depths) >= 2 and depths[-1] - depths[0] > 0.001


def test_finished_measurements_match_the_mesh():
    from garments import catalog

    g = catalog.get_garment("a-line-skirt")
    form = dress_form.body_form("female")
    for s in g.sizes[::2]:
        m = catalog.rest_mesh(g, s.name)
        measured = dress_form.finished_measurements(m.vertices, m.faces, g.category, form)
        for k, value in s.finished.items():
            assert measured[k] == pytest.approx(value, abs=0.2), (s.name, k)
