"""Shopper profiles under the user data root."""

import json

import pytest

from avatar.errors import ProfileError
from avatar.profiles import Profile, ProfileStore


def test_create_load_rename_delete(_home):
    store = ProfileStore()
    store.save(Profile("Anna", {"stature": 165, "waist_girth": 72}, "female"))
    store.save(Profile("Ben", {"stature": 182}))
    assert store.names() == ["Anna", "Ben"]
    assert store.root == _home / "profiles"
    anna = store.load("Anna")
    assert anna.measurements == {"stature": 165.0, "waist_girth": 72.0} and anna.sex == "female"
    assert json.loads(store.path_of("Anna").read_text())["schema_version"] == 1
    store.rename("Anna", "Anna K")
    assert store.names() == ["Anna K", "Ben"]
    with pytest.raises(ProfileError, match="already exists"):
        store.rename("Ben", "anna k")
    store.delete("Ben")
    assert store.names() == ["Anna K"]
    assert store.delete_all() == 1 and store.names() == []


def test_bad_profiles_are_refused_and_nothing_is_written(_home):
    store = ProfileStore()
    with pytest.raises(Exception, match="stature"):
        store.save(Profile("X", {"waist_girth": 70}))
    assert store.names() == []
    with pytest.raises(ProfileError, match="no profile named"):
        store.load("ghost")
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "broken.json").write_text('{"name": "broken", "measurements": {"stature": "x"}}')
    with pytest.raises(ProfileError, match="damaged"):
        store.load("broken")
    (store.root / "future.json").write_text('{"schema_version": 9, "name": "future", "measurements": {}}')
    with pytest.raises(ProfileError, match="newer version"):
        store.load("future")


def _cli(capsys, *argv):
    from app.cli import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_line(err):
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err


def test_unicode_names_never_share_a_file(_home, tmp_path, capsys):
    store = ProfileStore()
    store.save(Profile("张伟", {"stature": 175}, "male"))
    store.save(Profile("李娜", {"stature": 160}, "female"))
    store.save(Profile("Anna", {"stature": 165}))
    store.save(Profile("ANNA!", {"stature": 190}))
    assert store.names() == ["Anna", "ANNA!", "张伟", "李娜"]
    assert len(list(store.root.glob("*.json"))) == 4
    assert store.load("张伟").measurements == {"stature": 175.0}
    assert store.load("Anna").measurements == {"stature": 165.0}
    assert store.path_of("张伟") != store.path_of("李娜") and store.path_of("张伟").name.startswith("profile-")
    assert json.loads(store.path_of("李娜").read_text(encoding="utf-8"))["name"] == "李娜"
    code, _, err = _cli(capsys, "profile", "delete", "王")
    assert code == 2 and "no profile named '王'" in err
    _one_line(err)
    assert store.names() == ["Anna", "ANNA!", "张伟", "李娜"]
    code, out, _ = _cli(capsys, "profile", "show", "张伟")
    assert code == 0 and json.loads(out)["measurements"] == {"stature": 175.0}


def test_file_names_are_stable(_home):
    # the same name gives the same file on every machine and run (a slug plus a hash of the name)
    from avatar.profiles import file_name

    assert file_name("Anna K") == "anna-k-" + __import__("hashlib").sha256(b"anna k").hexdigest()[:10] + ".json"
    assert file_name("  Anna   K ") == file_name("anna k") == file_name("ANNA K")
    assert file_name("Zoë") == file_name("Zoe\u0308")  # the same text, composed or not


def test_an_existing_name_is_refused_unless_replaced(_home, tmp_path, capsys):
    body = tmp_path / "body.json"
    body.write_text('{"measurements": {"stature": 170}}')
    assert _cli(capsys, "profile", "save", "Anna", "--measurements", str(body))[0] == 0
    body.write_text('{"measurements": {"stature": 180}}')
    code, _, err = _cli(capsys, "profile", "save", "anna", "--measurements", str(body))
    assert code == 2 and "already exists" in err and "--replace" in err
    _one_line(err)
    assert ProfileStore().load("Anna").measurements == {"stature": 170.0}
    for flag in ("--replace", "--force"):
        assert _cli(capsys, "profile", "save", "Anna", "--measurements", str(body), flag)[0] == 0
    assert ProfileStore().load("Anna").measurements == {"stature": 180.0}
    assert ProfileStore().names() == ["Anna"]


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "a\x00b", "x" * 61, "bad\udcff"])
def test_unusable_names_are_one_line(_home, tmp_path, capsys, name):
    body = tmp_path / "body.json"
    body.write_text('{"measurements": {"stature": 170}}')
    code, _, err = _cli(capsys, "profile", "save", name, "--measurements", str(body))
    assert code == 2 and "name" in err
    _one_line(err)
    assert ProfileStore().names() == []


def test_files_from_before_the_hash_are_read_replaced_renamed_and_deleted(_home):
    store = ProfileStore()
    store.root.mkdir(parents=True)
    (store.root / "profile.json").write_text(json.dumps(
        {"schema_version": 1, "name": "张伟", "sex": "male", "units": "cm", "measurements": {"stature": 175}}),
        encoding="utf-8")
    (store.root / "anna.json").write_text(json.dumps({"name": "Anna", "measurements": {"stature": 165}}))
    assert store.names() == ["Anna", "张伟"] and store.exists("张伟")
    assert store.load("张伟").measurements == {"stature": 175.0}
    with pytest.raises(ProfileError, match="already exists"):
        store.save(Profile("张伟", {"stature": 176}))
    store.save(Profile("张伟", {"stature": 176}), overwrite=True)
    assert not (store.root / "profile.json").exists() and store.load("张伟").measurements == {"stature": 176.0}
    store.rename("Anna", "Anna K")
    assert not (store.root / "anna.json").exists() and store.names() == ["Anna K", "张伟"]
    (store.root / "old.json").write_text(json.dumps({"name": "Old", "measurements": {"stature": 150}}))
    store.delete("Old")
    assert store.names() == ["Anna K", "张伟"]


@pytest.mark.parametrize("code_name", ["ENOSPC", "EROFS", "EACCES"])
def test_full_disk_or_read_only_folder_changes_nothing(_home, monkeypatch, capsys, tmp_path, code_name):
    import errno
    import os

    store = ProfileStore()
    store.save(Profile("Anna", {"stature": 165}))
    before = {p.name: p.read_bytes() for p in store.root.iterdir()}
    body = tmp_path / "body.json"
    body.write_text('{"measurements": {"stature": 170}}')

    def fail(*_a, **_k):
        raise OSError(getattr(errno, code_name), os.strerror(getattr(errno, code_name)))

    monkeypatch.setattr(os, "replace", fail)
    monkeypatch.setattr(type(store.root), "unlink", fail)
    expected = "disk is full" if code_name == "ENOSPC" else "cannot be written"
    for argv in (("profile", "save", "Ben", "--measurements", str(body)),
                 ("profile", "save", "Anna", "--replace", "--measurements", str(body)),
                 ("profile", "rename", "Anna", "Ann"), ("profile", "delete", "Anna")):
        code, _, err = _cli(capsys, *argv)
        assert code == 2 and expected in err, (argv, err)
        _one_line(err)
        assert {p.name: p.read_bytes() for p in store.root.iterdir()} == before, argv


def test_rename_that_cannot_remove_the_old_file_keeps_one_copy(_home, monkeypatch):
    import os
    from pathlib import Path

    store = ProfileStore()
    store.save(Profile("Anna", {"stature": 165}))
    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):
        if self == store.path_of("Anna"):
            raise PermissionError(13, os.strerror(13))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(ProfileError, match="could not rename"):
        store.rename("Anna", "Ben")
    assert store.names() == ["Anna"]


@pytest.mark.parametrize("text", ['{"name": "X", "measurements": {"stature": ' + "9" * 500 + "}}",
                                  '{"name": "X", "measurements": {"stature": 1e400}}',
                                  '{"name": "X", "measurements": ' + "[" * 5000 + "]" * 5000 + "}",
                                  '{"name": "X", "measurements": {"stature": NaN}}'])
def test_hostile_profile_files_are_one_line(_home, capsys, text):
    store = ProfileStore()
    store.root.mkdir(parents=True)
    store.path_of("X").write_text(text)
    code, _, err = _cli(capsys, "profile", "show", "X")
    assert code == 2
    _one_line(err)
    assert store.names() == []  # an unreadable file is not listed (and never crashes the list)


def test_a_gui_profile_saved_in_inches_holds_and_reads_as_cm(_home, tmp_path):
    from app.orders.pricing import load_measurements
    from avatar.measurements import read_measurement_file

    store = ProfileStore()
    path = store.save(Profile("Tall", {"stature": 177.8, "waist_girth": 81.3}, "male", units="in"))
    data = json.loads(path.read_text())
    assert data["units"] == "cm" and data["display_units"] == "in"
    assert store.load("Tall").units == "in"
    assert load_measurements(path) == {"stature": 177.8, "waist_girth": 81.3}
    # a file the app wrote before display_units existed: cm values under "units": "in"
    legacy = tmp_path / "legacy.json"
    legacy.write_text(json.dumps({"schema_version": 1, "name": "Tall", "sex": "male", "units": "in",
                                  "measurements": {"stature": 177.8}, "updated_at": "2026-11-01T10:00:00Z"}))
    assert load_measurements(legacy) == {"stature": 177.8}
    assert read_measurement_file(legacy)[0][0].values == {"stature": 177.8}
    # a hand-written file in inches is still read in inches
    typed = tmp_path / "typed.json"
    typed.write_text(json.dumps({"units": "in", "measurements": {"stature": 70}}))
    assert load_measurements(typed) == {"stature": 177.8}


def test_the_uncertainty_of_estimated_values_is_kept(_home, tmp_path):
    from app.orders.pricing import load_measurements

    store = ProfileStore()
    path = store.save(Profile("Est", {"stature": 170, "chest_girth": 95, "body_mass": 70}, "female",
                              uncertainty={"chest_girth": 1.6, "body_mass": 2.5}))
    data = json.loads(path.read_text())
    assert data["uncertainty"] == {"chest_girth": 1.6, "body_mass": 2.5} and data["schema_version"] == 1
    assert store.load("Est").uncertainty == {"chest_girth": 1.6, "body_mass": 2.5}
    store.rename("Est", "Estimated")
    assert store.load("Estimated").uncertainty == {"chest_girth": 1.6, "body_mass": 2.5}
    assert load_measurements(store.path_of("Estimated"))["chest_girth"] == 95.0  # still a measurement file
    # typed values have none, and files from before the field read as having none
    assert "uncertainty" not in json.loads(store.save(Profile("Typed", {"stature": 180})).read_text())
    old = store.root / "old.json"
    old.write_text(json.dumps({"schema_version": 1, "name": "Old", "units": "cm", "measurements": {"stature": 160}}))
    assert store.load("Old").uncertainty == {}


@pytest.mark.parametrize("uncertainty, words", [
    ({"hip_girth": 1.0}, "does not hold"), ({"chest_girth": -1}, "from 0 to 25.5"),
    ({"chest_girth": 26}, "from 0 to 25.5"), ({"chest_girth": "1"}, "from 0 to 25.5"),
])
def test_a_bad_uncertainty_is_refused_on_save_and_on_load(_home, uncertainty, words):
    store = ProfileStore()
    with pytest.raises(ProfileError, match=words):
        store.save(Profile("Est", {"stature": 170, "chest_girth": 95}, uncertainty=uncertainty))
    assert store.names() == []
    store.root.mkdir(parents=True)
    (store.root / "est.json").write_text(json.dumps({"name": "Est", "measurements": {"stature": 170, "chest_girth": 95},
                                                     "uncertainty": uncertainty}))
    with pytest.raises(ProfileError, match=f"damaged .*{words}") as error:
        store.load("Est")
    assert "\n" not in str(error.value)
