"""Category inference from the shape on the body: a skirt's one tube below the hip, trousers' two legs, and a
top and trousers made as one mesh (a jumpsuit) told apart, on meshes made here and the built-in garments."""

import numpy as np
import pytest

from garments.dress_form import body_form
from garments.shape_category import has_two_legs, infer_category
from tests.test_fit import _tube as open_tube


def _tube(cx: float, r: float, y0: float, y1: float):
    """An open cylinder around the vertical line x = cx, z = 0, from height y0 up to y1 (metres)."""
    v, f = open_tube(r, cx, height=y1 - y0, sections=24)
    return v + [0.0, (y0 + y1) / 2, 0.0], f


def _join(*parts):
    vs, fs, count = [], [], 0
    for v, f in parts:
        vs.append(v)
        fs.append(f + count)
        count += len(v)
    return np.concatenate(vs), np.concatenate(fs)


@pytest.fixture(scope="module")
def form():
    return body_form("female")


def _shapes(form):
    lv = form.levels
    crotch, knee, ankle = lv["crotch"], lv["knee"], lv["ankle"] + 0.03
    legs = [_tube(s * 0.095, 0.085, ankle, crotch + 0.01) for s in (-1, 1)]
    pants_top = _tube(0.0, 0.19, crotch - 0.005, lv["waist"])
    torso = _tube(0.0, 0.19, crotch - 0.005, lv["armpit"] + 0.04)
    return {
        "skirt": _tube(0.0, 0.22, knee, lv["waist"]),
        "dress": _tube(0.0, 0.22, knee, lv["armpit"] + 0.04),
        "trousers": _join(pants_top, *legs),
        "shorts": _join(pants_top, *[_tube(s * 0.095, 0.085, knee + 0.15, crotch + 0.01) for s in (-1, 1)]),
        "jumpsuit": _join(torso, *legs),
        "top": _tube(0.0, 0.19, lv["hip"], lv["armpit"] + 0.04),
    }


@pytest.mark.body
@pytest.mark.parametrize("expected", ["skirt", "dress", "trousers", "shorts", "jumpsuit", "top"])
def test_tubes_one_below_the_hip_or_two(form, expected):
    v, f = _shapes(form)[expected]
    assert infer_category(v, f, form) == expected


@pytest.mark.body
def test_legs_are_found_with_unwelded_seams_and_not_in_a_split_free_tube(form):
    v, f = _shapes(form)["jumpsuit"]
    torn = v[f].reshape(-1, 3), np.arange(3 * len(f)).reshape(-1, 3)  # every face on its own vertices
    assert has_two_legs(*torn, form.levels["crotch"])
    skirt = _shapes(form)["skirt"]
    assert not has_two_legs(*skirt, form.levels["crotch"])
    assert not has_two_legs(*_tube(0.0, 0.19, form.levels["crotch"] - 0.02, 1.2), form.levels["crotch"])  # too short


def _built_in(gid: str, size: str):
    from garments.catalog import get_garment, rest_mesh

    m = rest_mesh(get_garment(gid), size)
    return m.vertices, m.faces


@pytest.mark.body
@pytest.mark.parametrize("parts, sex, expected", [
    ((("crew-tee", "M"), ("studio-leggings", "M")), "female", "jumpsuit"),
    ((("crew-tee", "M"), ("cotton-shorts", "M")), "female", "jumpsuit"),
    ((("oxford-shirt", "M"), ("slim-chino", "50")), "male", "jumpsuit"),
    ((("crew-tee", "M"), ("a-line-skirt", "38")), "female", "dress"),
    ((("shift-dress", "M"),), "female", "dress"),
    ((("slim-chino", "50"),), "male", "trousers"),
    ((("a-line-skirt", "38"),), "female", "skirt"),
])
def test_built_in_garments_as_one_mesh(parts, sex, expected):
    v, f = _join(*[_built_in(*p) for p in parts])
    assert infer_category(v, f, body_form(sex)) == expected


@pytest.mark.body
def test_a_top_and_trousers_in_one_file_import_as_a_jumpsuit_with_top_and_bottom_zones(tmp_path):
    import trimesh

    from garments.catalog import rest_mesh
    from garments.importers import import_garment
    from garments.import_options import ImportOptions

    v, f = _join(_built_in("crew-tee", "M"), _built_in("studio-leggings", "M"))
    path = tmp_path / "tee-and-leggings.glb"
    trimesh.Trimesh(v, f, process=False).export(path)
    g = import_garment(path, ImportOptions(price=10))
    assert g.category == "jumpsuit" and g.layer == 2
    finished = g.sizes[0].finished
    assert {"chest", "waist", "hip", "inseam", "sleeve"} <= set(finished), finished
    zones = rest_mesh(g, g.size_names[0]).zones
    assert {"chest", "waist", "hip", "sleeve", "hem"} <= set(zones)
