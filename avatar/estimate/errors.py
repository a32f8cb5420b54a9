"""Typed errors of the photo estimate. Each message names the problem and how to retake the photo."""

from avatar.errors import UserError


class PhotoError(UserError):
    """A photo cannot be used for measuring; the message says how to retake it."""

    view: str = ""


class UnreadableImageError(PhotoError):
    """The file is not an image."""


class CameraError(UserError):
    """A camera or video cannot be opened."""


class InputError(UserError, ValueError):
    """The typed height or weight cannot be used."""


class NoPersonError(PhotoError):
    """Nobody is in the photo."""


class SeveralPeopleError(PhotoError):
    """More than one person is in the photo."""


class BodyCutOffError(PhotoError):
    """The head, the feet or an arm is outside the frame."""


class TooCloseError(PhotoError):
    """The person fills the frame with no margin."""


class TooFarError(PhotoError):
    """The person is too small in the frame to be measured."""


class TooDarkError(PhotoError):
    """The photo or the person is too dark, or the person does not stand out from the background."""


class BackViewError(PhotoError):
    """The front photo shows the person's back."""


class WrongViewError(PhotoError):
    """The front photo is not a front view, or the side photo not a side view."""


class PartLostError(PhotoError):
    """Part of the person (usually the feet) blends into the background in one photo: the two
    silhouettes, taken from the same place, disagree in height."""

