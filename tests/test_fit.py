"""Finished ease on the rest mesh at the body's tape levels; ease as worn measured with a tape."""

from types import SimpleNamespace

import numpy as np
import pytest
import trimesh

pytestmark = pytest.mark.body


def test_reference_body_fits_the_middle_sizes(body_model):
    """On its own reference body a garment's middle size fits, and its zones are measured on the rest mesh."""
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment
    from garments.fit_report import fit_report

    tee = get_garment("crew-tee")
    report = fit_report(reference_avatar("female"), tee)
    middle = tee.size_names[len(tee.size_names) // 2]
    assert report.size(middle).fits
    assert tee.size_names.index(report.recommended) <= tee.size_names.index(middle)
    assert set(report.per_size) == set(tee.size_names)
    assert report.reasons[0].startswith(f"{report.recommended} fits: ")


@pytest.mark.parametrize("garment_id", ["a-line-skirt", "slim-chino", "cotton-shorts", "studio-leggings"])
def test_waistbands_under_the_waist_are_compared_with_the_body_there(body_model, garment_id):
    """A bottom whose top sits under the body's waist is judged on the body's girth at its waistband, which
    lies between the body's waist and hip girths; not on the natural waist it never reaches."""
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment
    from garments.finished import finished_zones
    from garments.fit import band_girth, body_girths

    garment = get_garment(garment_id)
    body = reference_avatar(garment.reference_sex)
    girths = body_girths(body)
    for size in garment.size_names:
        waist = finished_zones(garment, size)["waist"]
        assert waist.band_share is not None and 0.0 < waist.band_share < 1.0
        there = band_girth(body, waist.band_share)
        assert there == pytest.approx(waist.reference_body_cm, abs=0.5)
        assert min(girths["waist"], girths["hip"]) - 1.0 < there < max(girths["waist"], girths["hip"]) + 1.0


def test_a_body_the_tape_cannot_read_is_a_typed_error(monkeypatch, body_model):
    from avatar.avatar import reference_avatar
    from garments import fit
    from garments.errors import FitError

    body = reference_avatar("female")
    monkeypatch.setattr(fit, "_measured", lambda avatar: {})
    with pytest.raises(FitError, match="chest girth cannot be measured"):
        fit.body_girths(body)


def _tube(radius, centre_x, height=0.3, sections=64, rings=30):
    """An open tube (no caps) along Y: (V, 3) vertices, (F, 3) faces."""
    a = np.linspace(0, 2 * np.pi, sections, endpoint=False)
    ys = np.linspace(-height / 2, height / 2, rings)
    v = np.array([[centre_x + radius * np.cos(t), y, radius * np.sin(t)] for y in ys for t in a])
    faces = []
    for r in range(rings - 1):
        for s in range(sections):
            p, q = r * sections + s, r * sections + (s + 1) % sections
            faces += [[p, q, q + sections], [p, q + sections, p + sections]]
    return v, np.array(faces)


def _polygon_perimeter(radius, sections=64):
    return 2 * sections * radius * np.sin(np.pi / sections)


def test_girth_pair_measures_loose_cloth_with_a_tape():
    """Ease as worn is the tape girth of the cloth minus the body's in one plane, beyond the 9.4 cm a
    saturated distance field could report, and ignores cloth around another limb the plane cuts."""
    from garments.fit import girth_pair, plane_crossings

    arm = trimesh.creation.cylinder(radius=0.05, height=0.4, sections=64)
    arm.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))  # axis along Y
    body = SimpleNamespace(vertices=np.asarray(arm.vertices), body_faces=np.asarray(arm.faces))
    sleeve_v, sleeve_f = _tube(0.08, 0.0)
    other_v, other_f = _tube(0.08, 0.6)  # the other sleeve, far away in the same plane
    v = np.vstack([sleeve_v, other_v])
    f = np.vstack([sleeve_f, other_f + len(sleeve_v)])
    origin, normal = np.zeros(3), np.array([0.0, 1.0, 0.0])
    # One crossing per vertical and per diagonal edge of each section of both tubes.
    assert len(plane_crossings(v, f, origin, normal)) == 2 * 2 * 64
    garment, skin = girth_pair(body, v, f, origin, normal)
    assert skin == pytest.approx(_polygon_perimeter(0.05) * 100, abs=0.05)
    assert garment == pytest.approx(_polygon_perimeter(0.08) * 100, abs=0.05)
    assert garment - skin == pytest.approx(18.8, abs=0.2)  # 2 pi x 3 cm
    # Without faces, a nearest-neighbour graph of the vertices gives the same girth.
    garment_graph, _ = girth_pair(body, v, None, origin, normal)
    assert garment_graph == pytest.approx(garment, abs=0.1)


def test_draped_zone_ease_with_a_tape(body_model):
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment, rest_mesh
    from garments.fit import draped_zone_ease
    from garments.outfit import drape_garment

    avatar = reference_avatar("female")
    tee = get_garment("crew-tee")
    eases = {}
    for size in ("XS", "XL"):
        result = drape_garment(avatar, tee, size)
        zones = rest_mesh(tee, size).zones
        eases[size] = draped_zone_ease(avatar, result.vertices, zones, faces=result.faces)
        graph = draped_zone_ease(avatar, result.vertices, zones)
        assert set(eases[size]) >= {"chest", "waist", "sleeve"}
        for zone in ("chest", "waist", "sleeve"):  # mesh edges and a nearest-neighbour graph agree
            assert graph[zone] == pytest.approx(eases[size][zone], abs=3.5)
        # A loose sleeve reads more than a distance field saturating at 1.5 cm could (2 pi x 1.5 cm).
        assert eases[size]["sleeve"] > 2 * np.pi * 1.5 + 1.0
    assert eases["XL"]["chest"] > eases["XS"]["chest"] + 10.0
    assert eases["XL"]["waist"] > eases["XS"]["waist"] + 10.0
