"""The GUI's plumbing: task runner (latest request wins), banner, settings, session model."""

import json
import threading

import pytest

from app.gui.banner import Banner, error_text
from app.gui.session import CM_PER_IN, Session, from_display, to_display
from app.gui.settings import Settings
from app.gui.tasks import TaskRunner
from avatar.errors import Cancelled, UserError


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    assert r.shutdown(10000)


def _wait_for(gate, cancelled):
    while not gate.wait(0.01):
        if cancelled():
            raise Cancelled("stopped")


def test_task_reports_progress_and_result_on_gui_thread(qtbot, runner):
    seen = []

    def work(x, *, progress, cancelled):
        progress(0.5, "half")
        return x * 2

    task = runner.start("job", "Working", work, 21)
    task.progress.connect(lambda f, m: seen.append((f, m, threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen == [(0.5, "half", True)]
    qtbot.waitUntil(lambda: not runner.busy())


def test_latest_request_wins_and_older_result_is_dropped(qtbot, runner):
    gate = threading.Event()
    first_results, first_cancelled = [], []

    def slow(*, progress, cancelled):
        _wait_for(gate, cancelled)
        return "old"

    first = runner.start("fit", "Fit", slow)
    first.finished.connect(first_results.append)
    first.cancelled.connect(lambda: first_cancelled.append(True))
    second = runner.start("fit", "Fit", lambda *, progress, cancelled: "new")
    with qtbot.waitSignal(second.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == ["new"]
    assert first.stop.is_set()  # the older task was asked to stop
    gate.set()
    qtbot.waitUntil(lambda: not first.running, timeout=5000)
    assert first_results == [] and first_cancelled == []  # stale: nothing reaches the window


def test_cancel_reports_cancelled_not_failed(qtbot, runner):
    gate = threading.Event()
    failures = []

    def slow(*, progress, cancelled):
        _wait_for(gate, cancelled)
        return 1

    task = runner.start("drape", "Drape", slow)
    task.failed.connect(failures.append)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        runner.cancel("drape")
    assert failures == []
    qtbot.waitUntil(lambda: not runner.busy("drape"))


def test_errors_reach_the_gui_as_failed(qtbot, runner):
    def bad(*, progress, cancelled):
        raise UserError("the file is broken; fix it")

    task = runner.start("x", "X", bad)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert str(blocker.args[0]) == "the file is broken; fix it"


def test_error_text_is_a_user_error_s_message_or_a_generic_line():
    from garments.errors import GarmentNotFound

    assert error_text(GarmentNotFound("no garment with id 'x'; choose one from the catalog")) == \
        "no garment with id 'x'; choose one from the catalog"
    assert error_text(UserError("bad"), otherwise="unused") == "bad"
    assert error_text(RuntimeError("boom"), otherwise="Try another file") == "Try another file"
    generic = error_text(RuntimeError("boom"))
    assert "RuntimeError: boom" in generic and "try again" in generic


def test_banner_error_stays_info_hides(qtbot):
    banner = Banner()
    banner.info_ms = 50
    qtbot.addWidget(banner)
    banner.show()
    banner.show_error("measurement file not found; give a path")
    assert "measurement file not found" in banner.text()
    assert banner.isVisible() and banner.kind == "error"
    banner.show_info("Saved")
    assert "Saved" in banner.text()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10000)  # info hides itself
    assert banner.text() == ""
    banner.show_error("boom")
    with qtbot.waitSignal(banner.dismissed, timeout=1000):
        banner.close_button.click()
    assert not banner.isVisible()


def test_banner_resolve_clears_only_its_topic(qtbot):
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show()
    height = banner.height()
    banner.show_error("Weight: Enter 30–200 kg; fix the field marked in red", "measurements")
    assert banner.height() == height  # the same line whether shown or not
    banner.resolve("drape")
    assert banner.kind == "error"
    with qtbot.waitSignal(banner.dismissed, timeout=1000):
        banner.resolve("measurements")
    assert banner.isHidden() and banner.text() == "" and banner.topic == ""
    banner.show_error("The shop refused order 7")  # no topic: only the shopper dismisses it
    banner.resolve("measurements", "")
    assert banner.kind == "error"
    banner.show_info("Saved")
    banner.resolve("measurements")
    assert banner.kind == "info"
    assert banner.sizePolicy().retainSizeWhenHidden()


def test_settings_roundtrip_and_bad_file(_home):
    s = Settings(last_profile="anna", units="in", panel=2, geometry=Settings.encode(b"\x01\x02"))
    s.save()
    raw = json.loads(Settings.path().read_text())
    assert raw["version"] == 1 and raw["last_profile"] == "anna"
    back = Settings.load()
    assert (back.last_profile, back.units, back.panel) == ("anna", "in", 2)
    assert Settings.decode(back.geometry) == b"\x01\x02"
    Settings.path().write_text("{not json")
    assert Settings.load() == Settings()  # defaults, and the bad file set aside
    assert Settings.path().with_name("settings.json.bad").exists()


def test_settings_migrates_version_0(_home):
    Settings.path().parent.mkdir(parents=True, exist_ok=True)
    Settings.path().write_text(json.dumps({"profile": "old", "units": "cm", "panel": "not an int"}))
    s = Settings.load()
    assert s.last_profile == "old" and s.panel == 0 and s.version == 1


def test_session_signals_and_cart(qtbot):
    session = Session()
    with qtbot.waitSignal(session.measurements_changed):
        session.set_measurement("stature", 170)
    with qtbot.assertNotEmitted(session.measurements_changed):
        session.set_measurement("stature", 170.0)
    with qtbot.waitSignal(session.tryon_changed):
        session.add_tryon("tee", "M", "navy")
    session.set_size("tee", "L")
    assert session.item("tee").size == "L" and session.selected == "tee"
    session.add_to_cart("tee", "L", "navy")
    session.add_to_cart("tee", "L", "navy", 2)
    assert session.cart_json() == {"items": [{"garment": "tee", "size": "L", "quantity": 3, "colour": "navy"}]}
    session.set_quantity(0, 0)
    assert session.cart == ()
    with qtbot.waitSignal(session.cleared):
        session.clear()
    assert session.measurements == {} and session.tryon == ()


def test_units_conversion():
    assert to_display(2.54, "in") == pytest.approx(1.0)
    assert from_display(10, "in") == pytest.approx(10 * CM_PER_IN)
    assert from_display(100, "in", "mass") == pytest.approx(45.359237)
    assert to_display(70, "cm", "mass") == 70
