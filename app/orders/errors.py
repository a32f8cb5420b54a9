"""The one error of carts, orders and their delivery."""

from __future__ import annotations

from avatar.errors import UserError


class OrderError(UserError):
    """A cart, an order or its delivery cannot be used; the message names the problem and the fix."""
