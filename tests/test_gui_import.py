"""The designer's import dialog: the CLI's import function, a preview on the body, keep or discard."""

import numpy as np
import pytest

from app.gui.import_dialog import ImportDialog

pytestmark = pytest.mark.body


def write_tube_obj(path, radius=0.19, y0=1.00, y1=1.45, around=48, down=12):
    """A plain open tube around the torso (a sleeveless top), metres, Y up."""
    lines = []
    for j in range(down + 1):
        y = y0 + (y1 - y0) * j / down
        for i in range(around):
            a = 2 * np.pi * i / around
            lines.append(f"v {radius * np.sin(a):.5f} {y:.5f} {0.02 + 0.8 * radius * np.cos(a):.5f}")
    for j in range(down):
        for i in range(around):
            a, b = j * around + i + 1, j * around + (i + 1) % around + 1
            c, d = a + around, b + around
            lines.append(f"f {a} {b} {d}")
            lines.append(f"f {a} {d} {c}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def dialog(qtbot):
    d = ImportDialog()
    qtbot.addWidget(d)
    d.show()
    yield d
    d.runner.shutdown()


def test_import_preview_keep_and_discard(qtbot, dialog, tmp_path):
    from garments.catalog import get_garment

    source = write_tube_obj(tmp_path / "summer_top.obj")
    before = source.read_bytes()
    dialog.path_edit.setText(str(source))
    dialog.category_box.setCurrentText("top")
    dialog.name_edit.setText("Summer top")
    dialog.size_edit.setText("S")
    dialog.price_box.setValue(24.5)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.garment is not None, timeout=60000)
    g = dialog.garment
    assert g.name == "Summer top" and g.category == "top" and g.sizes[0].name == "S" and g.price == 24.5
    assert get_garment(g.id).source == "user"
    assert not dialog.preview.pixmap().isNull()  # the garment drawn on the body
    assert source.read_bytes() == before  # the designer's file is never modified
    with qtbot.waitSignal(dialog.imported):
        dialog.keep_button.click()
    assert "in your catalog" in dialog.banner.text()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.garment is not None, timeout=60000)
    second = dialog.garment.id
    dialog.discard_button.click()
    from garments.errors import GarmentNotFound

    with pytest.raises(GarmentNotFound):
        get_garment(second)
    assert "discarded" in dialog.banner.text()


def test_broken_file_shows_one_line_in_the_banner(qtbot, dialog, tmp_path):
    bad = tmp_path / "broken.obj"
    bad.write_text("this is not a mesh\n")
    dialog.path_edit.setText(str(bad))
    dialog.price_box.setValue(10)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=30000)
    assert "broken.obj" in dialog.banner.text()
    assert dialog.import_button.isEnabled() and dialog.garment is None
    dialog.path_edit.setText(str(tmp_path / "missing.glb"))
    dialog.import_button.click()
    assert "does not exist" in dialog.banner.text()


def test_a_price_is_required_and_currency_checked(qtbot, dialog, tmp_path):
    source = write_tube_obj(tmp_path / "summer_top.obj")
    dialog.path_edit.setText(str(source))
    dialog.category_box.setCurrentText("top")
    assert dialog.price_box.text() == "required"
    dialog.import_button.click()  # refused at once, nothing started
    assert dialog.banner.kind == "error" and "price" in dialog.banner.text()
    assert dialog.import_button.isEnabled() and dialog.garment is None
    dialog.price_box.setValue(12.5)
    dialog.currency_edit.setText("U$")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30000)
    assert "ISO 4217" in dialog.banner.text() and dialog.garment is None
    assert "Error" not in dialog.banner.text()


def test_a_zip_pointing_outside_itself_shows_one_line_in_the_banner(qtbot, dialog, tmp_path):
    import zipfile

    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("../../elsewhere/garment.obj", "not a mesh")
    dialog.path_edit.setText(str(path))
    dialog.price_box.setValue(10)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=30000)
    assert "outside the archive" in dialog.banner.text() and "\n" not in dialog.banner.text()
    assert dialog.garment is None


def test_units_up_axis_and_nudge_controls_reach_the_import(qtbot, dialog, tmp_path):
    from garments.catalog import rest_mesh
    from garments.dress_form import body_form
    from test_registration import _skirt_obj

    dialog.path_edit.setText(str(_skirt_obj(tmp_path / "skirt.obj")))
    dialog.category_box.setCurrentText("skirt")
    dialog.units_box.setCurrentText("cm")
    dialog.up_box.setCurrentText("z")
    dialog.pose_box.setCurrentIndex(dialog.pose_box.findData("auto"))
    dialog.offset_box.setValue(-3.0)
    dialog.price_box.setValue(30)
    options = dialog.options()
    assert (options.units, options.up, options.pose, options.offset_cm, options.scale) == ("cm", "z", "auto", -3.0, 1.0)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.garment is not None, timeout=60000)
    top = rest_mesh(dialog.garment, "M").vertices[:, 1].max()
    assert abs(top - (body_form("female").levels["waist"] - 0.02 - 0.03)) < 0.01  # waistband at the waist, nudged
    image = dialog.preview.pixmap()
    assert image.width() > image.height() * 1.1  # front and side, side by side


def test_colourways_field_gives_the_command_lines_colour_variants(qtbot, dialog, tmp_path):
    source = write_tube_obj(tmp_path / "tank.obj")
    dialog.path_edit.setText(str(source))
    dialog.category_box.setCurrentText("top")
    dialog.price_box.setValue(19)
    dialog.colours_edit.setText("navy=#1F2A44; sand=#D8C3A5")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.garment is not None, timeout=60000)
    named = {c.name: c.rgb for c in dialog.garment.colours}
    assert named["navy"] == pytest.approx((0x1F / 255, 0x2A / 255, 0x44 / 255), abs=1e-3)
    assert "sand" in named and len(named) == 3  # the file's own colour first


def test_bad_colourway_names_the_problem_and_the_fix_in_the_banner(qtbot, dialog, tmp_path):
    from PySide6.QtWidgets import QApplication

    source = write_tube_obj(tmp_path / "tank.obj")
    dialog.path_edit.setText(str(source))
    dialog.price_box.setValue(19)
    dialog.colours_edit.setText("navy=#1F2A")
    dialog.import_button.click()
    assert dialog.banner.kind == "error" and "#1F2A" in dialog.banner.text() and "#RRGGBB" in dialog.banner.text()
    assert QApplication.activeModalWidget() is None and dialog.import_button.isEnabled()
    dialog.colours_edit.setText("navy")
    dialog.import_button.click()
    assert "NAME=#RRGGBB" in dialog.banner.text()
    dialog.colours_edit.setText("sand=sand.png")  # a print for a garment without texture coordinates
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.import_button.isEnabled() or dialog.banner.kind == "error", timeout=5000)
    qtbot.waitUntil(lambda: dialog.banner.kind == "error", timeout=60000)
    assert "sand" in dialog.banner.text() and dialog.garment is None
