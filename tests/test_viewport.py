"""The 3D viewport widget: gestures become camera moves and render requests, low resolution while dragging."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.render import GarmentLayer, RenderResult, SceneContent
from app.render.constants import DRAG_SCALE, FAST_SAMPLES, FULL_SAMPLES
from app.render.viewport import Viewport


class FakeWorker(QObject):
    """Records requests; frames are delivered by the test."""

    frameReady = Signal(object)

    def __init__(self):
        super().__init__()
        self.requests = []

    def submit(self, request):
        self.requests.append(request)

    def deliver(self, request=None):
        request = request or self.requests[-1]
        image = np.full((request.height, request.width, 3), (200, 150, 120), np.uint8)
        self.frameReady.emit(RenderResult(request, image, 0.0, 0))


def box_content(strain=False) -> SceneContent:
    import trimesh

    body = trimesh.creation.box((0.4, 1.7, 0.25))
    body.apply_translation((0, 0.85, 0))
    shirt = trimesh.creation.box((0.45, 0.6, 0.3))
    shirt.apply_translation((0, 1.1, 0))
    layer = GarmentLayer("shirt", shirt.vertices, shirt.faces, (0.2, 0.3, 0.6),
                         strain=np.linspace(0, 0.2, len(shirt.vertices)) if strain else None)
    return SceneContent.from_mesh(body.vertices, body.faces, [layer])


@pytest.fixture
def view(qtbot):
    worker = FakeWorker()
    widget = Viewport(worker)
    qtbot.addWidget(widget)
    widget.resize(400, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_content(box_content())
    return widget, worker


def full_size(widget):
    ratio = widget.devicePixelRatioF()
    return round(widget.width() * ratio), round(widget.height() * ratio)


def test_drag_orbits_at_low_resolution_then_full_on_release(qtbot, view):
    widget, worker = view
    w, h = full_size(widget)
    yaw = widget.camera.yaw_deg
    centre = widget.rect().center()
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(widget.renderRequested) as blocker:
        qtbot.mouseMove(widget, centre + QPoint(60, 0))
    dragging = blocker.args[0]
    assert widget.dragging
    assert (dragging.width, dragging.height) == (int(w * DRAG_SCALE), int(h * DRAG_SCALE))
    assert dragging.samples == FAST_SAMPLES
    assert widget.camera.yaw_deg != yaw
    with qtbot.waitSignal(widget.renderRequested) as blocker:
        qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=centre + QPoint(60, 0))
    final = blocker.args[0]
    assert not widget.dragging
    assert (final.width, final.height) == (w, h) and final.samples == FULL_SAMPLES
    assert final.camera == widget.camera


def test_right_drag_pans(qtbot, view):
    widget, worker = view
    target = widget.camera.target.copy()
    centre = widget.rect().center()
    qtbot.mousePress(widget, Qt.MouseButton.RightButton, pos=centre)
    qtbot.mouseMove(widget, centre + QPoint(0, 40))
    qtbot.mouseRelease(widget, Qt.MouseButton.RightButton, pos=centre + QPoint(0, 40))
    assert widget.camera.target[1] > target[1]          # dragging down moves the picture down: look higher
    assert widget.camera.yaw_deg == pytest.approx(0.0)


def test_wheel_zooms_fast_then_settles_to_full(qtbot, view):
    widget, worker = view
    distance = widget.camera.distance_m
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, widget.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    assert widget.camera.distance_m < distance
    assert worker.requests[-1].samples == FAST_SAMPLES
    qtbot.waitUntil(lambda: worker.requests[-1].samples == FULL_SAMPLES, timeout=3000)
    assert worker.requests[-1].width == full_size(widget)[0]


def test_pinch_zooms_and_pans(qtbot, view):
    widget, worker = view
    distance = widget.camera.distance_m
    widget.pinch(1.25, QPointF(10, 0))
    assert widget.dragging and widget.camera.distance_m == pytest.approx(distance / 1.25)
    assert worker.requests[-1].samples == FAST_SAMPLES
    widget.pinch(1.0, finished=True)
    assert not widget.dragging and worker.requests[-1].samples == FULL_SAMPLES


def test_view_buttons_and_turntable(qtbot, view):
    widget, worker = view
    qtbot.mouseClick(widget.view_buttons["side"], Qt.MouseButton.LeftButton)
    assert widget.camera.yaw_deg == pytest.approx(90)
    qtbot.mouseClick(widget.view_buttons["back"], Qt.MouseButton.LeftButton)
    assert widget.camera.yaw_deg == pytest.approx(180)
    widget.front()
    assert widget.camera.yaw_deg == pytest.approx(0)
    qtbot.mouseClick(widget.turntable_button, Qt.MouseButton.LeftButton)
    assert widget.turntable
    qtbot.waitUntil(lambda: 1.0 < widget.camera.yaw_deg < 180, timeout=3000)
    assert worker.requests[-1].samples == FAST_SAMPLES
    widget.set_turntable(False)
    assert not widget.turntable_button.isChecked() and worker.requests[-1].samples == FULL_SAMPLES


def test_keyboard_controls(qtbot, view):
    widget, worker = view
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.camera.yaw_deg == pytest.approx(360 - 15)
    distance = widget.camera.distance_m
    qtbot.keyClick(widget, Qt.Key.Key_Plus)
    assert widget.camera.distance_m < distance
    qtbot.keyClick(widget, Qt.Key.Key_S)
    assert widget.camera.yaw_deg == pytest.approx(90)
    qtbot.keyClick(widget, Qt.Key.Key_T)
    assert widget.turntable
    qtbot.keyClick(widget, Qt.Key.Key_T)
    assert not widget.turntable
    qtbot.keyClick(widget, Qt.Key.Key_M)
    assert not widget.fit_map                                  # nothing to colour yet
    assert worker.requests[-1].samples == FULL_SAMPLES


def test_fit_map_toggle_and_legend(qtbot, view):
    widget, worker = view
    assert not widget.fit_map_button.isEnabled()              # nothing to colour
    widget.set_content(box_content(strain=True))
    assert widget.fit_map_button.isEnabled()
    qtbot.mouseClick(widget.fit_map_button, Qt.MouseButton.LeftButton)
    assert widget.fit_map and worker.requests[-1].fit_map
    assert widget.legend.isVisible() and not widget.legend.pixmap().isNull()
    widget.set_fit_map(False)
    assert not widget.legend.isVisible() and not worker.requests[-1].fit_map


def test_new_body_reframes_new_garments_do_not(qtbot, view):
    widget, worker = view
    widget.side()
    zoomed = widget.camera.zoom(2.0)
    widget.set_camera(zoomed)
    same_body = SceneContent(widget.content.body_vertices, widget.content.skin_faces, garments=())
    widget.set_content(same_body)                                # garments taken off: the view stays
    assert widget.camera == zoomed
    taller = SceneContent(widget.content.body_vertices * 1.1, widget.content.skin_faces)
    widget.set_content(taller)                                   # another body: framed again, same side
    assert widget.camera.distance_m > zoomed.distance_m and widget.camera.yaw_deg == pytest.approx(90)


def test_stale_frames_are_not_shown(qtbot, view):
    widget, worker = view
    widget.request_frame(fast=True)
    old = worker.requests[-1]
    widget.request_frame()
    new = worker.requests[-1]
    with qtbot.waitSignal(widget.frameShown):
        worker.deliver(new)
    shown = widget.image
    assert (shown.width(), shown.height()) == (new.width, new.height)
    with qtbot.assertNotEmitted(widget.frameShown):
        worker.deliver(old)
    assert widget.image.width() == new.width
    widget.set_content(None)                                   # cleared: the placeholder, no late frames
    assert widget.image is None and widget.grab_image().isNull()
    with qtbot.assertNotEmitted(widget.frameShown):
        worker.deliver(new)


@pytest.mark.gl
def test_real_worker_frame_reaches_the_widget(qtbot):
    from app.render.worker import QtRenderWorker

    worker = QtRenderWorker()
    try:
        widget = Viewport(worker)
        qtbot.addWidget(widget)
        widget.resize(200, 260)
        widget.show()
        qtbot.waitExposed(widget)
        with qtbot.waitSignal(widget.frameShown, timeout=30000,
                              check_params_cb=lambda r: r.request.samples == FULL_SAMPLES) as blocker:
            widget.set_content(box_content())
        result = blocker.args[0]
        assert result.thread_id == worker.worker.thread_id
        image = widget.grab_image()
        assert (image.width(), image.height()) == full_size(widget)
        centre = widget.grab().toImage().pixelColor(widget.width() // 2, widget.height() // 2)
        assert centre.blue() > centre.red() + 30                  # the blue shirt, drawn and shown
    finally:
        worker.close()


@pytest.mark.gl
def test_worker_deleted_with_its_parent_stops(qtbot):
    from PySide6.QtWidgets import QWidget

    from app.render.worker import QtRenderWorker

    parent = QWidget()
    worker = QtRenderWorker(parent)
    inner = worker.worker
    assert inner.running
    parent.deleteLater()
    qtbot.waitUntil(lambda: not inner.running, timeout=30000)


def test_kiosk_sized_buttons(qtbot):
    widget = Viewport(FakeWorker(), button_height=56)
    qtbot.addWidget(widget)
    assert all(b.minimumHeight() == 56 for b in widget.view_buttons.values())


def test_new_content_asks_a_quick_frame_then_the_still_picture(qtbot, view):
    widget, worker = view
    worker.requests.clear()
    widget.set_content(box_content(strain=True))
    quick, still = worker.requests
    assert (quick.samples, still.samples) == (FAST_SAMPLES, FULL_SAMPLES)
    assert (quick.width, quick.height) == (still.width, still.height) == full_size(widget)
    assert quick.serial < still.serial and quick.content is still.content


def test_resize_keeps_the_whole_body_until_the_user_moves_the_camera(qtbot, view):
    import trimesh

    widget, worker = view
    t_pose = trimesh.creation.box((1.7, 1.7, 0.25))             # as wide as tall, like arms spread out
    t_pose.apply_translation((0, 0.85, 0))
    widget.set_content(SceneContent.from_mesh(t_pose.vertices, t_pose.faces))
    tall = widget.camera.distance_m
    widget.resize(200, 500)                                     # narrower: must step back to keep the arms in
    qtbot.waitUntil(lambda: widget.camera.distance_m > tall, timeout=3000)
    widget.set_camera(widget.camera.zoom(2.0))                  # the user zooms in: a resize keeps it
    zoomed = widget.camera
    widget.resize(400, 500)
    qtbot.waitUntil(lambda: worker.requests[-1].width == full_size(widget)[0], timeout=3000)
    assert widget.camera == zoomed
