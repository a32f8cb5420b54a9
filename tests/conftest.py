"""Test isolation: every test gets its own empty user data root; Qt and GL run headless."""

import gc
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")


@pytest.fixture(scope="module")
def renderer():
    """One offscreen renderer for a module's GL tests (``app.render.scene.SceneRenderer``)."""
    from app.render.scene import SceneRenderer

    r = SceneRenderer()
    yield r
    r.close()


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("FITTING_ROOM_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _unanswered_questions_discard(request, monkeypatch):
    """A Qt test's window closed with values never saved (at the latest when the test ends) asks whether to
    save them; headless, nobody answers a modal box, so one the test does not answer itself gets Discard
    (or Cancel, No, when it offers no Discard). A test that asks about the questions patches
    ``QMessageBox.question`` itself, which replaces this answer."""
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QMessageBox

    def answer(_parent, _title, _text, buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
               _default=QMessageBox.StandardButton.NoButton):
        offered = QMessageBox.StandardButton(buttons)
        for safe in (QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.Cancel,
                     QMessageBox.StandardButton.No):
            if offered & safe:
                return safe
        return QMessageBox.StandardButton.NoButton

    monkeypatch.setattr(QMessageBox, "question", answer)


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
