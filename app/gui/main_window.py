"""The main window: panels on the left, the avatar in the centre, progress at the bottom.

The window wires the session (the truth), the try-on controller (``app.controller.tryon``: the
catalog, the cached stages and the scene to show), the panels (mirrors of both) and the task
runner (long work off the GUI thread). It holds no state of the shopper's.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from avatar.errors import UserError

from app.controller.capture import CaptureModel
from app.controller.tryon import TryOnController

from . import workflow
from .banner import Banner, error_text
from .constants import REFIT_DEBOUNCE_MS, TOUCH_TARGET_PX
from .delivery_notices import show_report, start_delivery
from .session import Session
from .settings import Settings
from .status_bar import StatusBar
from .style import STYLE
from .tasks import TaskRunner
from .view import SilhouetteView, silhouette_image
from .wardrobe import keep_wardrobe

log = logging.getLogger(__name__)

TAB_MEASUREMENTS, TAB_CAMERA, TAB_CATALOG, TAB_TRYON, TAB_CART = range(5)



class MainWindow(QMainWindow):
    """The desktop fitting room.

    Parameters
    ----------
    session : the shopper's state (a new one if None)
    settings : remembered layout and last profile (loaded from the data root if None)
    kiosk : touch-first store mode (no file dialogs, no designer import, nothing saved)
    """

    avatar_shown = Signal()  # the view received an avatar scene (tests wait on it)
    first_frame = Signal()  # the first picture of an avatar is on screen (the launch benchmark waits on it)
    delivery_report = Signal(object)  # app.orders.delivery.DeliveryReport, from the delivery thread

    def __init__(self, session: Session | None = None, settings: Settings | None = None, *, kiosk: bool = False,
                 prepare: bool = True):
        super().__init__()
        self.kiosk = kiosk
        self.session = session or Session()
        self.settings = settings or (Settings() if kiosk else Settings.load())
        self.runner = TaskRunner(self)
        self.controller = TryOnController(self.session, self.runner, store_only=kiosk)
        self.setWindowTitle("Fitting Room")
        self.setStyleSheet(STYLE)

        self.banner = Banner()
        self._first_frame = False
        if prepare:  # start loading the body now: it overlaps building the widgets (results arrive later)
            self.prepare()
        self.view = self._make_view()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("panels")
        self.tabs.setMinimumWidth(400)
        self._build_panels()

        centre = QWidget()
        centre.setObjectName("centre")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        view_box = QWidget()
        vl = QVBoxLayout(view_box)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.setSpacing(0)
        vl.addWidget(self.view, 1)
        self.banner.float_over(view_box)  # over the backdrop above the body: no strip, no jump
        self.view.reserve_top(self.banner.height())  # the fit map's legend stays clear of it
        from .panels.looks import LookBox, PoseBox

        self.pose_box = PoseBox(self.controller)
        if hasattr(self.view, "add_control"):
            self.view.add_control(self.pose_box)
        else:  # the flat view has no button row
            vl.addWidget(self.pose_box)
        self.look_box = LookBox(self.controller)
        self.measurements_panel.add_section(self.look_box)
        self.capture_panel.skin_tone_suggested.connect(self.look_box.suggest_skin_tone)  # offered, not applied
        from .panels.motion import MotionBox

        self.motion_box = MotionBox(self.session, self.controller)
        self.tryon_panel.add_fit_section(self.motion_box)
        self.tryon_panel.show_motion(self.controller.motion.get, self.controller.motion_changed)
        splitter.addWidget(view_box)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([470, 810])
        self.splitter = splitter
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(splitter, 1)
        self.status_bar = StatusBar(self.runner, self.session)
        self.status_bar.cancel_button.clicked.connect(self.cancel_work)
        self.status_label, self.progress = self.status_bar.status_label, self.status_bar.progress
        self.cancel_button = self.status_bar.cancel_button
        layout.addWidget(self.status_bar)
        self.setCentralWidget(centre)

        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(REFIT_DEBOUNCE_MS)
        self._refit_timer.timeout.connect(self.build_avatar)
        self.controller.scene_changed.connect(self._show_scene)
        self.controller.catalog_changed.connect(self._catalog_loaded)
        self.controller.dressed.connect(lambda: self.banner.resolve("drape"))
        self.controller.failed.connect(lambda exc, topic: self.banner.show_error(error_text(exc), topic))
        self._restore()
        # the cart and what is worn come back after a restart (a kiosk remembers nothing)
        self.wardrobe = None if kiosk else keep_wardrobe(self.session, self.banner)
        self.delivery_report.connect(self._delivered)  # on the GUI thread: the report comes from the delivery thread
        self.delivery = start_delivery(self.delivery_report.emit, self.banner)
        if self.delivery is not None:
            self.cart_panel.order_placed.connect(lambda _order: self.delivery.wake())
        if not kiosk:
            quit_action = QAction("Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
            self.addAction(quit_action)

    # construction ---------------------------------------------------------------------------------
    def _make_view(self):
        """The 3D viewport with the application's one render worker; a flat front view without OpenGL."""
        self.render_worker = None
        try:
            from app.render.viewport import Viewport
            from app.render.worker import QtRenderWorker

            self.render_worker = QtRenderWorker(self)
        except Exception as exc:  # no OpenGL (or no pyrender) on this machine: the flat view still works
            log.warning("3D view unavailable (%s); showing a flat front view", exc)
            view = SilhouetteView()
            view.render_requested.connect(self._render_silhouette)
            return view
        self.render_worker.failed.connect(self.banner.show_error)
        # the worker compiles its shaders on a tiny scene while the body loads (warm start)
        view = Viewport(self.render_worker, **({"button_height": TOUCH_TARGET_PX} if self.kiosk else {}))
        view.frameShown.connect(self._frame_shown)
        return view

    def _frame_shown(self, result) -> None:
        self.controller.picture_shown(result.request.content)
        if self.view.content is not None and not self._first_frame:
            self._first_frame = True
            self.first_frame.emit()

    def avatar_picture(self):
        """The picture on screen now (QImage; null when there is none)."""
        return self.view.grab_image()

    def _render_silhouette(self, content) -> None:
        task = self.runner.start("silhouette", "Drawing", silhouette_image, content, progress=False)
        task.finished.connect(self.view.show_image)
        task.finished.connect(lambda _image: self.controller.picture_shown(content))
        task.failed.connect(lambda exc: self.banner.show_error(error_text(exc)))

    def _build_panels(self) -> None:
        from .panels.measurements import MeasurementsPanel

        store = None
        if not self.kiosk:  # a kiosk saves nothing about its shoppers
            from avatar.profiles import ProfileStore

            store = ProfileStore()
        from .panels.capture import CapturePanel
        from .panels.cart import CartPanel
        from .panels.catalog import CatalogPanel
        from .panels.tryon import TryOnPanel

        self.measurements_panel = MeasurementsPanel(self.session, store=store, keypad=self.kiosk)
        self.measurements_panel.build_requested.connect(self.build_avatar)
        self.measurements_panel.delete_data_requested.connect(self.confirm_delete_my_data)
        self.capture = CaptureModel(self.session, self.runner, file_dialogs=not self.kiosk)  # cameras, steps, photos
        self.capture_panel = CapturePanel(self.session, self.runner, capture=self.capture, file_dialogs=not self.kiosk,
                                          keypad=self.kiosk)
        self.capture_panel.estimated.connect(lambda: self.tabs.setCurrentIndex(TAB_MEASUREMENTS))
        self.capture_panel.code_reader.build_requested.connect(self.build_avatar)
        self.capture_panel.code_reader.build_requested.connect(lambda: self.tabs.setCurrentIndex(TAB_MEASUREMENTS))
        self.catalog_panel = CatalogPanel(touch=self.kiosk, designer=not self.kiosk)
        self.catalog_panel.try_on.connect(self.try_on)
        self.catalog_panel.import_requested.connect(self.open_import_dialog)
        self.tryon_panel = TryOnPanel(self.session, self.lookup)
        self.cart_panel = CartPanel(self.session, self.lookup, picture=self.avatar_picture,
                                    file_dialogs=not self.kiosk)
        # a validation error goes away once the form is valid again or an avatar is built from it
        self.measurements_panel.error.connect(lambda message: self.banner.show_error(message, "measurements"))
        self.measurements_panel.fields_valid.connect(lambda: self.banner.resolve("measurements"))
        for panel in (self.capture_panel, self.tryon_panel, self.cart_panel):
            panel.error.connect(self.banner.show_error)
        for panel in (self.measurements_panel, self.capture_panel, self.tryon_panel, self.cart_panel):
            panel.info.connect(self.banner.show_info)
        self.tabs.addTab(self.measurements_panel, "Measurements")
        self.tabs.addTab(self.capture_panel, "Camera")
        self.tabs.addTab(self.catalog_panel, "Catalog")
        self.tabs.addTab(self.tryon_panel, "Try-on && Fit")
        self.tabs.addTab(self.cart_panel, "Cart")
        self.session.cart_changed.connect(self._sync_cart_tab)
        self.session.measurements_changed.connect(self._measurements_edited)

    def _sync_cart_tab(self) -> None:
        n = sum(line.quantity for line in self.session.cart)
        self.tabs.setTabText(TAB_CART, f"Cart ({n})" if n else "Cart")

    def _measurements_edited(self) -> None:
        # once the shopper has an avatar of their own, edits refit it (after a pause in typing)
        # (never while a field holds what cannot be read: the avatar would be built without it)
        if self.session.fit is not None and "stature" in self.session.measurements \
                and not self.measurements_panel.invalid_fields():
            self._refit_timer.start()

    # catalog ----------------------------------------------------------------------------------------------
    @property
    def garments(self) -> dict:
        """garment_id -> Garment of the catalog loaded (empty until it is)."""
        return self.controller.garments

    def lookup(self, garment_id: str):
        """The catalog's garment of this id (raises the catalog's not-found error)."""
        return self.controller.lookup(garment_id)

    def load_catalog(self) -> None:
        self.controller.load_catalog()

    def _catalog_loaded(self, loaded) -> None:
        self.catalog_panel.set_garments(loaded.garments)
        if loaded.problems:
            self.banner.show_error(f"{len(loaded.problems)} imported garment(s) could not be loaded: "
                                   f"{loaded.problems[0]}")

    def open_import_dialog(self):
        """Designers: the garment import dialog (not in the kiosk)."""
        if self.kiosk:
            return None
        from .import_dialog import ImportDialog

        dialog = ImportDialog(self)
        dialog.imported.connect(lambda _g: self.load_catalog())
        dialog.try_on.connect(self.try_on)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.import_dialog = dialog
        return dialog

    def try_on(self, garment_id: str) -> None:
        """Put a garment on the avatar in its recommended size and first colour, then show the fit."""
        try:
            self.controller.try_on(garment_id)
        except Exception as exc:
            self.banner.show_error(error_text(exc))
            return
        self.tabs.setCurrentIndex(TAB_TRYON)

    # long work ----------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Get the body model ready and show the average body (first run: fetch the assets)."""
        task = self.prepare_body()
        task.over.connect(self.load_catalog)  # after the body: both at once slow the first picture down

    def prepare_body(self):
        task = self.runner.start("fit", "Loading the body model", workflow.prepare_body, self.session.sex)
        task.finished.connect(self._prepared)
        task.failed.connect(lambda exc: self.banner.show_error(error_text(exc)))
        return task

    def _prepared(self, avatar) -> None:
        if self.session.avatar is None:
            self.session.set_avatar(avatar, None)
        if self.settings.last_profile and self.measurements_panel.profile_box is not None:
            self.measurements_panel.load_profile(self.settings.last_profile)

    def build_avatar(self) -> None:
        """Fit the avatar to the session's measurements in a worker (cancels a fit already running)."""
        self._refit_timer.stop()
        values = dict(self.session.measurements)
        if "stature" not in values:
            self.banner.show_error("Enter your height first: the avatar is scaled to it", "measurements")
            return
        task = self.runner.start("fit", "Building your avatar", workflow.fit_body, values, self.session.sex)
        task.finished.connect(self._fitted)
        task.failed.connect(lambda exc: self.banner.show_error(error_text(exc), "fit"))

    def _fitted(self, result) -> None:
        self.banner.resolve("measurements", "fit")  # the avatar is built: earlier complaints are answered
        self.session.set_avatar(result.avatar, result)
        if result.missed:
            self.banner.show_info(f"Avatar built; {len(result.missed)} measurement(s) could not be matched exactly "
                                  "(see the Measurements panel)")

    def cancel_work(self) -> None:
        self.runner.cancel()
        self.banner.show_info("Cancelled")

    # drawing ---------------------------------------------------------------------------------------------
    def _show_scene(self, content) -> None:
        self.view.set_content(content)
        if content is not None:
            self.avatar_shown.emit()

    # order delivery -------------------------------------------------------------------------------------
    def _delivered(self, report) -> None:
        show_report(self.banner, report)

    # privacy ----------------------------------------------------------------------------------------------
    def confirm_delete_my_data(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self, "Delete my data",
            "Remove every saved profile and measurement from this computer, and clear this session?\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_my_data()

    def delete_my_data(self) -> int:
        """Remove every profile and stored measurement (``app.personal_data``), and forget the session;
        returns profiles removed."""
        from app.personal_data import delete_personal_data

        self.runner.forget("fit")
        self.controller.forget()
        try:
            removed = delete_personal_data()
        except (OSError, UserError) as exc:
            self.banner.show_error(f"Could not delete every profile ({exc}); close other copies of the app and try again")
            return 0
        for edit in self.measurements_panel.edits.values():
            edit.clear()
        self.session.clear()
        self.settings.last_profile = ""
        self.save_settings()
        self.measurements_panel._sync_profiles()
        self.prepare_body()
        self.banner.show_success(f"Your data has been deleted ({removed} profile{'s' if removed != 1 else ''} removed)")
        return removed

    # settings -------------------------------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        if s.geometry:
            self.restoreGeometry(QByteArray(Settings.decode(s.geometry)))
        else:
            self.resize(1280, 820)
        if s.window_state:
            self.restoreState(QByteArray(Settings.decode(s.window_state)))
        self.session.set_units(s.units)
        if 0 <= s.panel < self.tabs.count():
            self.tabs.setCurrentIndex(s.panel)
        if s.load_problem:
            self.banner.show_error(s.load_problem)

    def save_settings(self) -> None:
        if self.kiosk:
            return  # a store kiosk remembers nothing about its shoppers
        s = self.settings
        s.geometry = Settings.encode(self.saveGeometry().data())
        s.window_state = Settings.encode(self.saveState().data())
        s.last_profile = self.session.profile
        s.units = self.session.units
        s.panel = self.tabs.currentIndex()
        try:
            s.save()
        except OSError as exc:
            log.warning("could not save settings: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        if not self.kiosk and not self.measurements_panel.keep_or_discard_changes(closing=True):
            event.ignore()  # the shopper went back to their unsaved measurements
            return
        self.save_settings()
        if self.wardrobe is not None:
            self.wardrobe.flush()
        self.capture_panel.stop_camera()
        self.runner.shutdown()
        if self.delivery is not None:
            self.delivery.stop()
            self.delivery = None
        self.view.set_turntable(False)
        self.view.set_content(None)  # no more frames are asked of the worker closing below
        if self.render_worker is not None:
            self.render_worker.close()
            self.render_worker = None
        super().closeEvent(event)
