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
    assert json.loads((store.root / "anna.json").read_text())["schema_version"] == 1
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
