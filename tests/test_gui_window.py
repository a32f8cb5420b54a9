"""The main window as a shopper uses it: measurements, avatar, profiles, settings, privacy."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog

from app.gui.main_window import TAB_MEASUREMENTS, MainWindow
from app.gui.settings import Settings
from avatar.profiles import Profile, ProfileStore
from garments.constants import FIELD_STORE_FOLDER

pytestmark = pytest.mark.body


@pytest.fixture
def make_window(qtbot):
    windows = []

    def make(prepare=False):
        window = MainWindow(prepare=prepare)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def type_into(qtbot, window, name, text):
    edit = window.measurements_panel.edits[name]
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_bad_input_shows_inline_message_and_banner(qtbot, make_window):
    window = make_window()
    type_into(qtbot, window, "stature", "17")
    window.measurements_panel.build_button.click()
    assert window.measurements_panel.errors["stature"].text() == "Enter 120–220 cm"
    assert "Height: Enter 120–220 cm" in window.banner.text()
    assert not window.runner.busy("fit")  # nothing was started


def test_build_avatar_then_refit_on_edit(qtbot, make_window, body_model):
    window = make_window()
    type_into(qtbot, window, "stature", "181")
    type_into(qtbot, window, "waist_girth", "86")
    window.measurements_panel.build_button.click()
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    qtbot.waitUntil(lambda: window.view.content is not None, timeout=30000)
    assert window.session.avatar.stature_m == pytest.approx(1.81, abs=0.005)
    assert "Avatar built" in window.measurements_panel.status.text()
    first = window.session.avatar
    type_into(qtbot, window, "stature", "165")  # an edit refits on its own, once typing pauses
    qtbot.waitUntil(lambda: window.session.avatar is not first, timeout=60000)
    assert window.session.avatar.stature_m == pytest.approx(1.65, abs=0.005)
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=30000)
    assert window.status_label.text() == "Your avatar is ready"


def test_profiles_and_remembered_layout(qtbot, make_window, monkeypatch):
    window = make_window()
    panel = window.measurements_panel
    type_into(qtbot, window, "stature", "170")
    type_into(qtbot, window, "hip_girth", "99")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Anna", True))
    panel.save_button.click()
    assert ProfileStore().names() == ["Anna"]
    assert panel.profile_box.currentText() == "Anna"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Anna summer", True))
    panel.rename_button.click()
    assert ProfileStore().names() == ["Anna summer"]
    window.tabs.setCurrentIndex(TAB_MEASUREMENTS)
    window.resize(701, 563)
    window.close()
    saved = Settings.load()
    assert saved.last_profile == "Anna summer"

    again = make_window()
    assert (again.width(), again.height()) == (701, 563)
    again.measurements_panel.load_profile(saved.last_profile)
    assert again.session.measurements == {"stature": 170.0, "hip_girth": 99.0}
    assert again.measurements_panel.edits["hip_girth"].text() == "99"
    again.measurements_panel.delete_profile(confirm=False)
    assert ProfileStore().names() == []
    assert again.measurements_panel.profile_box.currentText() == "— unsaved —"


def test_delete_my_data_removes_every_profile(qtbot, make_window, _home):
    store = ProfileStore()
    store.save(Profile("one", {"stature": 160.0}))
    store.save(Profile("two", {"stature": 190.0}, "male"))
    window = make_window()
    window.measurements_panel.load_profile("two")
    window.runner.forget()
    fields = _home / FIELD_STORE_FOLDER
    fields.mkdir(parents=True)
    (fields / "body.npz").write_bytes(b"a body's distance field")
    removed = window.delete_my_data()
    assert removed == 2 and store.names() == [] and not fields.exists()
    assert window.session.measurements == {} and window.session.profile == ""
    assert window.measurements_panel.edits["stature"].text() == ""
    assert "Your data has been deleted" in window.banner.text()
    assert Settings.load().last_profile == ""
    window.runner.shutdown()


def test_launch_opens_the_window_and_returns_the_exit_status(qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from app.gui.launch import launch

    seen = []

    def event_loop(app):  # stands in for QApplication.exec: a real exec() ends the test session's application
        qtbot.waitUntil(lambda: any(isinstance(w, MainWindow) and w.isVisible() for w in app.topLevelWidgets()))
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen.append(window.windowTitle())
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert launch() == 0
    assert seen == ["Fitting Room"]


def test_kiosk_launch_without_pin_is_a_user_error(qtbot):
    from app.gui.launch import launch
    from avatar.errors import UserError

    with pytest.raises(UserError, match="set-pin"):
        launch(kiosk=True)


def test_last_profile_is_loaded_and_built_at_start(qtbot, make_window, body_model):
    ProfileStore().save(Profile("Sam", {"stature": 183.0, "waist_girth": 88.0}, "male"))
    Settings(last_profile="Sam").save()
    window = make_window(prepare=True)
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    assert window.session.profile == "Sam" and window.session.sex == "male"
    assert window.measurements_panel.profile_box.currentText() == "Sam"
    assert window.measurements_panel.edits["waist_girth"].text() == "88"
    assert window.session.avatar.stature_m == pytest.approx(1.83, abs=0.005)


def test_newest_fit_wins(qtbot, make_window, body_model):
    window = make_window()
    shown = []
    window.session.avatar_changed.connect(lambda: shown.append(window.session.avatar))
    window.session.set_measurements({"stature": 158.0})
    window.build_avatar()
    first = window.runner.task("fit")
    window.session.set_measurements({"stature": 191.0})
    window.build_avatar()  # the shopper changed their mind before the first fit ended
    assert first.stop.is_set()
    qtbot.waitUntil(lambda: window.session.fit is not None and not window.runner.busy("fit"), timeout=60000)
    assert [round(a.stature_m, 2) for a in shown] == [1.91]  # the older result never reached the window


def test_missing_assets_offline_show_the_fix_in_the_banner(qtbot, make_window, monkeypatch):
    from app.gui import workflow
    from avatar.errors import AssetsUnavailableError

    def offline(sex="female", *, progress, cancelled):
        progress(0.0, "Downloading the body model (first run only)…")
        raise AssetsUnavailableError("the body model could not be downloaded (no network); connect and run "
                                     "'fitting-room assets fetch'")

    monkeypatch.setattr(workflow, "prepare_body", offline)
    monkeypatch.setattr(workflow, "load_garments",
                        lambda store_only=False, *, progress, cancelled: workflow.CatalogLoad([], []))
    window = make_window(prepare=True)
    qtbot.waitUntil(lambda: "fitting-room assets fetch" in window.banner.text(), timeout=10000)
    assert window.banner.kind == "error" and window.isEnabled()


def test_cancel_button_stops_the_fit(qtbot, make_window, body_model):
    window = make_window()
    window.session.set_measurements({"stature": 177.0})
    window.build_avatar()
    assert window.cancel_button.isVisibleTo(window) and window.status_label.text()
    window.cancel_button.click()
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=30000)
    assert window.session.fit is None and "Cancelled" in window.banner.text()
    assert not window.cancel_button.isVisibleTo(window)


def test_a_broken_import_is_reported_and_the_catalog_still_loads(qtbot, make_window, _home):
    broken = _home / "garments" / "bad-coat"
    broken.mkdir(parents=True)
    (broken / "garment.json").write_text("{not json")
    window = make_window()
    window.load_catalog()
    qtbot.waitUntil(lambda: len(window.garments) >= 8, timeout=30000)
    qtbot.waitUntil(lambda: "could not be loaded" in window.banner.text(), timeout=5000)
    assert "crew-tee" in window.garments


def test_a_fixed_field_clears_its_error_banner_and_a_build_keeps_it_clear(qtbot, make_window, body_model):
    window = make_window()
    type_into(qtbot, window, "stature", "172")
    type_into(qtbot, window, "body_mass", "-5")
    window.measurements_panel.build_button.click()
    assert window.banner.kind == "error" and "Weight: Enter 30–200 kg" in window.banner.text()
    weight = window.measurements_panel.edits["body_mass"]
    weight.selectAll()
    with qtbot.waitSignal(window.banner.dismissed, timeout=1000):
        qtbot.keyClick(weight, Qt.Key.Key_Backspace)  # the shopper empties the field (weight is optional)
    assert window.banner.text() == "" and window.banner.isHidden()
    window.measurements_panel.build_button.click()
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    assert "Avatar built" in window.measurements_panel.status.text()
    assert window.banner.kind != "error"


def test_a_successful_build_answers_a_measurements_error_but_not_others(qtbot, make_window, body_model):
    window = make_window()
    window.banner.show_error("Enter your height first: the avatar is scaled to it", "measurements")
    type_into(qtbot, window, "stature", "50")  # still invalid: the error stays
    assert window.banner.kind == "error"
    type_into(qtbot, window, "stature", "172")
    assert window.banner.isHidden()
    window.banner.show_error("The shop refused order 7; staff can send it again")  # about something else
    window.measurements_panel.build_button.click()
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    assert window.banner.kind == "error" and "order 7" in window.banner.text()


def test_showing_the_banner_does_not_move_the_form(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    window.tabs.setCurrentIndex(TAB_MEASUREMENTS)
    edit = window.measurements_panel.edits["waist_girth"]
    qtbot.waitUntil(edit.isVisible)
    layout = window.centralWidget().layout()

    def where():
        layout.activate()  # lay out now, as the next paint would
        return edit.mapTo(window, QPoint(0, 0)), window.view.mapTo(window, QPoint(0, 0))

    before = where()
    window.banner.show_error("Weight: Enter 30–200 kg; fix the field marked in red")
    assert window.banner.isVisible() and where() == before
    window.banner.dismiss()
    assert where() == before
