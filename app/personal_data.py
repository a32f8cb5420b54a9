""""Delete my data": everything the fitting room keeps about the shopper's body on this computer."""

from __future__ import annotations


def delete_personal_data() -> int:
    """Remove every saved profile, the measurements and pictures kept with orders (the orders stay: the shop
    needs them) and the stored distance fields of the shopper's bodies; returns the profiles removed.

    Raises OSError or ``avatar.errors.UserError`` when a store cannot be changed.
    """
    from app.orders.store import OrderStore
    from avatar.profiles import ProfileStore
    from garments.field_store import forget_stored_bodies

    removed = ProfileStore().delete_all()
    OrderStore().forget_personal_data()
    forget_stored_bodies()
    return removed
