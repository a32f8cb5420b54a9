"""Work kept on disk between processes: a body's distance field, the dress form's levels, a garment's binding.

Each is read back instead of built again in a new process, gives the same result as building it, is built
again when its entry is damaged, and is safe to delete.
"""

import numpy as np
import pytest

from avatar.avatar import reference_avatar
from avatar.fitting import fit_avatar
from garments import array_store, dress_form, field_store, sdf, transfer
from garments.constants import BINDING_STORE_FOLDER, FIELD_STORE_FOLDER


def test_an_entry_is_read_back_rebuilt_when_damaged_and_the_oldest_dropped(tmp_path):
    calls = []

    def build(value):
        return lambda: calls.append(value) or {"a": np.arange(3) * value}

    arrays, stored = array_store.stored_arrays(tmp_path, "one", ("a",), build(1), keep=2)
    again, stored_again = array_store.stored_arrays(tmp_path, "one", ("a",), build(9), keep=2)
    assert (stored, stored_again) == (False, True) and again["a"].tolist() == [0, 1, 2] and calls == [1]
    (tmp_path / "one.npz").write_bytes(b"not an npz")  # damaged: built again
    assert array_store.stored_arrays(tmp_path, "one", ("a",), build(2), keep=2)[0]["a"].tolist() == [0, 2, 4]
    _, missing = array_store.stored_arrays(tmp_path, "one", ("a", "b"), build(3), keep=2)  # lacks "b"
    assert not missing
    array_store.stored_arrays(tmp_path, "two", ("a",), build(4), keep=2)
    array_store.stored_arrays(tmp_path, "one", ("a",), build(5), keep=2)  # read: now the most recent
    array_store.stored_arrays(tmp_path, "three", ("a",), build(6), keep=2)
    assert sorted(p.stem for p in tmp_path.glob("*.npz")) == ["one", "three"]
    assert not list(tmp_path.glob(".*"))  # no half-written files left


@pytest.fixture
def new_process(monkeypatch):
    """Forget what this process keeps in memory, as a new process would not have it."""
    monkeypatch.setattr(sdf, "_CACHE", sdf.ArrayCache(4))
    monkeypatch.setattr(transfer, "_BINDINGS", transfer.ArrayCache(32))
    dress_form.body_form.cache_clear()
    yield
    dress_form.body_form.cache_clear()


def test_a_body_field_read_back_is_the_one_built(_home, new_process, monkeypatch):
    avatar = fit_avatar({"stature": 170, "chest_girth": 104, "waist_girth": 92, "hip_girth": 108}, "female").avatar
    built = field_store.stored_body_sdf(avatar)
    assert len(list((_home / FIELD_STORE_FOLDER).glob("*.npz"))) == 1
    monkeypatch.setattr(sdf, "_CACHE", sdf.ArrayCache(4))
    monkeypatch.setattr(sdf, "build_sdf", lambda *a, **k: pytest.fail("the stored field was built again"))
    read = field_store.stored_body_sdf(avatar)
    assert read is not built and sdf.body_sdf(avatar) is read  # kept in memory, as body_sdf keeps its own
    assert np.array_equal(read.values, built.values) and np.array_equal(read.origin, built.origin)
    assert np.array_equal(read.rough_box, built.rough_box)
    points = avatar.vertices[::50] + 0.01
    assert np.array_equal(read.distance_and_gradient(points)[1], built.distance_and_gradient(points)[1])
    field_store.forget_stored_bodies()
    assert not (_home / FIELD_STORE_FOLDER).exists()


def test_the_dress_form_levels_read_back_are_those_measured(new_process, monkeypatch):
    measured = dress_form.body_form("male")
    dress_form.body_form.cache_clear()
    monkeypatch.setattr(dress_form, "_levels", lambda *a: pytest.fail("measured again"))
    read = dress_form.body_form("male")
    assert read.levels == measured.levels
    for name in ("grid_y", "centre_z", "girth"):
        assert np.array_equal(getattr(read, name), getattr(measured, name))


def test_a_garment_binding_read_back_is_the_one_made(tmp_path, new_process, monkeypatch):
    monkeypatch.setenv("FITTING_ROOM_CACHE", str(tmp_path / "cache"))
    body = reference_avatar("female")
    points = body.vertices[body.body_faces[::40, 0]] + np.array([0.0, 0.0, 0.01])
    made = transfer.cached_binding(points, body.vertices, body.body_faces)
    monkeypatch.setattr(transfer, "_BINDINGS", transfer.ArrayCache(32))
    monkeypatch.setattr(transfer, "bind_to_surface", lambda *a: pytest.fail("bound again"))
    read = transfer.cached_binding(points, body.vertices, body.body_faces)
    assert np.array_equal(read.body_vertex, made.body_vertex) and np.array_equal(read.weights, made.weights)
    assert len(list((tmp_path / "cache" / BINDING_STORE_FOLDER).glob("*.npz"))) == 1
