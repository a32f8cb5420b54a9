"""What a designer says about a garment file being imported: its catalog details and how to read and place it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImportOptions:
    """The options of ``garments.importers.import_garment``; the defaults are the command line's.

    Attributes
    ----------
    name : display name; None: the .mhclo's name, else from the file (or folder) name
    category : a catalog category or an everyday alias ("jeans"); None: recognised from the shape on the body
    size : this mesh's size name (None: "M"); with a size set or a size chart, the base size placed first
    sizes : "S,M,L", smallest first: the size meshes to take from a folder or zip (``garments.size_set``),
        or the chart rows to grade; None: every one
    size_chart : a size chart CSV (``garments.size_chart``) to grade the one mesh to, or None
    chart_units : "cm" or "in", the size chart's units; None: from its header, else detected
    sku : stock keeping unit of the size; None: made from the garment's id
    price : at most two decimals (str, int or float; a float through its shortest repr); None leaves the
        garment unpriced: it can be tried on but not ordered until it is imported again with a price
    currency : three-letter ISO 4217 code, stored uppercase
    fits : "female", "male" or "unisex", the reference body it is made for (unisex: the female one)
    units : "mm", "cm", "dm" or "m", the file's unit; None: detected from the garment's height
    up : "y" or "z", the file's up axis; None: detected
    pose : "auto", "t" or "a": the pose the garment was authored in (``garments.registration``)
    offset_cm : float, centimetres; the placed garment moved up (positive) or down
    scale : float; the garment scaled about its centre before it is placed (1: as exported)
    colours : the designer's colourways besides the garment's own, as ``--colour`` gives them
        (``garments.colourways``: ``NAME=#RRGGBB`` tints the print, ``NAME=PRINT.png`` swaps it)
    """

    name: str | None = None
    category: str | None = None
    size: str | None = None
    sizes: str | None = None
    size_chart: Path | None = None
    chart_units: str | None = None
    sku: str | None = None
    price: float | str | None = None
    currency: str = "EUR"
    fits: str = "unisex"
    units: str | None = None
    up: str | None = None
    pose: str = "auto"
    offset_cm: float = 0.0
    scale: float = 1.0
    colours: tuple[str, ...] = ()

    @property
    def registering(self) -> dict:
        """The keyword options of ``garments.registration.register_garment`` these give."""
        return dict(pose=self.pose, offset_cm=self.offset_cm, scale=self.scale)
