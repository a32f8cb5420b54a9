"""The measurements panel alone: typing, units, inline messages, build requests."""

import pytest
from PySide6.QtCore import QPoint

from app.gui.panels.measurements import MeasurementsPanel
from app.gui.session import Session


@pytest.fixture
def panel(qtbot):
    session = Session()
    p = MeasurementsPanel(session, store=None)
    qtbot.addWidget(p)
    p.show()
    return p


def type_into(qtbot, panel, name, text):
    edit = panel.edits[name]
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_valid_values_reach_the_session(qtbot, panel):
    type_into(qtbot, panel, "stature", "172")
    type_into(qtbot, panel, "waist_girth", "74.5")
    assert panel.session.measurements == {"stature": 172.0, "waist_girth": 74.5}
    assert not panel.errors["stature"].isVisible()


def test_bad_value_shows_inline_message_and_keeps_session(qtbot, panel):
    type_into(qtbot, panel, "stature", "172")
    type_into(qtbot, panel, "chest_girth", "12")
    assert panel.errors["chest_girth"].isVisible()
    assert panel.errors["chest_girth"].text() == "Enter 60–170 cm"
    assert "chest_girth" not in panel.session.measurements
    type_into(qtbot, panel, "hip_girth", "abc")
    assert panel.errors["hip_girth"].text() == "'abc' is not a number"


def test_build_refuses_with_banner_message_when_invalid(qtbot, panel):
    messages, builds = [], []
    panel.error.connect(messages.append)
    panel.build_requested.connect(lambda: builds.append(True))
    panel.build_button.click()  # no height yet
    assert builds == []
    assert messages and messages[-1].startswith("Height: Required")
    assert panel.errors["stature"].isVisible()
    type_into(qtbot, panel, "stature", "172")
    type_into(qtbot, panel, "thigh_girth", "500")  # under "More measurements"
    panel.build_button.click()
    assert builds == [] and "Thigh" in messages[-1]
    assert panel.more_button.isChecked() and panel.errors["thigh_girth"].isVisible()
    type_into(qtbot, panel, "thigh_girth", "55")
    with qtbot.waitSignal(panel.build_requested, timeout=1000):
        panel.build_button.click()


def test_units_switch_converts_the_form_not_the_truth(qtbot, panel):
    type_into(qtbot, panel, "stature", "180")
    type_into(qtbot, panel, "body_mass", "70")
    panel.units_box.setCurrentText("in")
    assert panel.session.units == "in"
    assert panel.edits["stature"].text() == "70.9"
    assert panel.units_labels["body_mass"].text() == "lb"
    assert panel.session.measurements["stature"] == 180.0
    type_into(qtbot, panel, "waist_girth", "30")
    assert panel.session.measurements["waist_girth"] == pytest.approx(76.2)
    type_into(qtbot, panel, "hip_girth", "500")
    assert panel.errors["hip_girth"].text() == "Enter 26–71 in"


def test_session_changes_show_in_the_form(qtbot, panel):
    panel.session.set_measurements({"stature": 165.0, "hip_girth": 98.0}, "male")
    assert panel.edits["stature"].text() == "165"
    assert panel.edits["hip_girth"].text() == "98"
    assert panel.sex_box.currentText() == "male"
    panel.session.clear()
    assert panel.edits["stature"].text() == ""


def test_messages_do_not_move_the_fields_or_the_build_button(qtbot, panel):
    panel.resize(460, 760)
    layout = panel.layout()

    def where():
        layout.activate()
        for w in (panel.edits["hip_girth"].parentWidget(), panel):
            w.layout().activate()
        return [panel.edits[n].mapTo(panel, QPoint(0, 0)) for n in ("chest_girth", "waist_girth", "hip_girth")] + [
            panel.build_button.mapTo(panel, QPoint(0, 0))]

    before = where()
    type_into(qtbot, panel, "stature", "17")  # a message appears under Height
    assert panel.errors["stature"].isVisible() and where() == before
    panel.status.setText("Avatar built: your measurement matched.")  # one line instead of two
    assert where() == before
    panel.status.setText("Showing an average body; build your avatar to match your measurements, which you can "
                         "type here in centimetres or inches.")
    assert where() == before


def test_saving_over_another_profile_asks_and_inches_are_stored_as_cm(qtbot, monkeypatch):
    import json

    from PySide6.QtWidgets import QMessageBox

    from app.orders.pricing import load_measurements
    from avatar.profiles import Profile, ProfileStore

    store = ProfileStore()
    store.save(Profile("Sam", {"stature": 160.0}))
    session = Session()
    panel = MeasurementsPanel(session, store=store)
    qtbot.addWidget(panel)
    panel.units_box.setCurrentText("in")
    type_into(qtbot, panel, "stature", "70")
    messages = []
    panel.info.connect(messages.append)
    panel.error.connect(messages.append)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    panel.save_as("sam")
    assert asked and "already exists" in asked[0] and messages[-1].startswith("Not saved")
    assert store.load("Sam").measurements == {"stature": 160.0}
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.save_as("Sam")
    assert store.load("Sam").measurements == {"stature": 177.8}
    asked.clear()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    type_into(qtbot, panel, "stature", "71")
    panel.save_as("Sam")  # saving the loaded profile again updates it without asking
    assert not asked and store.load("Sam").measurements["stature"] == pytest.approx(180.34)
    path = store.path_of("Sam")
    assert json.loads(path.read_text())["units"] == "cm"
    assert load_measurements(path) == {"stature": pytest.approx(180.34)}  # what order place --measurements reads


# what the shopper typed is never silently replaced, whatever else they edit
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


@pytest.fixture
def window(qtbot):
    from app.gui.main_window import MainWindow

    w = MainWindow(prepare=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_closing_with_values_never_saved_asks_and_cancel_keeps_them(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from avatar.profiles import ProfileStore

    type_into(qtbot, window.measurements_panel, "stature", "171")
    type_into(qtbot, window.measurements_panel, "waist_girth", "77")
    asked = []
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save,
                    QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or next(answers))
    names = iter([("", False)])  # Save, then the shopper cancels the name: nothing saved, nothing closed
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(names))
    window.close()
    assert len(asked) == 1 and "Save the measurements you entered as a profile before closing?" in asked[0]
    assert window.isVisible() and window.measurements_panel.edits["waist_girth"].text() == "77"
    window.close()
    assert len(asked) == 2 and window.isVisible() and ProfileStore().names() == []
    window.close()  # discarded, on purpose
    assert len(asked) == 3 and not window.isVisible() and ProfileStore().names() == []


def test_closing_with_values_never_saved_can_save_them_as_a_profile(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from avatar.profiles import ProfileStore

    type_into(qtbot, window.measurements_panel, "stature", "171")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Mia", True))
    window.close()
    assert not window.isVisible() and ProfileStore().load("Mia").measurements == {"stature": 171.0}


def test_nothing_to_lose_closes_without_a_question(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.gui.main_window import MainWindow
    from avatar.profiles import Profile, ProfileStore

    ProfileStore().save(Profile("Anna", {"stature": 165.0}))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    window.close()  # nothing typed
    assert not window.isVisible()
    again = MainWindow(prepare=False)
    qtbot.addWidget(again)
    again.show()
    again.measurements_panel.load_profile("Anna")  # saved and unchanged
    again.runner.forget()
    again.close()
    assert not again.isVisible() and asked == []


def test_the_kiosk_closes_without_asking(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.gui.kiosk import KioskWindow
    from app.kiosk_pin import set_pin

    set_pin("246813")
    window = KioskWindow(prepare=False)
    qtbot.addWidget(window)
    window.show()
    type_into(qtbot, window.measurements_panel, "stature", "171")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    window.staff_exit()
    assert not window.isVisible() and asked == []
