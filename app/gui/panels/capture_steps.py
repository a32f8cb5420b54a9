"""Guided capture: the steps (an optional background plate, a front photo, a side photo), each after a
countdown and checked before it is kept; or two photos from files, checked the same way.

The steps are the Camera tab's (``capture.CapturePanel``); photos stay in memory.
"""

from __future__ import annotations

import numpy as np

from avatar.errors import UserError

from ..file_dialogs import open_file

#: Seconds of countdown before a photo is taken (time to step back into the pose).
COUNTDOWN_S = 3
STEPS = ("background", "front", "side")
STEP_TEXT = {
    "background": "Step out of the picture, then take the background (optional: it makes the estimate sharper).",
    "front": "Stand facing the camera, arms a little away from your body, whole body in the picture.",
    "side": "Turn a quarter turn so one shoulder faces the camera, arms slightly forward.",
}


def check_pair(front: np.ndarray, side: np.ndarray, background: np.ndarray | None = None):
    """Check a front and a side photo; raise the first problem (a PhotoError with guidance)."""
    from avatar.estimate.checks import assess_frame

    for image, view in ((front, "front"), (side, "side")):
        assessment = assess_frame(image, view, background)
        if not assessment.ok:
            raise assessment.problems[0]
    return front, side


class GuidedCapture:
    """The capture steps of the Camera tab (put before ``QWidget`` in its bases).

    The panel provides ``step`` (one of ``STEPS`` or "done"), ``photos`` (step -> RGB), ``latest`` (the newest
    frame or None), ``runner``, ``file_dialogs``, the ``error``/``info`` signals, the widgets
    ``step_label``, ``capture_button``, ``skip_button``, ``estimate_button`` and ``results``, a one-second
    ``_tick`` timer connected to ``_count``, and ``_show(rgb)`` to put a picture in the preview.
    """

    _countdown = 0

    def no_picture_text(self) -> str:
        """Why the photo button cannot be used while no camera delivers a picture, and what to do."""
        return ("Start the camera to take the photos here"
                + (", or use two photos from files." if self.file_dialogs else "."))

    def _sync_step(self) -> None:
        done = self.step == "done"
        live = self.latest is not None
        text = STEP_TEXT.get(self.step, "")
        if not live and text:  # the step to come, after what has to happen first
            text = f"{self.no_picture_text()} Then: {text[:1].lower()}{text[1:]}"
        self.step_label.setText("Both photos taken. Enter your height and estimate." if done else text)
        self.capture_button.setText({"background": "Take background", "front": "Take front photo",
                                     "side": "Take side photo"}.get(self.step, "Done"))
        self.capture_button.setEnabled(not done and live and not self._tick.isActive())
        self.capture_button.setToolTip("" if live or done else self.no_picture_text())
        self.skip_button.setVisible(self.step == "background")
        self.estimate_button.setEnabled("front" in self.photos and "side" in self.photos)

    def start_countdown(self) -> None:
        if self.latest is None:
            self.error.emit("Start the camera first (or use two photos from files)")
            return
        self._countdown = COUNTDOWN_S
        self.capture_button.setText(str(self._countdown))
        self.capture_button.setEnabled(False)
        self._tick.start()

    def _count(self) -> None:
        self._countdown -= 1
        if self._countdown > 0:
            self.capture_button.setText(str(self._countdown))
            return
        self._tick.stop()
        self.take(self.latest)

    def take(self, rgb: np.ndarray | None) -> None:
        """Take ``rgb`` as the photo of the current step (checked first, except the background)."""
        if rgb is None:
            self.error.emit("No picture from the camera yet; wait for the preview, then try again")
            self._sync_step()
            return
        step = self.step
        if step == "background":
            self.photos["background"] = rgb
            self._advance()
            return
        from avatar.estimate.checks import assess_frame

        task = self.runner.start("check", "Checking the photo", assess_frame, rgb, step, self.photos.get("background"),
                                 progress=False)
        task.finished.connect(lambda a, s=step, img=rgb: self._taken(s, img, a))
        task.failed.connect(lambda exc: (self.error.emit(str(exc)), self._sync_step()))

    def _taken(self, step: str, rgb: np.ndarray, assessment) -> None:
        if not assessment.ok:
            self.error.emit(assessment.guidance)
            self._sync_step()
            return
        self.photos[step] = rgb
        self.info.emit(f"{step.capitalize()} photo taken")
        self._advance()

    def _advance(self) -> None:
        order = list(STEPS) + ["done"]
        self.step = order[order.index(self.step) + 1] if self.step != "done" else "done"
        self._sync_step()

    def restart(self) -> None:
        self.photos = {}
        self.step = "background"
        self.results.hide()
        self._sync_step()


    def photos_from_files(self) -> None:
        front = open_file(self, "Front photo", "Images (*.jpg *.jpeg *.png)", "photos")
        if not front:
            return
        side = open_file(self, "Side photo", "Images (*.jpg *.jpeg *.png)", "photos")
        if side:
            self.use_files(front, side)

    def use_files(self, front: str, side: str) -> None:
        """Photos from files go through the same checks as camera photos."""
        from avatar.estimate.camera import read_image

        try:
            front_rgb, side_rgb = read_image(front), read_image(side)
        except UserError as exc:
            self.error.emit(str(exc))
            return
        task = self.runner.start("check", "Checking the photos", check_pair, front_rgb, side_rgb,
                                 self.photos.get("background"), progress=False)
        task.finished.connect(self._pair_checked)
        task.failed.connect(lambda exc: self.error.emit(str(exc)))

    def _pair_checked(self, pair) -> None:
        self.photos["front"], self.photos["side"] = pair
        self.step = "done"
        self._sync_step()
        self._show(pair[0])
        self.info.emit("Photos accepted")
