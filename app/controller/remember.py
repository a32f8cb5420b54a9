"""The cart and what is worn, kept across restarts in ``data_root()/wardrobe.json`` (never in the kiosk).

Format, version 1::

    {"version": 1,
     "cart": [{"garment": "crew-tee", "size": "M", "colour": "navy", "quantity": 2}, ...],
     "wearing": [{"garment": "crew-tee", "size": "M", "colour": "navy"}, ...]}

``size`` "" in ``wearing`` means the recommended size (not worked out yet); ``colour`` "" the
garment's first. Garments are checked against the catalog when they are drawn or ordered, not
here: a garment that left the catalog is shown with the reason it cannot be ordered. A file that
cannot be read is set aside as ``wardrobe.json.bad`` and nothing is restored.
"""

from __future__ import annotations

import logging
from pathlib import Path

from avatar.safe_json import load_json_text
from avatar.storage import atomic_write_json, data_root

log = logging.getLogger(__name__)

FILE_NAME = "wardrobe.json"
VERSION = 1


def wardrobe_path() -> Path:
    return data_root() / FILE_NAME


def save_wardrobe(session, path: Path | None = None) -> None:
    """Write the session's cart and try-on list (atomically)."""
    wearing = [{"garment": t.garment_id, "size": t.size, "colour": t.colour} for t in session.tryon]
    cart = [{"garment": line.garment_id, "size": line.size, "colour": line.colour, "quantity": line.quantity}
            for line in session.cart]
    atomic_write_json(path or wardrobe_path(), {"version": VERSION, "cart": cart, "wearing": wearing})


def _text(entry: dict, name: str, where: str) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError(f"{where}: {name} must be text")
    return value


def read_wardrobe(path: Path | None = None) -> tuple[list[tuple[str, str, str, int]], list[tuple[str, str, str]]]:
    """(cart lines as (garment, size, colour, quantity), worn items as (garment, size, colour)).

    Raises ``ValueError`` (``avatar.safe_json.UnsafeJsonError`` among them) naming what is wrong, or OSError.
    """
    from app.orders.cart import check_quantity
    from app.orders.errors import OrderError

    path = path or wardrobe_path()
    raw = load_json_text(path.read_text(encoding="utf-8"), what=str(path))
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        raise ValueError(f"{path} is not a version {VERSION} wardrobe")
    cart, wearing = [], []
    for key, out in (("cart", cart), ("wearing", wearing)):
        entries = raw.get(key, [])
        if not isinstance(entries, list):
            raise ValueError(f"{path}: {key} must be a list")
        for i, entry in enumerate(entries, start=1):
            where = f"{key} item {i}"
            if not isinstance(entry, dict):
                raise ValueError(f"{where} must be an object")
            row = (_text(entry, "garment", where), _text(entry, "size", where), _text(entry, "colour", where))
            if not row[0]:
                raise ValueError(f"{where} names no garment")
            if key == "cart":
                try:
                    row = row + (check_quantity(entry.get("quantity"), where),)
                except OrderError as exc:
                    raise ValueError(str(exc)) from None
            out.append(row)
    return cart, wearing


def restore_wardrobe(session, path: Path | None = None) -> str:
    """Put the saved cart and try-on list into an empty session; returns "" or one line saying what
    could not be restored (the file is then set aside)."""
    path = path or wardrobe_path()
    if not path.is_file():
        return ""
    try:
        cart, wearing = read_wardrobe(path)
    except (OSError, ValueError) as exc:
        log.warning("wardrobe %s unreadable: %s", path, exc)
        try:
            path.replace(path.with_name(path.name + ".bad"))
        except OSError:
            pass
        return f"Your saved cart could not be read ({exc}); it was set aside and the cart starts empty"
    for garment, size, colour, quantity in cart:
        session.add_to_cart(garment, size, colour, quantity)
    for garment, size, colour in wearing:
        session.add_tryon(garment, size, colour)
    return ""


class WardrobeKeeper:
    """Saves the cart and what is worn whenever either changes.

    Writing the file (and waiting for the disk to have it) costs the thread 10-30 ms; ``later`` keeps that
    out of the way of the picture a change asks for: changes mark the wardrobe unsaved, and one save of
    the latest state runs when ``later`` calls back (``flush`` saves what is unsaved at once, e.g. on quit).

    Parameters
    ----------
    session : app.gui.session.Session
    on_error : called with one line when the file cannot be written
    later : ``later(fn)`` calls ``fn()`` once, soon, on the same thread (the window: a single-shot timer);
        None saves at every change
    """

    def __init__(self, session, on_error=lambda message: None, path: Path | None = None, later=None):
        self.session, self.on_error, self.path, self.later = session, on_error, path, later
        self.unsaved = False
        session.cart_changed.connect(self.changed)
        session.tryon_changed.connect(self.changed)

    def changed(self) -> None:
        if self.later is None:
            self.save()
        elif not self.unsaved:
            self.unsaved = True
            self.later(self.flush)

    def flush(self) -> None:
        """Save now if anything changed since the last save."""
        if self.unsaved:
            self.save()

    def save(self) -> None:
        self.unsaved = False
        try:
            save_wardrobe(self.session, self.path)
        except OSError as exc:
            self.on_error(f"Your cart could not be saved ({exc}); free some disk space or check the folder's "
                          "permissions")
