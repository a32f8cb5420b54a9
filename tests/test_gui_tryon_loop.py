"""The try-on loop as a shopper flips through it: colours and sizes seen before cost no drape."""

import pytest

from app.controller.stages import neighbour_sizes
from app.gui.main_window import MainWindow

pytestmark = pytest.mark.body


@pytest.fixture
def drapes(monkeypatch):
    """Every garment draped, as (garment id, size), from whichever thread drapes it."""
    import garments.outfit as outfit

    seen = []
    real = outfit.drape_garment

    def counting(avatar, garment, size, **kw):
        seen.append((garment.id, size))
        return real(avatar, garment, size, **kw)

    monkeypatch.setattr(outfit, "drape_garment", counting)
    return seen


def test_colour_change_and_size_revisit_drape_nothing(qtbot, drapes, body_model):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.garments) and window.view.content is not None, timeout=60000)
    window.catalog_panel.select("crew-tee")
    with qtbot.waitSignal(window.controller.dressed, timeout=120000):
        window.catalog_panel.try_button.click()
    tryon, controller = window.tryon_panel, window.controller
    worn = window.session.item("crew-tee").size
    ahead = neighbour_sizes([s.name for s in window.lookup("crew-tee").sizes], worn)
    # the neighbours, draped ahead once the dressed picture is on screen
    qtbot.waitUntil(lambda: len(drapes) == 1 + len(ahead) and not window.runner.busy("prepare"), timeout=120000)
    count = len(drapes)

    colour_before = window.view.content.garments[0].colour
    renderer = window.view.worker.worker
    shown, stills = [], []
    window.view.frameShown.connect(lambda result: shown.append(result.request.content))
    window.view.frameShown.connect(lambda result: result.request.samples and stills.append(result))
    window.view.request_frame()
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] is window.view.content, timeout=60000)
    uploads = renderer.uploads
    with qtbot.assertNotEmitted(controller.drape_started):
        tryon.colour_box.setCurrentIndex(1)
        tryon.colour_box.activated.emit(1)  # the shopper picks the second colour
    assert window.view.content.garments[0].colour != colour_before  # shown at once, in the new colour
    assert not window.runner.busy("drape") and len(drapes) == count
    qtbot.waitUntil(lambda: shown[-1] is window.view.content, timeout=60000)
    assert renderer.uploads == uploads  # the frame only took the new colour: no mesh was uploaded again
    qtbot.waitUntil(lambda: bool(stills) and stills[-1].request.content is window.view.content, timeout=60000)
    recoloured = stills[-1].image

    sizes = [s.name for s in window.lookup("crew-tee").sizes]
    neighbour = sizes[sizes.index(worn) + 1] if sizes.index(worn) + 1 < len(sizes) else sizes[sizes.index(worn) - 1]
    with qtbot.waitSignal(controller.dressed, timeout=60000):
        tryon.choose_size(neighbour)
    qtbot.waitUntil(lambda: shown[-1] is window.view.content, timeout=60000)
    uploads = renderer.uploads
    with qtbot.waitSignal(controller.dressed, timeout=60000):
        tryon.choose_size(worn)
    assert window.view.content.garments[0].name == f"crew-tee:{worn}"
    qtbot.waitUntil(lambda: stills[-1].request.content is window.view.content, timeout=60000)
    assert renderer.uploads == uploads  # back to a size seen before: its meshes were kept, none made again
    assert (stills[-1].image == recoloured).all()  # and it looks as it did
    assert window.view.content.garments[0].colour != colour_before  # the colour picked stays
    assert ("crew-tee", worn) not in drapes[count:] and ("crew-tee", neighbour) not in drapes[count:]
    window.close()


def test_quit_and_relaunch_keeps_the_cart_and_what_is_worn(qtbot):
    window = MainWindow(prepare=False)
    qtbot.addWidget(window)
    window.session.add_to_cart("crew-tee", "M", "navy", 2)
    window.session.add_tryon("crew-tee", "L", "white")
    window.close()

    again = MainWindow(prepare=False)
    qtbot.addWidget(again)
    assert [(l.garment_id, l.size, l.colour, l.quantity) for l in again.session.cart] == [("crew-tee", "M", "navy", 2)]
    assert again.session.item("crew-tee").size == "L" and again.tabs.tabText(4) == "Cart (2)"
    assert again.cart_panel.table.rowCount() == 1
    again.close()


def test_the_kiosk_remembers_no_cart(qtbot):
    from app.controller.remember import wardrobe_path
    from app.gui.kiosk import KioskWindow

    kiosk = KioskWindow(prepare=False, require_pin=False)
    qtbot.addWidget(kiosk)
    kiosk.session.add_to_cart("crew-tee", "M", "navy")
    kiosk.close()
    assert not wardrobe_path().exists()


def test_the_status_bar_keeps_its_height_while_work_runs(qtbot):
    import threading

    from PySide6.QtWidgets import QWidget

    window = MainWindow(prepare=False)
    qtbot.addWidget(window)
    window.show()
    bar = window.findChild(QWidget, "statusBar")
    idle = bar.sizeHint().height()
    release = threading.Event()
    task = window.runner.start("fit", "Working", lambda **_: release.wait(10))
    qtbot.waitUntil(lambda: window.progress.isVisible())
    assert bar.sizeHint().height() == idle
    with qtbot.waitSignal(task.ended):
        release.set()
    assert not window.progress.isVisible() and bar.sizeHint().height() == idle
    window.close()
