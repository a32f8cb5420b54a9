"""What the shopper typed is never silently replaced, whatever else they edit."""

import pytest

from app.gui.panels.measurements import MeasurementsPanel
from app.gui.session import Session


@pytest.fixture
def panel(qtbot):
    p = MeasurementsPanel(Session(), store=None)
    qtbot.addWidget(p)
    p.show()
    return p


def type_into(qtbot, panel, name, text):
    edit = panel.edits[name]
    edit.clear()
    qtbot.keyClicks(edit, text)


@pytest.mark.parametrize("bad", ["900", "abc"])
def test_a_bad_value_keeps_its_text_and_error_when_another_field_is_edited(qtbot, panel, bad):
    type_into(qtbot, panel, "stature", "170")
    type_into(qtbot, panel, "waist_girth", "90")
    type_into(qtbot, panel, "waist_girth", bad)
    message = panel.errors["waist_girth"].text()
    assert message and "waist_girth" not in panel.session.measurements  # the old 90 is not used
    type_into(qtbot, panel, "chest_girth", "95")
    panel.session.set_units("in")
    panel.session.set_units("cm")
    assert panel.edits["waist_girth"].text() == bad and panel.errors["waist_girth"].text() == message
    assert "waist_girth" not in panel.session.measurements and panel.invalid_fields().keys() == {"waist_girth"}


def test_saving_a_profile_without_a_name_says_so(qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from avatar.profiles import ProfileStore

    panel = MeasurementsPanel(Session(), store=ProfileStore())
    qtbot.addWidget(panel)
    type_into(qtbot, panel, "stature", "170")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("   ", True))
    with qtbot.waitSignal(panel.error) as said:
        panel.save_profile()
    assert "type a name" in said.args[0] and ProfileStore().names() == []


def test_a_changed_profile_is_marked_and_closing_asks_first(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.gui.main_window import MainWindow
    from app.gui.panels.measurements import MODIFIED_MARK
    from avatar.profiles import Profile, ProfileStore

    ProfileStore().save(Profile("Anna", {"stature": 165.0, "waist_girth": 74.0}))
    window = MainWindow(prepare=False)
    qtbot.addWidget(window)
    window.show()
    panel = window.measurements_panel
    panel.load_profile("Anna")
    window.runner.forget()
    assert panel.profile_box.currentText() == "Anna"
    type_into(qtbot, panel, "waist_girth", "76")
    assert panel.profile_box.currentText() == "Anna" + MODIFIED_MARK
    asked = []
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or next(answers))
    window.close()
    assert window.isVisible() and asked and "Anna" in asked[0]  # cancelled: nothing thrown away
    window.close()
    assert not window.isVisible() and ProfileStore().load("Anna").measurements["waist_girth"] == 76.0
