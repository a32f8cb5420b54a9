"""Command-line inputs turned into core objects: garment specs and bodies from measurement files."""

from __future__ import annotations

from pathlib import Path

from avatar.errors import UserError


class SpecError(UserError):
    """A ``--garment ID[:SIZE][@COLOUR]`` argument that names nothing in the catalog."""


def parse_garment_spec(spec: str) -> tuple[str, str | None]:
    """``ID`` or ``ID:SIZE`` (either with ``@COLOUR`` after it, which is left out) -> (id, size or None)."""
    garment_id, colon, size = spec.partition("@")[0].partition(":")
    garment_id, size = garment_id.strip(), size.strip()
    if not garment_id or (colon and not size):
        raise SpecError(f"--garment '{spec}' is not ID or ID:SIZE; see 'fitting-room garment list'")
    return garment_id, size or None


def resolve_garments(specs: list[str]):
    """[(Garment, size name or None)] for ``--garment`` specs; unknown ids or sizes raise one line with the choices."""
    from garments.catalog import load_catalog

    catalog = {g.id: g for g in load_catalog(problems=[])}
    out = []
    for spec in specs:
        garment_id, size = parse_garment_spec(spec)
        garment = catalog.get(garment_id)
        if garment is None:
            raise SpecError(f"unknown garment '{garment_id}'; choose one of {', '.join(sorted(catalog))}")
        if size is not None:
            names = {n.lower(): n for n in garment.size_names}
            if size.lower() not in names:
                raise SpecError(f"garment '{garment_id}' has no size '{size}'; choose one of "
                                f"{', '.join(garment.size_names)}")
            size = names[size.lower()]
        out.append((garment, size))
    return out


def resolve_colours(specs: list[str], items) -> dict[str, str]:
    """Garment id -> the colourway named by ``@COLOUR`` in its ``--garment`` spec (case-insensitive), for
    ``items`` as ``resolve_garments`` gave them; a colour the garment does not have raises one line with the choices."""
    out = {}
    for spec, (garment, _size) in zip(specs, items):
        at, colour = spec.partition("@")[1:]
        if not at:
            continue
        names = {c.name.lower(): c.name for c in garment.colours}
        if colour.strip().lower() not in names:
            raise SpecError(f"garment '{garment.id}' has no colour '{colour.strip()}'; choose one of "
                            f"{', '.join(c.name for c in garment.colours) or 'none'}")
        out[garment.id] = names[colour.strip().lower()]
    return out


def avatar_from_measurement_file(path: Path, progress, what: str):
    """The fitted avatar of a one-body measurement file (JSON profile or one-row CSV).

    ``what`` names the command for the message when the file holds several bodies.
    """
    from avatar.fitting import fit_avatar
    from avatar.measurements import read_measurement_file

    records, _kind = read_measurement_file(path)
    if len(records) != 1:
        raise SpecError(f"{Path(path).name} holds {len(records)} bodies; {what} takes one: "
                        "give a profile or a one-row CSV")
    record = records[0]
    return fit_avatar(record.values, record.sex, progress=progress).avatar
