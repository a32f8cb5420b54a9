"""Test isolation: every test gets its own empty user data root; Qt and GL run headless."""

import gc
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("FITTING_ROOM_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _widgets_die_on_the_gui_thread(request):
    """After a Qt test, collect its garbage here, on the GUI thread: a window left in a reference cycle
    must not be destroyed by a collection that happens to run in a worker thread of a later test."""
    yield
    if "qtbot" in request.fixturenames:
        gc.collect()


@pytest.fixture(scope="session")
def body_model():
    """The real body model (assets fetched once per machine into the shared cache)."""
    from avatar.body_model import load_body_model

    return load_body_model()
