"""The shopper's session: the single source of truth the window mirrors.

Plain Python (no Qt: ``app.controller.events``), with one event per part of the state. Widgets
write through the setters and redraw on the events, connecting to them as to Qt signals; nothing
here knows about widgets. Values are replaced,
never mutated in place, so a signal handler always sees a consistent snapshot.

Units: measurements are held in centimetres (body mass in kilograms) whatever the shopper
types in; ``units`` is only how the form shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.controller.events import Event

UNITS = ("cm", "in")
CM_PER_IN = 2.54


@dataclass(frozen=True)
class TryOn:
    """A garment on the avatar: which one, in which size ("" = the recommended one, until known) and
    colour ("" = its default colour)."""

    garment_id: str
    size: str
    colour: str = ""


@dataclass(frozen=True)
class CartLine:
    garment_id: str
    size: str
    colour: str = ""
    quantity: int = 1


class Session:
    """Everything the shopper has entered or made in this session.

    Events
    ------
    measurements_changed() : ``measurements`` or ``sex`` changed
    units_changed(str)
    profile_changed(str) : the profile name ("" = unsaved)
    avatar_changed() : ``avatar`` / ``fit`` replaced (None while none is built)
    tryon_changed() : the try-on list changed (garment, size or colour)
    drapes_changed() : ``drapes`` (garment_id -> drape result) changed
    advice_changed() : ``advice`` (garment_id -> size advice) changed
    cart_changed()
    order_changed() : ``last_order`` set or cleared
    cleared() : after :meth:`clear`
    """

    measurements_changed = Event()
    units_changed = Event()
    profile_changed = Event()
    avatar_changed = Event()
    tryon_changed = Event()
    drapes_changed = Event()
    advice_changed = Event()
    cart_changed = Event()
    order_changed = Event()
    cleared = Event()

    def __init__(self):
        self._reset_state()

    def _reset_state(self) -> None:
        self.measurements: dict[str, float] = {}  # name -> cm
        self.uncertainty: dict[str, float] = {}  # name -> one standard deviation, cm, of estimated values
        self.sex: str = "female"
        self.units: str = "cm"
        self.profile: str = ""
        self.profile_values: tuple | None = None  # (measurements, sex) as the profile was loaded or saved
        self.avatar: Any = None  # avatar.avatar.Avatar
        self.fit: Any = None  # avatar.fitting.FitResult of the avatar, when fitted
        self.tryon: tuple[TryOn, ...] = ()
        self.selected: str = ""  # garment_id of the try-on item the fit panel shows
        self.drapes: dict[str, Any] = {}
        self.advice: dict[str, Any] = {}
        self.cart: tuple[CartLine, ...] = ()
        self.last_order: Any = None

    # measurements -------------------------------------------------------------
    def set_measurements(self, values_cm: dict[str, float], sex: str | None = None,
                         uncertainty: dict[str, float] | None = None) -> None:
        """Replace the measurements (cm); ``uncertainty``: name -> one standard deviation, cm, of estimated
        values (None: keep it for the values that did not change; a value typed over loses its own)."""
        values = {k: float(v) for k, v in values_cm.items()}
        sex = sex or self.sex
        if uncertainty is None:
            uncertainty = {k: u for k, u in self.uncertainty.items() if values.get(k) == self.measurements.get(k)}
        uncertainty = {k: float(u) for k, u in uncertainty.items() if k in values}
        if values == self.measurements and sex == self.sex and uncertainty == self.uncertainty:
            return
        self.measurements, self.sex, self.uncertainty = values, sex, uncertainty
        self.measurements_changed.emit()

    def set_uncertainty(self, values: dict[str, float]) -> None:
        """The ± (cm, body_mass kg) of estimated measurements; names the session does not hold are dropped."""
        self.uncertainty = {n: float(u) for n, u in values.items() if n in self.measurements}

    def set_measurement(self, name: str, value_cm: float | None) -> None:
        values = dict(self.measurements)
        if value_cm is None:
            values.pop(name, None)
        else:
            values[name] = float(value_cm)
        self.set_measurements(values)

    def set_sex(self, sex: str) -> None:
        self.set_measurements(self.measurements, sex)

    def set_units(self, units: str) -> None:
        if units not in UNITS:
            raise ValueError(f"units must be one of {UNITS}, not {units!r}")
        if units != self.units:
            self.units = units
            self.units_changed.emit(units)

    def set_profile(self, name: str) -> None:
        """The profile the measurements now match (just loaded or saved; "" = none)."""
        self.profile_values = (dict(self.measurements), self.sex) if name else None
        if name != self.profile:
            self.profile = name
            self.profile_changed.emit(name)

    @property
    def profile_modified(self) -> bool:
        """The measurements were changed since the profile was loaded or saved."""
        return bool(self.profile) and self.profile_values != (self.measurements, self.sex)

    # avatar ----------------------------------------------------------------------
    def set_avatar(self, avatar, fit=None) -> None:
        self.avatar, self.fit = avatar, fit
        # drapes belong to a body: a new body invalidates them all
        self.drapes, self.advice = {}, {}
        self.avatar_changed.emit()
        self.drapes_changed.emit()
        self.advice_changed.emit()

    # try-on ------------------------------------------------------------------------
    def item(self, garment_id: str) -> TryOn | None:
        return next((t for t in self.tryon if t.garment_id == garment_id), None)

    def add_tryon(self, garment_id: str, size: str, colour: str = "") -> None:
        if self.item(garment_id) is not None:
            self.select(garment_id)
            return
        self.tryon = self.tryon + (TryOn(garment_id, size, colour),)
        self.selected = garment_id
        self.tryon_changed.emit()

    def remove_tryon(self, garment_id: str) -> None:
        if self.item(garment_id) is None:
            return
        self.tryon = tuple(t for t in self.tryon if t.garment_id != garment_id)
        if self.selected == garment_id:
            self.selected = self.tryon[-1].garment_id if self.tryon else ""
        self.drapes = {k: v for k, v in self.drapes.items() if k != garment_id}
        self.advice = {k: v for k, v in self.advice.items() if k != garment_id}
        self.tryon_changed.emit()
        self.drapes_changed.emit()
        self.advice_changed.emit()

    def set_size(self, garment_id: str, size: str) -> None:
        self._update_item(garment_id, size=size)

    def set_colour(self, garment_id: str, colour: str) -> None:
        self._update_item(garment_id, colour=colour)

    def _update_item(self, garment_id: str, **change) -> None:
        item = self.item(garment_id)
        if item is None:
            raise KeyError(f"{garment_id} is not being tried on")
        new = replace(item, **change)
        if new == item:
            return
        self.tryon = tuple(new if t.garment_id == garment_id else t for t in self.tryon)
        self.tryon_changed.emit()

    def resolve_sizes(self, sizes: dict[str, str]) -> None:
        """Fill in sizes of items put on as "" (the recommended size) once the advice is known."""
        self.tryon = tuple(replace(t, size=sizes[t.garment_id]) if not t.size and t.garment_id in sizes else t
                           for t in self.tryon)
        self.tryon_changed.emit()

    def select(self, garment_id: str) -> None:
        if garment_id != self.selected and (garment_id == "" or self.item(garment_id)):
            self.selected = garment_id
            self.tryon_changed.emit()

    def set_drapes(self, drapes: dict[str, Any]) -> None:
        self.drapes = dict(drapes)
        self.drapes_changed.emit()

    def set_all_advice(self, advice: dict[str, Any]) -> None:
        self.advice = dict(advice)
        self.advice_changed.emit()

    # cart --------------------------------------------------------------------------------
    def add_to_cart(self, garment_id: str, size: str, colour: str = "", quantity: int = 1) -> None:
        """Add a line, or raise the quantity of the same garment/size/colour. The first line of a new cart
        puts the order placed before it away (its lines and exports are no longer shown)."""
        if self.last_order is not None and not self.cart:
            self.set_last_order(None)
        lines = list(self.cart)
        for i, line in enumerate(lines):
            if (line.garment_id, line.size, line.colour) == (garment_id, size, colour):
                lines[i] = replace(line, quantity=line.quantity + quantity)
                break
        else:
            lines.append(CartLine(garment_id, size, colour, quantity))
        self.cart = tuple(lines)
        self.cart_changed.emit()

    def set_quantity(self, index: int, quantity: int) -> None:
        lines = list(self.cart)
        if quantity < 1:
            del lines[index]
        else:
            lines[index] = replace(lines[index], quantity=int(quantity))
        self.cart = tuple(lines)
        self.cart_changed.emit()

    def remove_line(self, index: int) -> None:
        self.set_quantity(index, 0)

    def clear_cart(self) -> None:
        if self.cart:
            self.cart = ()
            self.cart_changed.emit()

    def cart_json(self) -> dict:
        """The cart in the ``CART.json`` shape the order command reads."""
        items = []
        for line in self.cart:
            item = {"garment": line.garment_id, "size": line.size, "quantity": line.quantity}
            if line.colour:
                item["colour"] = line.colour
            items.append(item)
        return {"items": items}

    def set_last_order(self, order) -> None:
        self.last_order = order
        self.order_changed.emit()

    # everything ------------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget the whole session (kiosk reset, "delete my data"): every reference dropped."""
        self._reset_state()
        for signal in (self.measurements_changed, self.avatar_changed, self.tryon_changed, self.drapes_changed,
                       self.advice_changed, self.cart_changed, self.order_changed):
            signal.emit()
        self.units_changed.emit(self.units)
        self.profile_changed.emit(self.profile)
        self.cleared.emit()


KG_PER_LB = 0.45359237


def to_display(value: float, units: str, kind: str = "length") -> float:
    """A value held in cm (``kind="mass"``: kg) as shown in ``units`` ("in" shows mass in lb)."""
    if units != "in":
        return value
    return value / KG_PER_LB if kind == "mass" else value / CM_PER_IN


def from_display(value: float, units: str, kind: str = "length") -> float:
    """A value typed in ``units``, in cm (``kind="mass"``: kg)."""
    if units != "in":
        return value
    return value * KG_PER_LB if kind == "mass" else value * CM_PER_IN


def unit_label(units: str, kind: str = "length") -> str:
    if kind == "mass":
        return "lb" if units == "in" else "kg"
    return units
