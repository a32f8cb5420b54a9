"""Broken files under the data root never stop the app from opening: a banner says what happened."""

import pytest

from app.gui.main_window import MainWindow
from app.gui.settings import Settings
from avatar.errors import UserError


@pytest.mark.parametrize("text", ["[" * 100000 + "]" * 100000, '{"panel": ' + "7" * 5000 + "}", "\udcff",
                                  '{"version": 1, "units": {"a": [1e999]}}'])
def test_broken_settings_give_defaults_and_say_why(_home, text):
    _home.mkdir()
    Settings.path().write_text(text, encoding="utf-8", errors="surrogateescape")
    settings = Settings.load()
    assert settings == Settings() and settings.load_problem.startswith("The saved window settings could not be read")
    assert Settings.path().with_name("settings.json.bad").exists()


def test_window_opens_with_a_broken_settings_file(qtbot, _home):
    _home.mkdir()
    Settings.path().write_text("[" * 100000 + "]" * 100000)
    window = MainWindow(prepare=False)
    qtbot.addWidget(window)
    window.show()
    assert "window settings could not be read" in window.banner.text()
    assert window.banner.kind == "error" and len(window.banner.text().splitlines()) == 1
    assert Settings.path().with_name("settings.json.bad").exists() and not Settings.path().exists()
    window.close()


def test_kiosk_with_a_broken_pin_file_is_a_user_error(qtbot, _home):
    from app.gui.launch import launch

    _home.mkdir()
    (_home / "kiosk.json").write_text("{" * 100000)
    with pytest.raises(UserError, match="nests deeper.*set-pin --reset"):
        launch(kiosk=True)
