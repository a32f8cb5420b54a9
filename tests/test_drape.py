"""Draping catalog garments on bodies: no penetration, bounded strain, sizes behave, layers stay apart."""

import dataclasses

import numpy as np
import pytest

pytestmark = pytest.mark.body


@pytest.fixture(scope="module")
def female(body_model):
    from avatar.avatar import reference_avatar

    return reference_avatar("female")


@pytest.fixture(scope="module")
def big(body_model):
    """A heavier, more muscular body than the tee's reference: its smallest size is too small."""
    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar

    return make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=1.0, muscle=0.7), sex="female")


@pytest.fixture(scope="module")
def tee():
    from garments.catalog import get_garment

    return get_garment("crew-tee")


@pytest.fixture(scope="module")
def tee_drapes(female, tee):
    from garments.outfit import drape_garment

    names = tee.size_names
    return {s: drape_garment(female, tee, s) for s in (names[0], names[len(names) // 2], names[-1])}


def test_no_vertex_inside_the_body(female, tee_drapes):
    from garments.drape_constants import PENETRATION_TOL_M
    from garments.sdf import build_sdf

    # An independent, finer field than the one the drape used.
    fine = build_sdf(female.vertices, female.faces, distance_faces=female.body_faces, spacing=0.005)
    for result in tee_drapes.values():
        assert fine.distance(result.vertices).min() > -PENETRATION_TOL_M
        assert result.penetration["max_depth_mm"] <= PENETRATION_TOL_M * 1000


def test_strain_is_bounded_for_the_fitting_size(tee, tee_drapes):
    from garments.drape_constants import MIN_EDGE_FRACTION

    fitting = tee_drapes[tee.size_names[len(tee.size_names) // 2]]
    assert np.isfinite(fitting.vertices).all()
    assert fitting.max_strain < 0.3
    for result in tee_drapes.values():
        e = result.edges
        rest = result.rest_edge_lengths
        ratio = np.linalg.norm(result.vertices[e[:, 0]] - result.vertices[e[:, 1]], axis=1) / rest
        regular = rest > 0.25 * rest.mean()  # seam slivers may fold flat; cloth edges may not
        assert ratio[regular].min() > MIN_EDGE_FRACTION  # no collapse
        assert ratio.max() < 3.0  # no explosion


def test_too_small_is_more_stretched_than_too_large(big, tee):
    from garments.outfit import drape_garment

    small = drape_garment(big, tee, tee.size_names[0])
    large = drape_garment(big, tee, tee.size_names[-1])
    assert small.max_strain > large.max_strain
    assert np.percentile(small.strain, 95) > 1.5 * np.percentile(large.strain, 95)
    assert large.zones["chest"] > small.zones["chest"] + 5.0  # the large size hangs looser
    assert small.penetration["max_depth_mm"] <= 2.0


def test_layers_do_not_cross(female, tee):
    from garments.catalog import get_garment
    from garments.layer_collider import LayerCollider
    from garments.outfit import drape_outfit
    from garments.sdf import body_sdf

    skirt = get_garment("a-line-skirt")
    results = drape_outfit(female, [(tee, "M"), (skirt, "38")])
    assert [r.garment_id for r in results] == ["a-line-skirt", "crew-tee"]  # inner to outer by layer
    inner, outer = results
    skin = female.vertices[np.unique(female.body_faces)]
    collider = LayerCollider.from_garment(inner.vertices, inner.faces, body_sdf(female), skin=skin)
    height, over, _ = collider.height(outer.vertices, collider.nearest(outer.vertices))
    assert over.sum() > 50  # the tee does cover the skirt's waistband
    assert height[over].min() > 0.0


def test_an_outfit_from_the_cache_builds_no_collider(female, tee, monkeypatch):
    from garments.catalog import get_garment
    from garments.layer_collider import LayerCollider
    from garments.outfit import drape_outfit

    skirt, cache = get_garment("a-line-skirt"), {}
    first = drape_outfit(female, [(tee, "M"), (skirt, "38")], cache=cache)
    built = []
    real = LayerCollider.from_garment
    monkeypatch.setattr(LayerCollider, "from_garment",
                        lambda vertices, faces, sdf, **kw: built.append(len(vertices)) or real(vertices, faces, sdf, **kw))
    again = drape_outfit(female, [(tee, "M"), (skirt, "38")], cache=cache)
    assert [a is b for a, b in zip(first, again)] == [True, True] and built == []  # nothing draped over anything
    other = drape_outfit(female, [(tee, "L"), (skirt, "38")], cache=cache)
    assert other[0] is first[0] and built == [len(first[0].vertices)]  # the skirt's, once, for the tee put over it


def test_drape_on_another_body_in_the_recommended_size(big, tee):
    from garments.fit_report import fit_report
    from garments.outfit import drape_outfit

    (result,) = drape_outfit(big, [(tee, None)])
    assert result.size == fit_report(big, tee).recommended
    assert result.penetration["max_depth_mm"] <= 2.0
    assert result.max_strain < 0.3


def test_jacket_over_shirt_stays_outside_and_is_not_torn(body_model):
    """A jacket over a shirt: outside it everywhere, the shirt not showing through, cuffs not torn."""
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment, rest_mesh
    from garments.layer_collider import LayerCollider
    from garments.outfit import drape_outfit
    from garments.sdf import body_sdf

    male = reference_avatar("male")
    sdf = body_sdf(male)
    skin = male.vertices[np.unique(male.body_faces)]
    shirt, jacket = drape_outfit(male, [(get_garment("field-jacket"), "L"), (get_garment("oxford-shirt"), "L")])
    assert (shirt.garment_id, jacket.garment_id) == ("oxford-shirt", "field-jacket")
    inner = LayerCollider.from_garment(shirt.vertices, shirt.faces, sdf, skin=skin)
    height, over, _ = inner.height(jacket.vertices, inner.nearest(jacket.vertices))
    assert over.sum() > 1000  # the jacket covers the shirt's body and sleeves
    assert height[over].min() > 0.0
    outer = LayerCollider.from_garment(jacket.vertices, jacket.faces, sdf, skin=skin)
    height, over, _ = outer.height(shirt.vertices, outer.nearest(shirt.vertices))
    # Shirt cloth above the jacket's surface is seen through it; only the collar standing up in the
    # jacket's neck and the cuff bands inside its sleeve openings may be that close to the jacket's edges.
    assert (over & (height > 0.0)).sum() < 0.05 * len(shirt.vertices)  # before: 378 vertices (8.5 %)
    for r in (shirt, jacket):
        assert r.penetration["max_depth_mm"] <= 2.0
    rest = rest_mesh(get_garment("field-jacket"), "L").vertices
    cuff = np.abs(rest[:, 0]) > 0.45  # the sleeve ends, over the shirt's cuffs
    assert np.percentile(jacket.strain[cuff], 99) < 0.3  # before: 253 % (torn)
    assert jacket.strain.max() < 0.75  # a few cuff-band and collar vertices stay stretched; before: 449 %
    assert np.percentile(jacket.strain, 99) < 0.3  # before: over 130 %


def _folded_faces(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(F,) bool: faces turned against the mean normal of their corners (a crumple)."""
    from avatar.surface import vertex_normals

    v = vertices[faces]
    normal = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-12
    return np.einsum("ij,ij->i", normal, vertex_normals(vertices, faces)[faces].mean(axis=1)) < 0.3


def test_a_tee_over_a_waistband_lies_smooth(body_model):
    """On a heavy body whose trousers' waistband dips under the belly, the tee over the band's folded top
    follows it in a soft ridge, not a crumple (before: 27 folded faces there, a torn-looking crease)."""
    from avatar.fitting import fit_avatar
    from garments.catalog import get_garment
    from garments.outfit import drape_outfit

    body = fit_avatar({"stature": 165, "chest_girth": 112, "waist_girth": 98, "hip_girth": 116}, "female").avatar
    chino, tee = drape_outfit(body, [(get_garment("crew-tee"), "XL"), (get_garment("slim-chino"), "54")])
    assert (chino.garment_id, tee.garment_id) == ("slim-chino", "crew-tee")
    centre = tee.vertices[tee.faces].mean(axis=1)
    top = chino.vertices[chino.vertices[:, 2] > np.percentile(chino.vertices[:, 2], 95)][:, 1].max()
    near_band = np.abs(centre[:, 1] - top) < 0.03
    assert near_band.sum() > 100
    assert _folded_faces(tee.vertices, tee.faces)[near_band].sum() <= 10  # 2-8 since, with the band level


def test_a_loose_flared_skirt_falls_into_folds(female):
    """The largest A-line skirt hangs in folds (its hem waves in and out), not as a rigid cone."""
    from garments.catalog import get_garment
    from garments.outfit import drape_garment

    skirt = get_garment("a-line-skirt")
    r = drape_garment(female, skirt, skirt.size_names[-1])
    assert r.penetration["max_depth_mm"] <= 2.0 and r.max_strain < 0.1
    v = r.vertices
    hem = v[v[:, 1] < v[:, 1].min() + 0.03]
    rel = hem - female.joints["root"]
    theta, radius = np.arctan2(rel[:, 0], rel[:, 2]), np.hypot(rel[:, 0], rel[:, 2])
    bins = np.digitize(theta, np.linspace(-np.pi, np.pi, 73))  # 5 degree sectors
    outline = np.array([radius[bins == b].max() for b in range(1, 73) if (bins == b).any()])
    peaks = (outline > np.roll(outline, 1)) & (outline > np.roll(outline, -1))
    assert peaks.sum() >= 6  # folds around the hem; the smooth cone has a peak at each side only
