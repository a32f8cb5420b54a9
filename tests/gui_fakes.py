"""Small garments for the GUI panel tests (the panels only read these attributes)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Size:
    name: str
    sku: str


@dataclass(frozen=True)
class Colour:
    name: str
    hex: str


@dataclass(frozen=True)
class Advice:
    recommended: str
    reasons: tuple = ()
    per_size: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Garment:
    id: str
    name: str
    category: str
    sizes: tuple
    colours: tuple
    price: str
    currency: str = "EUR"


def garment(gid, name, category, price, colours=(("navy", "#1f2a44"), ("white", "#f4f4f4"))):
    return Garment(gid, name, category, tuple(Size(s, f"{gid.upper()}-{s}") for s in ("S", "M", "L")),
                   tuple(Colour(*c) for c in colours), price)


GARMENTS = (
    garment("tee", "Cotton tee", "top", "19.90"),
    garment("chino", "Slim chino", "trousers", "59.00", (("sand", "#c8b48a"),)),
    garment("wrap-dress", "Wrap dress", "dress", "89.50", (("red", "#b02a30"),)),
)
BY_ID = {g.id: g for g in GARMENTS}


def lookup(gid):
    try:
        return BY_ID[gid]
    except KeyError:
        raise LookupError(gid) from None
