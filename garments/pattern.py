"""A garment's pattern: the pattern-like parameters the built-in garments are made from."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import dress_form as pt


@dataclass(frozen=True)
class Pattern:
    """Pattern-like parameters of one garment (lengths in metres, ease in cm of circumference)."""

    id: str
    name: str
    category: str
    kind: str  # "top", "bottom", "skirt", "dress"
    fits: str
    price: float
    sku: str
    colours: tuple
    stretch: float
    layer: int
    sizes: tuple
    base_size: str
    grade_circ_cm: float  # circumference change per size step
    grade_len_cm: float  # length change per size step
    ease: dict = field(default_factory=dict)  # zone -> cm of circumference over the body
    hem: tuple = ("hip", 0.0)  # (level, offset) of the lower edge
    top: tuple = ("waist", 0.0)  # bottoms: level and offset of the waistband top
    sleeve: float = 0.0  # sleeve length from the shoulder joint, metres (0: sleeveless)
    sleeve_open_cm: float = 0.0  # extra sleeve width over the upper arm, cm of circumference
    hang: float = 1.0  # 1: hangs straight down from the chest; 0: follows the body
    leg_hang: float = 1.0  # trousers: 1 hangs straight from the thigh, 0 follows the leg
    hem_open_cm: float = 0.0  # trousers: leg opening circumference at the hem, cm (0: follow leg)
    neck: str = "crew"  # crew, collar, scoop
    neck_open: float = 0.02  # neck opening beyond the neck's radius, metres
    neck_drop: float = 0.0  # extra drop of the front neckline, metres
    flare: float = 0.0  # skirts: radius gained per metre below the hip
    waistband: float = 0.04  # waistband height, metres
    hem_width: float = 0.025  # folded hem depth, metres
    armhole: float = 0.1  # sleeveless: armhole radius around the arm axis, metres


def level(form: pt.BodyForm, spec: tuple) -> float:
    name, offset = spec
    return form.levels[name] + offset
