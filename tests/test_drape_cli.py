"""``fitting-room drape``: scene nodes, report keys, refusals."""

import json

import pytest
import trimesh

from app.cli import main

pytestmark = pytest.mark.body


@pytest.fixture
def profile(tmp_path):
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"sex": "female", "measurements": {"stature": 166, "chest_girth": 90,
                                                                  "waist_girth": 72, "hip_girth": 98}}))
    return path


def test_drape_writes_scene_and_report(tmp_path, profile, body_model):
    out, report = tmp_path / "scene.glb", tmp_path / "report.json"
    code = main(["drape", "--measurements", str(profile), "--garment", "crew-tee:M", "--garment", "a-line-skirt",
                 "--out", str(out), "--report", str(report)])
    assert code == 0
    scene = trimesh.load(out, force="scene")
    nodes = set(scene.graph.nodes_geometry)
    assert {"body", "crew-tee", "a-line-skirt"} <= nodes
    data = json.loads(report.read_text())
    assert [g["id"] for g in data["garments"]] == ["a-line-skirt", "crew-tee"]
    for g in data["garments"]:
        assert set(g) >= {"id", "size", "drape_ms", "penetration", "max_strain", "zones", "recommended_size",
                          "reasons"}
        assert set(g["penetration"]) == {"fraction_inside", "max_depth_mm"}
        assert g["penetration"]["max_depth_mm"] <= 2.0
    tee = data["garments"][1]
    assert tee["size"] == "M" and tee["reasons"]
    skirt = data["garments"][0]
    assert skirt["size"] == skirt["recommended_size"]  # no :SIZE -> the recommended size


@pytest.mark.parametrize("spec, word", [("no-such-thing", "crew-tee"), ("crew-tee:XXXL", "XS"), ("crew-tee:", "ID")])
def test_bad_garment_exits_2_with_choices(tmp_path, profile, capsys, spec, word):
    code = main(["drape", "--measurements", str(profile), "--garment", spec, "--out", str(tmp_path / "s.glb")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and word in err and "\n" not in err
    assert not (tmp_path / "s.glb").exists()


def test_body_file_not_from_fitting_room_exits_2(tmp_path, capsys, body_model):
    box = tmp_path / "box.glb"
    box.write_bytes(trimesh.creation.box((0.5, 1.7, 0.3)).export(file_type="glb"))
    code = main(["drape", "--avatar", str(box), "--garment", "crew-tee", "--out", str(tmp_path / "s.glb")])
    assert code == 2
    assert "not an avatar made by" in capsys.readouterr().err
