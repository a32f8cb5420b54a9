"""Body measurements from two photos (front and side) or webcam frames, and the shopper's height.

Public API
----------
- ``camera``: :func:`read_image`, :func:`decode_image`, :class:`FrameSource`
  (frames as RGB arrays; BGR is converted once, there).
- ``models``: :func:`find_people` (the learned person mask and 33 landmarks per person).
- ``checks``: :func:`assess_frame` (find the person and check one frame: use it for the live preview).
- ``estimate``: :func:`estimate_measurements` -> :class:`Estimate`.
- ``errors``: :class:`PhotoError` and its subclasses, each with guidance on retaking the photo.

Nothing in this package writes to disk.
"""

from .camera import FrameSource, bgr_to_rgb, decode_image, open_source, read_image
from .checks import Assessment, assess_frame
from .errors import (BackViewError, BodyCutOffError, CameraError, InputError, NoPersonError,
                     PartLostError, PhotoError, SeveralPeopleError, TooCloseError, TooDarkError, TooFarError, UnreadableImageError,
                     WrongViewError)
from .estimate import Estimate, estimate_measurements

__all__ = [
    "Assessment", "BackViewError", "BodyCutOffError", "CameraError", "Estimate", "FrameSource", "InputError",
    "NoPersonError", "PartLostError", "PhotoError", "SeveralPeopleError", "TooCloseError", "TooDarkError", "TooFarError",
    "UnreadableImageError", "WrongViewError", "assess_frame", "bgr_to_rgb", "decode_image",
    "estimate_measurements", "open_source", "read_image",
]
