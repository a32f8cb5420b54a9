"""Typed errors of the avatar core; the command line and the GUI turn them into messages."""


class UserError(Exception):
    """Base of every error a user can fix (bad input, missing files); the message is one line
    that names the problem and the fix. The command line prints it and exits with status 2;
    the GUI shows it in a banner. Errors of ``garments`` and ``app`` subclass it too."""


class AvatarError(UserError):
    """An avatar cannot be built from what was given."""


class AssetsUnavailableError(AvatarError):
    """The body model assets are not in the cache and could not be fetched."""


class MeasurementError(AvatarError, ValueError):
    """A measurement set cannot be used (bad name, value, unit or file)."""


class ProfileError(AvatarError, ValueError):
    """A shopper profile cannot be read, written or found."""


class Cancelled(AvatarError):
    """Long work stopped because the caller asked it to."""


class ProfileCodeError(ProfileError):
    """A portable profile (file or QR code) is not ours, is damaged, has another format version or
    holds values a body cannot have; the message says which."""
