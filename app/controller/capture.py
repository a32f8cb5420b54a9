"""The Camera tab's state without Qt: the cameras found, the capture steps and their photos, what can be done now.

The steps run background (an optional plate of the empty room) → front → side → done. A photo is taken
from the newest camera frame after a countdown, or two photos come from files; each is checked (one person,
whole body, the right view) in a task before it is kept. The panel (``app.gui.panels.capture``) runs the
camera and the clock, writes here what happens (cameras listed, a camera started, a frame, a tick of the
countdown) and mirrors the events; what it may offer and why not is read from here, never worked out there.

Privacy: frames and photos are kept in memory only and dropped by :meth:`CaptureModel.forget`, which
runs when the session is cleared.
"""

from __future__ import annotations

import numpy as np

from avatar.errors import UserError

from .events import Event

#: Seconds of countdown before a photo is taken (time to step back into the pose).
COUNTDOWN_S = 3
STEPS = ("background", "front", "side")
DONE = "done"
STEP_TEXT = {
    "background": "Step out of the picture, then take the background (optional: it makes the estimate sharper).",
    "front": "Stand facing the camera, arms a little away from your body, whole body in the picture.",
    "side": "Turn a quarter turn so one shoulder faces the camera, arms relaxed at your sides.",
    DONE: "Both photos taken. Enter your height and estimate.",
}
BUTTON_TEXT = {"background": "Take background", "front": "Take front photo", "side": "Take side photo", DONE: "Done"}
CAMERA_OFF = "Camera off"
CAMERA_STARTING = "Starting the camera…"


def _assess_frame(*args):
    from avatar.estimate.checks import assess_frame  # loads the person models: only when a photo is checked

    return assess_frame(*args)


def check_pair(front: np.ndarray, side: np.ndarray, background: np.ndarray | None = None, *, assess=_assess_frame):
    """Check a front and a side photo ((H, W, 3) uint8 RGB each); raise the first problem (a PhotoError with
    guidance), else return ``(front, side)``."""
    for image, view in ((front, "front"), (side, "side")):
        assessment = assess(image, view, background)
        if not assessment.ok:
            raise assessment.problems[0]
    return front, side


class CaptureModel:
    """The cameras, the capture steps and the photos of one shopper.

    Events
    ------
    changed() : the step, the photos, the countdown, the cameras or the camera's state (not every frame)
    note_changed(str) : what the preview says while it shows no picture
    checked() : ``assessment``, the newest check of the preview, replaced
    shown(ndarray) : a photo to put in the preview (photos from files accepted)
    error(str), info(str) : a message for the shopper (what went wrong and what to do)
    restarted() : :meth:`restart` dropped the photos (what they gave is no longer shown)
    cleared() : :meth:`forget` dropped every frame and photo (the camera is to be stopped)

    Parameters
    ----------
    session : app.gui.session.Session; clearing it forgets every frame and photo
    runner : ``start(key, label, fn, *args, progress=..., **kwargs)`` returning a task with ``finished`` and
        ``failed`` (``app.gui.tasks.TaskRunner``); checks run under the key "check"
    file_dialogs : False in the kiosk (camera only): the advice never mentions files
    assess : ``(rgb, view, background, previous=None) -> Assessment``, ``avatar.estimate.checks.assess_frame``
    """

    changed = Event()
    note_changed = Event()
    checked = Event()
    shown = Event()
    error = Event()
    info = Event()
    restarted = Event()
    cleared = Event()

    def __init__(self, session, runner, *, file_dialogs: bool = True, assess=_assess_frame):
        self.runner = runner
        self.file_dialogs = file_dialogs
        self.assess = assess
        self._reset()
        session.cleared.connect(self.forget)

    def _reset(self) -> None:
        self.step = STEPS[0]  # one of STEPS or DONE
        self.photos: dict[str, np.ndarray] = {}  # step -> (H, W, 3) uint8 RGB; replaced, never mutated
        self.cameras: tuple[int, ...] | None = None  # the camera indices found; None until looked for
        self.probing = False  # looking for cameras now
        self.chosen: int | None = None  # the camera index chosen to start
        self.running = False  # a camera or video is running
        self.latest: np.ndarray | None = None  # its newest frame, (H, W, 3) uint8 RGB; None until one arrives
        self.assessment = None  # the newest check of the preview (its outline is drawn on it)
        self.countdown = 0  # seconds left before the photo is taken; 0 when not counting
        self.checking = False  # a photo taken is being checked
        self.note = CAMERA_OFF

    # what can be done now ----------------------------------------------------------------------------
    def no_camera_text(self) -> str:
        """What the preview says when there is no camera to use, and what to do."""
        return ("No camera found — connect one (or close the program using it) and press Find cameras"
                + (", or use two photos from files" if self.file_dialogs else ""))

    def no_picture_text(self) -> str:
        """Why no photo can be taken while no camera delivers a picture, and what to do."""
        return ("Start the camera to take the photos here"
                + (", or use two photos from files." if self.file_dialogs else "."))

    @property
    def live(self) -> bool:
        """A camera delivers pictures: a photo can be taken from it."""
        return self.latest is not None

    @property
    def can_start(self) -> bool:
        """Start (or Stop) the camera can be pressed: one runs, or one is chosen."""
        return self.running or self.chosen is not None

    @property
    def can_capture(self) -> bool:
        return self.step != DONE and self.live and not self.countdown and not self.checking

    @property
    def capture_why_not(self) -> str:
        """Why the photo button is off and what to do ("" when it can be used, or all photos are taken)."""
        return "" if self.live or self.step == DONE else self.no_picture_text()

    @property
    def capture_text(self) -> str:
        """The photo button's text: the step's, the seconds left while counting."""
        return str(self.countdown) if self.countdown else BUTTON_TEXT[self.step]

    @property
    def step_text(self) -> str:
        """The instruction for the step, after what has to happen first when no picture comes."""
        text = STEP_TEXT[self.step]
        if self.step != DONE and not self.live:
            return f"{self.no_picture_text()} Then: {text[:1].lower()}{text[1:]}"
        return text

    @property
    def can_skip(self) -> bool:
        """Only the background plate is optional."""
        return self.step == "background"

    @property
    def can_estimate(self) -> bool:
        return "front" in self.photos and "side" in self.photos

    # the camera --------------------------------------------------------------------------------------
    def looking_for_cameras(self) -> None:
        self.probing, self.cameras, self.chosen = True, None, None
        self.changed.emit()

    def cameras_found(self, indices, *, announce: bool = False) -> None:
        """The cameras that deliver a frame; ``announce``: say "no camera found" as an error too."""
        self.probing = False
        self.cameras = tuple(int(i) for i in indices)
        self.chosen = self.cameras[0] if self.cameras else None
        self.changed.emit()
        if not self.cameras:
            if not self.running:
                self._set_note(self.no_camera_text())
            if announce:
                self.error.emit("No camera found; connect one (or close the program using it) and press Find cameras")

    def probe_ended(self) -> None:
        """Looking for cameras stopped without a result (cancelled): they can be looked for again."""
        if self.probing:
            self.probing = False
            self.changed.emit()

    def choose(self, index: int | None) -> None:
        if index != self.chosen:
            self.chosen = index
            self.changed.emit()

    def camera_started(self) -> None:
        """A camera or video started: nothing from the one before may be taken."""
        self.running, self.latest, self.assessment, self.countdown = True, None, None, 0
        self._set_note(CAMERA_STARTING)
        self.changed.emit()

    def frame(self, rgb: np.ndarray) -> None:
        """The running camera's newest frame ((H, W, 3) uint8 RGB); the first one makes a photo possible."""
        if not self.running:
            return  # a frame still queued from a camera that was stopped
        first, self.latest = self.latest is None, rgb
        if first:
            self.changed.emit()

    def camera_stopped(self, source=None, message: str = "") -> None:
        """The camera stopped: asked to, at the end of a video (``message`` ""), or failed (it says why)."""
        if not self.running:
            return
        shown = self.latest is not None
        self.running, self.latest, self.countdown = False, None, 0  # nothing from a stopped camera may be taken
        if message:
            self.error.emit(message)
            if isinstance(source, int) or str(source).isdigit():
                self._set_note(f"Camera {source} cannot be opened.\n\n{self.no_camera_text()}")
            else:
                self._set_note(f"{message[:1].upper()}{message[1:]}")
        elif not shown:
            self._set_note(CAMERA_OFF)  # never leave "Starting the camera…" once it is off
        self.changed.emit()

    def _set_note(self, note: str) -> None:
        self.note = note
        self.note_changed.emit(note)

    def check_preview(self) -> None:
        """Check the newest frame for the step (front or side) in a task, unless a check is running."""
        if self.latest is None or self.step not in ("front", "side") or self.runner.busy("check"):
            return
        last = self.assessment
        previous = last.pose if last is not None and last.pose is not None and last.view == self.step else None
        task = self.runner.start("check", "Checking the picture", self.assess, self.latest, self.step,
                                 self.photos.get("background"), previous, progress=False)
        task.finished.connect(self._preview_checked)

    def _preview_checked(self, assessment) -> None:
        self.assessment = assessment
        self.checked.emit()

    # the steps ---------------------------------------------------------------------------------------
    def start_countdown(self) -> None:
        if self.latest is None:
            self.error.emit("Start the camera first (or use two photos from files)")
            return
        if self.can_capture:
            self.countdown = COUNTDOWN_S
            self.changed.emit()

    def tick(self) -> None:
        """One second of the countdown has passed; at zero the newest frame is taken."""
        if not self.countdown:
            return
        self.countdown -= 1
        if self.countdown:
            self.changed.emit()
        else:
            self.take(self.latest)

    def take(self, rgb: np.ndarray | None) -> None:
        """Take ``rgb`` ((H, W, 3) uint8 RGB) as the photo of the current step (checked first, except the
        background plate)."""
        if rgb is None:
            self.error.emit("No picture from the camera yet; wait for the preview, then try again")
            self.changed.emit()
            return
        step = self.step
        if step == DONE:
            return
        if step == "background":
            self._keep({"background": rgb})
            return
        self.checking = True
        self.changed.emit()
        task = self.runner.start("check", "Checking the photo", self.assess, rgb, step, self.photos.get("background"),
                                 progress=False)
        task.finished.connect(lambda a, s=step, img=rgb: self._taken(s, img, a))
        task.failed.connect(self._check_failed)

    def _taken(self, step: str, rgb: np.ndarray, assessment) -> None:
        self.checking = False
        if not assessment.ok:
            self.error.emit(assessment.guidance)
            self.changed.emit()
            return
        if step != self.step:  # restarted while it was checked
            self.changed.emit()
            return
        self._keep({step: rgb})
        self.info.emit(f"{step.capitalize()} photo taken")

    def _check_failed(self, exc) -> None:
        self.checking = False
        self.error.emit(str(exc))
        self.changed.emit()

    def _keep(self, photos: dict) -> None:
        self.photos = {**self.photos, **photos}
        self.skip()

    def skip(self) -> None:
        """Go on to the next step (the background plate is optional)."""
        order = list(STEPS) + [DONE]
        self.step = order[min(order.index(self.step) + 1, len(order) - 1)]
        self.changed.emit()

    def use_files(self, front: str, side: str) -> None:
        """A front and a side photo from files, checked as camera photos are (the background taken, if any)."""
        from avatar.estimate.camera import read_image

        try:
            front_rgb, side_rgb = read_image(front), read_image(side)
        except UserError as exc:
            self.error.emit(str(exc))
            return
        task = self.runner.start("check", "Checking the photos", check_pair, front_rgb, side_rgb,
                                 self.photos.get("background"), assess=self.assess, progress=False)
        task.finished.connect(self._pair_checked)
        task.failed.connect(lambda exc: self.error.emit(str(exc)))

    def _pair_checked(self, pair) -> None:
        self.photos = {**self.photos, "front": pair[0], "side": pair[1]}
        self.step = DONE
        self.changed.emit()
        self.shown.emit(pair[0])
        self.info.emit("Photos accepted")

    def restart(self) -> None:
        """Drop the photos and start again from the background plate (the camera keeps running)."""
        self.runner.forget("check")
        self.photos, self.step, self.countdown, self.checking = {}, STEPS[0], 0, False
        self.restarted.emit()
        self.changed.emit()

    def forget(self) -> None:
        """Drop every frame and photo (the session is cleared); the cameras found stay listed."""
        self.runner.forget("check")
        cameras, chosen = self.cameras, self.chosen
        self._reset()
        self.cameras, self.chosen = cameras, chosen
        self.cleared.emit()
        self._set_note(CAMERA_OFF)
        self.changed.emit()
