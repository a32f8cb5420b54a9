"""Limits and timings of the GUI, named once."""

#: An info banner hides itself after this long; errors stay until dismissed (they need reading).
BANNER_INFO_HIDE_MS = 6000

#: Wait this long after the last measurement edit before refitting the avatar, so typing
#: "172" fits once, not three times (the latest request wins anyway, this saves the CPU).
REFIT_DEBOUNCE_MS = 600

#: The cart and what is worn are written this long after a change (one write for a quick run of colour or
#: size picks, and never on the way to the picture the pick asks for); quitting writes at once.
WARDROBE_SAVE_DELAY_MS = 300

#: Catalog thumbnails, pixels (square); small enough to draw quickly, big enough to tell garments apart.
THUMBNAIL_PX = 96

#: Fallback view (until the 3D viewport is available): image size drawn by the worker, pixels.
PREVIEW_SIZE = (480, 720)

#: Kiosk: seconds without input before "Are you still there?" (issue 6 default).
IDLE_TIMEOUT_S = 120.0
#: Kiosk: seconds the "Are you still there?" prompt waits before the session is wiped.
IDLE_PROMPT_S = 20.0
#: Kiosk: touch targets at least this many pixels (WCAG / platform guidelines say 44-48).
TOUCH_TARGET_PX = 48

#: Settings file schema version; bump with a migration in settings.py.
SETTINGS_VERSION = 1

#: Camera probe: every device index is opened at once and given this long to deliver a frame; a driver
#: that hangs longer is left out of the list instead of freezing "Find cameras". A working webcam
#: opens and delivers its first frame well within a second.
CAMERA_PROBE_TIME_LIMIT_S = 3.0

#: The walk loop in the window: frames a second (``avatar.pose.walk_cycle``'s 16 frames make a 1.3 s
#: cycle, about the stride time of an unhurried walk).
WALK_LOOP_FPS = 12
