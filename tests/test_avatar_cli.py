"""The ``fitting-room avatar`` command line, as users and scripts call it."""

import json

import pytest

from app.cli import main

pytestmark = pytest.mark.body


def test_json_profile_to_glb_with_report(tmp_path, body_model, capsys):
    profile = tmp_path / "anna.json"
    profile.write_text(json.dumps({"name": "anna", "sex": "female",
                                   "measurements": {"stature": 165, "waist_girth": 74, "hip_girth": 100}}))
    out, report = tmp_path / "anna.glb", tmp_path / "report.json"
    assert main(["avatar", "--measurements", str(profile), "--out", str(out), "--report", str(report)]) == 0
    assert out.stat().st_size > 100_000
    body = json.loads(report.read_text())["bodies"][0]
    assert body["file"] == str(out) and body["missed"] == []
    waist = body["measurements"]["waist_girth"]
    assert set(waist) >= {"requested", "achieved", "plane_origin", "plane_normal"}
    assert waist["requested"] == 74 and abs(waist["achieved"] - 74) <= 0.9


def test_csv_in_inches_writes_one_glb_per_id(tmp_path, body_model):
    table = tmp_path / "bodies.csv"
    table.write_text("id,sex,stature,waist_girth\nsmall,female,62,27\ntall,male,74,34\n")
    out = tmp_path / "bodies"
    assert main(["avatar", "--measurements", str(table), "--out", str(out), "--units", "in",
                 "--report", str(tmp_path / "r.json")]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["small.glb", "tall.glb"]
    bodies = json.loads((tmp_path / "r.json").read_text())["bodies"]
    assert bodies[0]["measurements"]["stature"]["achieved"] == pytest.approx(62 * 2.54, abs=0.4)


@pytest.mark.parametrize("content, suffix, words", [
    ('{"measurements": {"stature": -3}}', ".json", "stature must be positive"),
    ('{"measurements": {"stature": "NaN"}}', ".json", "not a finite number"),
    ('{"measurements": {"stature": 170, "hipp_girth": 90}}', ".json", "did you mean 'hip_girth'"),
    ('{"measurements": {"waist_girth": 80}}', ".json", "stature is required"),
    ('{"measurements": {"stature": 170, "waist_girth": 500}}', ".json", "outside the human range"),
    ("", ".json", "is empty"),
    ("{not json", ".json", "not valid JSON"),
    ("stature,waist_girth\n170,abc\n", ".csv", "'abc' is not a number"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, content, suffix, words):
    source = tmp_path / f"in{suffix}"
    source.write_text(content)
    out = tmp_path / ("out.glb" if suffix == ".json" else "outdir")
    code = main(["avatar", "--measurements", str(source), "--out", str(out), "--report", str(tmp_path / "r.json")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: ") and "\n" not in err and words in err
    assert "Traceback" not in err
    assert not out.exists() and not (tmp_path / "r.json").exists()


def test_written_files_are_readable_like_any_other(tmp_path, body_model):
    import os
    import stat

    profile = tmp_path / "p.json"
    profile.write_text('{"measurements": {"stature": 170}}')
    out, report = tmp_path / "b.glb", tmp_path / "r.json"
    assert main(["avatar", "--measurements", str(profile), "--out", str(out), "--report", str(report)]) == 0
    mask = os.umask(0)
    os.umask(mask)
    for path in (out, report):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_missing_file_and_bad_out_path(tmp_path, capsys):
    assert main(["avatar", "--measurements", str(tmp_path / "nope.json"), "--out", str(tmp_path / "a.glb")]) == 2
    assert "not found" in capsys.readouterr().err
    profile = tmp_path / "p.json"
    profile.write_text('{"measurements": {"stature": 170}}')
    assert main(["avatar", "--measurements", str(profile), "--out", str(tmp_path / "a.stl")]) == 2
    assert ".glb or .obj" in capsys.readouterr().err
    assert main(["avatar", "--measurements", str(profile), "--out", str(tmp_path / "a.glb"),
                 "--report", str(tmp_path / "missing" / "r.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "a.glb").exists()


def test_one_failing_body_does_not_lose_the_batch(tmp_path, body_model, monkeypatch, capsys):
    import avatar.fitting

    real = avatar.fitting.fit_avatar

    def flaky(values, sex=None, **kw):
        if values["stature"] == 171:
            raise RuntimeError("solver exploded")
        return real(values, sex, **kw)

    monkeypatch.setattr(avatar.fitting, "fit_avatar", flaky)
    table = tmp_path / "b.csv"
    table.write_text("id,stature\nok1,165\nbad,171\nok2,180\n")
    code = main(["avatar", "--measurements", str(table), "--out", str(tmp_path / "o"), "--report", str(tmp_path / "r.json")])
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["ok1.glb", "ok2.glb"]
    report = json.loads((tmp_path / "r.json").read_text())["bodies"]
    assert [b["id"] for b in report] == ["ok1", "bad", "ok2"] and "solver exploded" in report[1]["error"]
    assert "bad: could not be built" in capsys.readouterr().err


def test_body_of_a_drape_scene_is_read_back(tmp_path, body_model):
    import trimesh

    from avatar.avatar import reference_avatar
    from avatar.export import avatar_from_file, export_avatar

    body = reference_avatar("male")
    path = export_avatar(body, tmp_path / "b.glb")
    scene = trimesh.load(path, process=False, force="scene")
    scene.add_geometry(trimesh.creation.box(extents=[0.5, 0.5, 0.5]), node_name="crew-tee", geom_name="crew-tee")
    scene.export(tmp_path / "scene.glb")
    again = avatar_from_file(tmp_path / "scene.glb")
    assert again.vertices.shape == body.vertices.shape and again.sex == "male"
