"""The catalog: built-in garments load, sizes are ordered and graded, rest meshes fit the reference body."""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from garments import catalog
from garments.errors import GarmentError, GarmentNotFound

pytestmark = pytest.mark.body


def test_builtin_catalog_has_enough_garments_categories_and_sizes():
    garments = [g for g in catalog.load_catalog() if g.source == "builtin"]
    assert len(garments) >= 8
    assert len({g.category for g in garments}) >= 5
    for g in garments:
        assert len(g.sizes) >= 4, g.id
        assert g.price > 0 and g.currency == "EUR"
        assert 2 <= len(g.colours) <= 4
        assert all(0 <= c for col in g.colours for c in col.rgb)
        assert len({s.sku for s in g.sizes}) == len(g.sizes)
        keys = [catalog.size_sort_key(s) for s in g.size_names]
        assert keys == sorted(keys), f"{g.id} sizes not smallest first"


def test_finished_measurements_grow_with_size_in_even_steps():
    for g in catalog.load_catalog():
        for zone in ("chest", "waist", "hip", "length"):
            values = [s.finished[zone] for s in g.sizes if zone in s.finished]
            if len(values) == len(g.sizes):
                steps = np.diff(values)
                assert steps.min() > 0, (g.id, zone, values)
                if zone != "length":  # girths follow the grade: 3-7 cm a size, evenly
                    assert 2.5 < steps.mean() < 7.5 and steps.min() > 0.6 * steps.mean(), (g.id, zone, values)


def test_size_lookup_and_unknown_size_lists_the_valid_ones():
    g = catalog.get_garment("crew-tee")
    assert g == catalog.get_garment("crew-tee") and len({g, catalog.get_garment("crew-tee")}) == 1
    assert len(set(g.sizes)) == len(g.sizes)
    assert g.size("m").name == "M"
    with pytest.raises(GarmentError, match="XS, S, M, L, XL"):
        g.size("XXXXL")


def test_unknown_garment_is_a_user_error():
    with pytest.raises(GarmentNotFound, match="garment list"):
        catalog.get_garment("no-such-garment")


@pytest.mark.parametrize("gid", ["crew-tee", "oxford-shirt", "slim-chino", "cotton-shorts", "a-line-skirt",
                                 "shift-dress", "field-jacket", "studio-leggings"])
def test_rest_meshes_are_finite_light_and_have_ease(gid):
    from garments.dress_form import body_clearance, body_form, chest_level, torso_girth

    g = catalog.get_garment(gid)
    form = body_form(g.reference_sex)
    middle = g.sizes[len(g.sizes) // 2].name
    m = catalog.rest_mesh(g, middle)
    assert np.isfinite(m.vertices).all()
    assert 2000 <= len(m.vertices) <= 10000
    assert m.faces.min() >= 0 and m.faces.max() < len(m.vertices)
    zone = "chest" if g.category in ("top", "shirt", "outerwear", "dress") else "hip"
    y = chest_level(form) if zone == "chest" else form.levels["hip"]
    body = torso_girth(form.vertices, form.body_faces, y, form)
    garment = torso_girth(m.vertices, m.faces, y, form)
    base = next(s for s in g.sizes if s.mesh and s.name in (g.sizes[len(g.sizes) // 2].name, "M", "50", "38"))
    clearance = body_clearance(form, catalog.rest_mesh(g, base.name).vertices)
    assert clearance.min() > -0.002  # the designed size sits on its body: nothing 2 mm inside the skin
    min_ease = 0.0 if g.category == "leggings" else 0.03  # leggings are made to sit on the skin
    assert garment > body + min_ease, (gid, garment, body)  # ease in the middle size
    assert zone in m.zones and len(m.zones[zone]) > 10
    assert "hem" in m.zones


def test_graded_sizes_share_topology_and_differ_in_girth():
    g = catalog.get_garment("crew-tee")
    small, large = catalog.rest_mesh(g, "XS"), catalog.rest_mesh(g, "XL")
    assert np.array_equal(small.faces, large.faces)
    torso_s, torso_l = (np.abs(m.vertices[:, 0]) < 0.12 for m in (small, large))  # sleeves are not graded
    assert np.ptp(large.vertices[torso_l, 2]) > np.ptp(small.vertices[torso_s, 2]) + 0.01
    assert g.size("XL").finished["chest"] > g.size("XS").finished["chest"] + 15.0
    chino = catalog.get_garment("slim-chino")  # sizes with their own mesh files
    assert all(s.mesh for s in chino.sizes)
    assert len(catalog.rest_mesh(chino, "46").vertices) == len(catalog.rest_mesh(chino, "54").vertices)


@pytest.mark.parametrize("gid", sorted(p.name for p in catalog.BUILTIN_DIR.iterdir() if (p / "garment.json").is_file()))
def test_graded_sizes_stay_out_of_the_reference_body(gid):
    """Grading never carries cloth into the body: sleeves stay on the arms, legs on the legs, hems above
    the wrists and ankles. The base size and every larger one: no vertex 2 mm inside the skin; the smaller
    sizes may be tighter than the reference torso or legs (they are made for smaller bodies), never on the
    arms."""
    from avatar.avatar import reference_avatar
    from garments.sdf import body_sdf

    g = catalog.get_garment(gid)
    sdf = body_sdf(reference_avatar(g.reference_sex))
    for k, name in enumerate(g.size_names):
        v = catalog.rest_mesh(g, name).vertices
        d = sdf.distance(v)
        if k >= len(g.sizes) // 2:
            assert d.min() > -0.002, (gid, name, float(d.min()))
        arm = np.abs(v[:, 0]) > 0.3
        if arm.any():
            assert d[arm].min() > -0.002, (gid, name)


def test_user_catalog_entry_is_read_and_bad_entries_name_the_folder(tmp_path):
    root = catalog.user_catalog_dir()
    good = json.loads((catalog.BUILTIN_DIR / "shift-dress" / "garment.json").read_text())  # graded sizes
    good["id"] = "my-tee"
    folder = root / "my-tee"
    folder.mkdir(parents=True)
    (folder / "garment.json").write_text(json.dumps(good))
    (folder / "M.glb").write_bytes((catalog.BUILTIN_DIR / "shift-dress" / "M.glb").read_bytes())
    g = catalog.get_garment("my-tee")
    assert g.source == "user" and g.size_names == ["XS", "S", "M", "L", "XL"]
    assert len(catalog.rest_mesh(g, "L").vertices) > 0
    bad = root / "broken"
    bad.mkdir()
    (bad / "garment.json").write_text("{not json")
    with pytest.raises(GarmentError, match="broken"):
        catalog.load_catalog()
    problems = []
    ids = [g.id for g in catalog.load_catalog(problems)]
    assert "my-tee" in ids and "crew-tee" in ids
    assert len(problems) == 1 and "broken" in str(problems[0])


def test_list_warns_about_a_broken_import_and_lists_the_rest(capsys):
    from app.cli import main

    bad = catalog.user_catalog_dir() / "broken"
    bad.mkdir(parents=True)
    (bad / "garment.json").write_text('{"id": "broken"}')
    assert main(["garment", "list", "--json"]) == 0
    out = capsys.readouterr()
    assert "crew-tee" in {g["id"] for g in json.loads(out.out)}
    assert out.err.startswith("warning: ") and "broken" in out.err


def test_skus_are_per_size_and_colour():
    from garments.catalog import get_garment
    from garments.skus import colour_code, variant_sku

    tee = get_garment("crew-tee")
    skus = tee.to_json()["variant_skus"]["L"]
    assert skus["navy"] == "TEE-CRW-L-NAVY" and skus["white"] == "TEE-CRW-L-WHITE"
    assert len({sku for by_colour in tee.to_json()["variant_skus"].values() for sku in by_colour.values()}) \
        == len(tee.sizes) * len(tee.colours)
    assert tee.to_json()["skus"]["L"] == "TEE-CRW-L"       # the size's own SKU, as before
    assert colour_code("light blue") == "LIGHT-BLUE" and colour_code(" off-white ") == "OFF-WHITE"
    colours = (SimpleNamespace(name="white"), SimpleNamespace(name="藍"))
    assert variant_sku("T-M", "藍", colours) == "T-M-C2"   # no Latin letters: known by its place
    assert variant_sku("T-M", None) == "T-M"               # a garment without colours
