"""``fitting-room drape``: scene nodes, report keys, refusals."""

import json
import re

import pytest
import trimesh

from app.cli import main

pytestmark = pytest.mark.body


@pytest.fixture
def profile(tmp_path):
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"sex": "female", "measurements": {"stature": 166, "chest_girth": 90,
                                                                  "waist_girth": 74, "hip_girth": 100}}))
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
                          "reasons", "between"}
        assert set(g["penetration"]) == {"fraction_inside", "max_depth_mm"}
        assert g["penetration"]["max_depth_mm"] <= 2.0
        assert g["between"] is None or g["between"].startswith("between ")
        # The report's zones are the fit result's finished ease of the draped size, and its advice quotes them.
        assert set(g["zones"]) == set(g["fit"]) and g["zones"]
        for zone, ease in g["zones"].items():
            assert g["fit"][zone]["ease_cm"] == ease
            assert g["fit"][zone]["worn_strain"] is not None  # read from this drape
        for line in g["reasons"]:
            size = line.split()[0]
            for zone, ease in re.findall(r"(chest|waist|hip) ((?:[+-]\d+\.\d|0\.0)) cm", line):
                if size == g["size"]:
                    assert float(ease) == g["zones"][zone]
        assert sum(g["size_probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
        assert set(g["size_probabilities"]) <= {*g["size_probabilities"]} and "none" in g["size_probabilities"]
    tee = data["garments"][1]
    assert tee["size"] == "M" and tee["reasons"]
    # The sleeve is measured with a tape, not a distance field that saturates at 2 pi x 1.5 cm = 9.4 cm.
    assert tee["worn_ease_cm"]["sleeve"] > 12.0 and tee["zones"]["chest"] > 0
    skirt = data["garments"][0]
    assert skirt["size"] == skirt["recommended_size"]  # no :SIZE -> the recommended size
    assert skirt["fits"] and skirt["fit"]["hip"]["verdict"] in ("snug", "comfortable", "loose", "oversized")


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


@pytest.mark.parametrize("out, word", [("z.png", ".glb"), ("missing/s.glb", "does not exist; create it first")])
def test_bad_out_exits_2_and_writes_nothing(tmp_path, profile, capsys, out, word):
    code = main(["drape", "--measurements", str(profile), "--garment", "crew-tee", "--out", str(tmp_path / out)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and word in err and "\n" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.json"]  # no scene, no folder made


def test_report_in_missing_folder_exits_2(tmp_path, profile, capsys):
    code = main(["drape", "--measurements", str(profile), "--garment", "crew-tee", "--out", str(tmp_path / "s.glb"),
                 "--report", str(tmp_path / "no" / "r.json")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert f"folder {tmp_path / 'no'} does not exist; create it first" in err and "\n" not in err
    assert not (tmp_path / "s.glb").exists() and not (tmp_path / "no").exists()


def test_same_garment_twice_exits_2(tmp_path, profile, capsys):
    code = main(["drape", "--measurements", str(profile), "--garment", "crew-tee:M", "--garment", "crew-tee:L",
                 "--out", str(tmp_path / "s.glb")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "crew-tee" in err and "twice" in err and "\n" not in err
    assert not (tmp_path / "s.glb").exists()
