"""Typed errors of the garment core; the command line and the GUI turn them into one-line messages."""

from avatar.errors import UserError


class GarmentError(UserError):
    """A garment or its catalog entry cannot be used; the message names the problem and the fix."""


class GarmentNotFound(GarmentError, KeyError):
    """No garment with the requested id is in the built-in or the user catalog."""

    def __str__(self) -> str:  # KeyError quotes its argument; we want the plain sentence
        return str(self.args[0]) if self.args else ""


class GarmentImportError(GarmentError, ValueError):
    """A designer's garment file cannot be imported (unreadable, empty, broken or implausible)."""


class FitError(GarmentError):
    """The fit of a garment on a body cannot be judged (the body cannot be measured where the garment sits)."""
