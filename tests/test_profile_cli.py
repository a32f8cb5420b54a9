"""``fitting-room profile export|import|qr``: the portable profile on the command line."""

import json

import pytest

from app.cli import main
from avatar.measurements import MEASUREMENTS
from avatar.portable import read_portable_file
from avatar.profile_qr import read_profile_code
from avatar.estimate.camera import read_image
from avatar.profiles import Profile, ProfileStore

EVERY = {n: round(s.low + 0.42 * (s.high - s.low), 1) for n, s in MEASUREMENTS.items()}


@pytest.fixture
def saved(_home):
    ProfileStore().save(Profile("Anna", EVERY, "female"))
    return "Anna"


def test_export_then_import_keeps_every_field(tmp_path, saved, capsys):
    out = tmp_path / "anna.json"
    assert main(["profile", "export", saved, "--out", str(out)]) == 0
    assert json.loads(out.read_text())["measurements"] == EVERY
    ProfileStore().delete(saved)
    assert main(["profile", "import", str(out)]) == 0
    back = ProfileStore().load("Anna")
    assert back.measurements == EVERY and back.sex == "female"
    assert main(["profile", "import", str(out), "--name", "Anna at home"]) == 0
    assert ProfileStore().names() == ["Anna", "Anna at home"]
    capsys.readouterr()
    assert main(["profile", "import", str(out)]) == 2  # nothing is overwritten
    err = capsys.readouterr().err
    assert "already exists" in err and "--name" in err


def test_only_the_chosen_values_are_exported(tmp_path, saved):
    out = tmp_path / "few.json"
    assert main(["profile", "export", saved, "--out", str(out), "--only", "stature,hip_girth"]) == 0
    profile = read_portable_file(out)
    assert profile.measurements == {"stature": EVERY["stature"], "hip_girth": EVERY["hip_girth"]}
    assert profile.sex is None  # 'sex' was not chosen


def test_qr_holds_the_chosen_values(tmp_path, saved, capsys):
    out = tmp_path / "code.png"
    assert main(["profile", "qr", saved, "--out", str(out), "--only", "stature,chest_girth,sex"]) == 0
    assert "QR version 1, 21x21 modules" in capsys.readouterr().err
    profile = read_profile_code(read_image(out))
    assert profile.measurements == pytest.approx({"stature": EVERY["stature"], "chest_girth": EVERY["chest_girth"]})
    assert profile.sex == "female"
    assert main(["profile", "qr", saved, "--out", str(tmp_path / "all.png")]) == 0
    assert read_profile_code(read_image(tmp_path / "all.png")).measurements == pytest.approx(EVERY)


@pytest.mark.parametrize("argv, words", [
    (["export", "Anna", "--out", "x.json", "--only", "chest_girth"], "stature is required"),
    (["export", "Anna", "--out", "x.json", "--only", "stature,chset_girth"], "did you mean 'chest_girth'"),
    (["export", "Ghost", "--out", "x.json"], "no profile named 'Ghost'"),
    (["qr", "Anna", "--out", "x.jpg"], "must end in .png"),
    (["qr", "Anna", "--out", "x.png", "--only", ","], "--only names no value"),
])
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(tmp_path, saved, capsys, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    assert main(["profile", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and words in err and "\n" not in err
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("content, words", [
    ('{"name": "A", "measurements": {"stature": 170}}', "not an exported fitting-room profile"),
    ('{"format": "fitting-room-profile", "format_version": 3, "measurements": {"stature": 170}}', "format version 3"),
    ('{"format": "fitting-room-profile", "format_version": 1, "measurements": {"stature": 17}}', "human range"),
    ('{"format": "fitting-room-profile", "format_version": 1, "measurements": {', "not valid JSON"),
    ("", "is empty"),
])
def test_bad_files_are_refused_and_nothing_is_saved(tmp_path, capsys, content, words):
    source = tmp_path / "in.json"
    source.write_text(content)
    assert main(["profile", "import", str(source)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and words in err and "\n" not in err
    assert ProfileStore().names() == []


def test_the_uncertainty_of_a_saved_profile_travels_both_ways(tmp_path, _home, capsys):
    estimated = {"chest_girth": 1.6, "hip_girth": 1.1, "body_mass": 2.4}
    ProfileStore().save(Profile("Est", EVERY, "female", uncertainty=estimated))
    out = tmp_path / "est.json"
    assert main(["profile", "export", "Est", "--out", str(out)]) == 0
    assert read_portable_file(out).uncertainty == estimated
    assert main(["profile", "export", "Est", "--out", str(tmp_path / "few.json"), "--only", "stature,hip_girth"]) == 0
    assert read_portable_file(tmp_path / "few.json").uncertainty == {"hip_girth": 1.1}
    assert main(["profile", "qr", "Est", "--out", str(tmp_path / "code.png")]) == 0
    assert read_profile_code(read_image(tmp_path / "code.png")).uncertainty == pytest.approx(estimated)
    capsys.readouterr()
    assert main(["profile", "import", str(out), "--name", "Est again"]) == 0
    assert "not kept" not in capsys.readouterr().err
    assert ProfileStore().load("Est again").uncertainty == estimated
    assert main(["profile", "show", "Est again"]) == 0
    assert json.loads(capsys.readouterr().out)["uncertainty"] == estimated
