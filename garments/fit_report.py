"""How each size of a garment fits a body: one result that every table, text, map and report reads.

``fit_report(avatar, garment)`` compares every size's finished girths (``garments.finished``: the rest
mesh at the body's tape levels) with the shopper's girths there, and gives per size and zone the finished
ease (cm; negative: the garment must stretch that much), the stretch that needs, the worn strain of a
draped size, and a verdict word from one table of thresholds per fabric stretch
(``garments.verdicts``). The recommended size is the smallest whose every zone is at least "snug"; the
chance that each size is the one that fits comes from the measurements' uncertainty (see docs/fit.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .finished import GIRTH_ZONES, FinishedZone, finished_zones
from .fit_constants import (
    DEFAULT_FABRIC_STRETCH,
    FIT_SAMPLES,
    FIT_SAMPLES_SEED,
    FITTING_VERDICTS,
    NOTED_SIZE_CHANCE,
    SNUG,
    TYPED_GIRTH_UNCERTAINTY_CM,
    VERDICTS,
    WONT_CLOSE,
)
from .verdicts import verdict_index

# Key of ``FitReport.probabilities`` for the chance that no size fits.
NO_SIZE = "none"


@dataclass(frozen=True)
class ZoneFit:
    """One zone of one size on one body.

    Attributes
    ----------
    zone : "chest", "waist" or "hip"
    body_cm : float, cm; the body's girth where the garment's zone sits
    finished_cm : float, cm; the garment's rest girth there
    ease_cm : float, cm, to 0.1; ``finished_cm - body_cm``
    needed_stretch : float, fraction; how much the garment must stretch to go round (0 with ease)
    verdict : one of ``garments.fit_constants.VERDICTS``
    worn_strain : float fraction or None; the draped cloth's stretch there (``garments.worn_strain``), of the
        draped size only
    band : bool; a waistband under the body's waist (not the body's own tape level)
    """

    zone: str
    body_cm: float
    finished_cm: float
    ease_cm: float
    needed_stretch: float
    verdict: str
    worn_strain: float | None = None
    band: bool = False

    @property
    def fits(self) -> bool:
        return self.verdict in FITTING_VERDICTS

    def text(self) -> str:
        """The zone as the advice quotes it: "hip -8.9 cm (won't close, needs 7.7 % stretch)"."""
        stretch = f", needs {format_percent(self.needed_stretch)} stretch" if self.needed_stretch > 0 else ""
        return f"{self.zone} {format_ease(self.ease_cm)} ({self.verdict}{stretch})"


@dataclass(frozen=True)
class SizeFit:
    """One size on one body: its zones in ``GIRTH_ZONES`` order (zones it does not reach left out)."""

    size: str
    zones: dict

    @property
    def fits(self) -> bool:
        """Every zone it covers is at least snug."""
        return all(z.fits for z in self.zones.values())

    @property
    def deciding(self) -> ZoneFit:
        """Its tightest zone (the one that decides whether it fits)."""
        return min(self.zones.values(), key=lambda z: (VERDICTS.index(z.verdict), z.ease_cm))

    def feel(self) -> str:
        """What it feels like, tightest first: "snug at hip, comfortable at chest and waist"."""
        groups = []
        for word in VERDICTS:
            names = [z.zone for z in self.zones.values() if z.verdict == word]
            if names:
                groups.append(f"{word} at {' and '.join(names)}")
        return ", ".join(groups)


@dataclass(frozen=True)
class FitReport:
    """Every size of one garment on one body.

    Attributes
    ----------
    garment_id : str
    fabric_stretch : float, fraction the fabric gives before it is at its limit
    zones : zone names any size covers, in ``GIRTH_ZONES`` order (the table's rows)
    sizes : tuple of SizeFit, smallest first
    recommended : the smallest size that fits; when none does, the largest
    fits : whether ``recommended`` fits
    reasons : lines of advice, quoting zones with ``ZoneFit.text``
    between : a note naming the sizes the shopper is between and how each feels, or None
    probabilities : size -> chance (0..1) that it is the smallest size that fits, and ``NO_SIZE`` -> the chance
        that none does; they sum to 1
    uncertainty_cm : zone -> one standard deviation of the body's girth used, cm
    """

    garment_id: str
    fabric_stretch: float
    zones: tuple
    sizes: tuple
    recommended: str
    fits: bool
    reasons: tuple = ()
    between: str | None = None
    probabilities: dict = field(default_factory=dict)
    uncertainty_cm: dict = field(default_factory=dict)

    def size(self, name: str) -> SizeFit:
        for s in self.sizes:
            if s.size == name:
                return s
        raise KeyError(name)

    @property
    def per_size(self) -> dict[str, dict[str, float]]:
        """size -> zone -> finished ease, cm."""
        return {s.size: {z: f.ease_cm for z, f in s.zones.items()} for s in self.sizes}

    def wont_close(self, size: str) -> list[ZoneFit]:
        """The zones of a size that cannot go round the body even at the fabric's limit."""
        return [z for z in self.size(size).zones.values() if z.verdict == WONT_CLOSE]

    def rows(self, size: str) -> list[tuple[str, str, str, str, str]]:
        """The fit table of a size: (zone, ease, stretch needed, worn stretch, verdict) texts, every zone of
        ``zones`` (a zone this size does not reach reads "not reached")."""
        out = []
        fits = self.size(size).zones
        for zone in self.zones:
            z = fits.get(zone)
            if z is None:
                out.append((zone, "—", "—", "—", "not reached"))
                continue
            worn = "—" if z.worn_strain is None else format_percent(z.worn_strain)
            need = format_percent(z.needed_stretch) if z.needed_stretch > 0 else "—"
            out.append((zone + (" (band)" if z.band else ""), format_ease(z.ease_cm), need, worn, z.verdict))
        return out

    def chances_text(self) -> str:
        """ "M 62 %, L 38 %, no size 0 %": sizes with a chance of at least 0.5 %, and the chance none fits."""
        parts = [f"{'no size' if name == NO_SIZE else name} {round(p * 100):.0f} %"
                 for name, p in self.probabilities.items() if p >= 0.005 or name == NO_SIZE]
        return ", ".join(parts)

    def to_json(self, size: str | None = None) -> dict:
        """The report's plain data: ``recommended_size``, ``fits``, ``reasons``, ``between``,
        ``size_probabilities`` and, per size, per zone: ease_cm, needed_stretch, worn_strain, verdict."""
        return {
            "recommended_size": self.recommended, "fits": self.fits, "reasons": list(self.reasons),
            "between": self.between, "fabric_stretch": self.fabric_stretch,
            "size_probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "uncertainty_cm": {k: round(v, 2) for k, v in self.uncertainty_cm.items()},
            "sizes": {s.size: {z.zone: {"body_cm": round(z.body_cm, 1), "finished_cm": z.finished_cm,
                                        "ease_cm": z.ease_cm, "needed_stretch": round(z.needed_stretch, 4),
                                        "worn_strain": None if z.worn_strain is None else round(z.worn_strain, 4),
                                        "verdict": z.verdict, "band": z.band}
                               for z in s.zones.values()}
                      for s in self.sizes if size is None or s.size == size},
        }


def format_ease(cm: float) -> str:
    """Ease to a millimetre, signed, never "-0.0": "+5.6 cm", "0.0 cm", "-8.9 cm"."""
    r = round(float(cm), 1)
    return "0.0 cm" if r == 0 else f"{r:+.1f} cm"


def format_percent(fraction: float) -> str:
    """A stretch fraction as a percentage to a tenth: "7.7 %"."""
    return f"{round(float(fraction) * 100, 1):.1f} %"


def fabric_stretch(garment) -> float:
    """The garment's fabric stretch (fraction), ``DEFAULT_FABRIC_STRETCH`` where the entry gives none."""
    return float(garment.stretch) if garment.stretch else DEFAULT_FABRIC_STRETCH


def design_ease(garment) -> dict[str, FinishedZone]:
    """zone -> the finished zone of the size nearest the middle that has it (its ``design_ease_cm`` is the
    ease the garment was made with on its reference body)."""
    names = garment.size_names
    middle = len(names) // 2
    out: dict[str, FinishedZone] = {}
    for i in sorted(range(len(names)), key=lambda i: abs(i - middle)):
        for zone, fz in finished_zones(garment, names[i]).items():
            out.setdefault(zone, fz)
    return out


def girth_covariance(given: dict[str, float] | None = None, typed: dict[str, float] | None = None,
                     sex: str | None = None) -> np.ndarray:
    """(3, 3) covariance, cm², of the body's chest, waist and hip girths (``GIRTH_ZONES`` order).

    Parameters
    ----------
    given : zone or measurement name -> one standard deviation, cm, e.g. the photo estimate's ± values;
        used where known, independent of the others
    typed : the measurements the shopper gave (name -> cm), or None when unknown; a girth among them (or
        with no ``typed`` at all) has ``TYPED_GIRTH_UNCERTAINTY_CM``, independent; those left out were filled
        in from the survey (``avatar.statistics.conditional_fill``) and share the survey's covariance given
        the typed ones
    sex : the body's sex, for that covariance ("female" when None)
    """
    given = {k.removesuffix("_girth"): float(v) for k, v in (given or {}).items()}
    cov = np.diag([TYPED_GIRTH_UNCERTAINTY_CM ** 2] * len(GIRTH_ZONES))
    if typed is not None:
        from avatar.statistics import conditional_cov

        names, filled = conditional_cov({k: float(v) for k, v in typed.items()}, sex or "female")
        zones = [n.removesuffix("_girth") for n in names]
        idx = [(GIRTH_ZONES.index(z), k) for k, z in enumerate(zones) if z in GIRTH_ZONES]
        for a, i in idx:
            for b, j in idx:
                cov[a, b] = filled[i, j]
    for a, zone in enumerate(GIRTH_ZONES):
        if zone in given:
            cov[a, :] = cov[:, a] = 0.0
            cov[a, a] = max(given[zone], 0.0) ** 2
    return cov


def fit_report(avatar, garment, *, uncertainty_cm: dict[str, float] | None = None, drape=None,
               girths: dict[str, float] | None = None, typed: dict[str, float] | None = None) -> FitReport:
    """How every size of ``garment`` fits ``avatar``.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar
    garment : garments.catalog.Garment
    uncertainty_cm : zone or measurement name -> one standard deviation of that girth, cm, where known
        (the photo estimate's); the others are typed or filled in (see ``typed``)
    drape : garments.outfit.DrapeResult of one size of this garment on this avatar, or None; gives that
        size's worn strain per zone
    girths : zone -> cm; the avatar's tape girths (measured when None)
    typed : the measurements the shopper gave, name -> cm (None: every girth counts as typed); girths left
        out were filled in from the survey and carry its spread (see ``girth_covariance``)

    Returns
    -------
    FitReport
    """
    from .fit import band_girth, body_girths

    girths = body_girths(avatar) if girths is None else girths
    stretch = fabric_stretch(garment)
    design = design_ease(garment)
    cov = girth_covariance(uncertainty_cm, typed, getattr(avatar, "sex", None))
    sd = {z: float(np.sqrt(cov[k, k])) for k, z in enumerate(GIRTH_ZONES)}
    worn = _worn_strain(garment, drape)
    bands: dict[float, float] = {}
    finished = {name: finished_zones(garment, name) for name in garment.size_names}
    sizes = []
    for name in garment.size_names:
        zones = {}
        for zone, fz in finished[name].items():
            if fz.band_share is None:
                body = float(girths[zone])
            else:
                if fz.band_share not in bands:
                    bands[fz.band_share] = band_girth(avatar, fz.band_share)
                body = bands[fz.band_share]
            ease = round(fz.girth_cm - body, 1)
            need = max(0.0, -ease / fz.girth_cm)
            word = VERDICTS[int(verdict_index(ease, need, stretch, design[zone].design_ease_cm,
                                              fz.band_share is not None))]
            zones[zone] = ZoneFit(zone, body, fz.girth_cm, ease, need, word,
                                  worn.get(zone) if drape is not None and drape.size == name else None,
                                  fz.band_share is not None)
        sizes.append(SizeFit(name, zones))
    fitting = [s for s in sizes if s.fits]
    recommended = fitting[0] if fitting else sizes[-1]
    probabilities = _chances(sizes, finished, girths, bands, cov, stretch, design)
    zones_any = tuple(z for z in GIRTH_ZONES if any(z in s.zones for s in sizes))
    reasons = _reasons(sizes, recommended, bool(fitting), stretch)
    between = _between(sizes, recommended, bool(fitting), probabilities, sd)
    return FitReport(garment.id, stretch, zones_any, tuple(sizes), recommended.size, bool(fitting),
                     tuple(reasons), between, probabilities, sd)


def _worn_strain(garment, drape) -> dict[str, float]:
    """zone -> strain of the draped cloth there (``garments.worn_strain``), of the draped size."""
    if drape is None or getattr(drape, "strain", None) is None:
        return {}
    from .worn_strain import worn_strains

    return worn_strains(garment, drape.size, drape.strain)


def _chances(sizes, finished, girths, bands, cov, stretch, design) -> dict[str, float]:
    """size -> chance it is the smallest that fits, ``NO_SIZE`` -> chance none does, over ``FIT_SAMPLES``
    bodies whose chest, waist and hip girths are drawn normal around the measured ones with covariance
    ``cov`` (3, 3) cm² (a waistband's girth moves with the waist and hip by its share)."""
    rng = np.random.default_rng(FIT_SAMPLES_SEED)
    draws = rng.multivariate_normal(np.zeros(len(GIRTH_ZONES)), cov, FIT_SAMPLES, method="eigh")
    delta = {z: draws[:, k] for k, z in enumerate(GIRTH_ZONES)}
    first = np.full(FIT_SAMPLES, len(sizes))
    for i in reversed(range(len(sizes))):
        ok = np.ones(FIT_SAMPLES, bool)
        for zone, fz in finished[sizes[i].size].items():
            if fz.band_share is None:
                body = girths[zone] + delta[zone]
            else:
                share = fz.band_share
                body = bands[share] + (1 - share) * delta["waist"] + share * delta["hip"]
            ease = fz.girth_cm - body
            word = verdict_index(ease, np.maximum(0.0, -ease / fz.girth_cm), stretch,
                                 design[zone].design_ease_cm, fz.band_share is not None)
            ok &= word >= VERDICTS.index(SNUG)
        first[ok] = i
    counts = np.bincount(first, minlength=len(sizes) + 1) / FIT_SAMPLES
    out = {s.size: float(counts[i]) for i, s in enumerate(sizes)}
    out[NO_SIZE] = float(counts[-1])
    return out


def _reasons(sizes, recommended: SizeFit, fits: bool, stretch: float) -> list[str]:
    """The advice lines: the recommended size's zones, why the next smaller one is not it, the next larger."""
    def quote(s: SizeFit, zones=None) -> str:
        return "; ".join(z.text() for z in (zones or s.zones.values()))

    names = [s.size for s in sizes]
    i = names.index(recommended.size)
    if not fits:
        bad = [z for z in recommended.zones.values() if not z.fits]
        return [f"No size fits: even {recommended.size} is too small: {quote(recommended, bad)}; "
                f"the fabric gives {format_percent(stretch)}"]
    lines = [f"{recommended.size} fits: {quote(recommended)}"]
    if i > 0:
        smaller = sizes[i - 1]
        bad = [z for z in smaller.zones.values() if not z.fits]
        lines.append(f"{smaller.size} is too small: {quote(smaller, bad)}")
    if i + 1 < len(sizes):
        lines.append(f"{sizes[i + 1].size} (looser): {quote(sizes[i + 1])}")
    return lines


def _between(sizes, recommended: SizeFit, fits: bool, chances: dict, sd: dict) -> str | None:
    """The between-sizes note: the sizes that each have at least ``NOTED_SIZE_CHANCE`` of being the one that
    fits (the recommended one and, when it is only snug, the next larger one), and how each feels."""
    names = [s.size for s in sizes]
    i = names.index(recommended.size)
    likely = [k for k, n in enumerate(names) if chances.get(n, 0.0) >= NOTED_SIZE_CHANCE]
    if fits and recommended.deciding.verdict == SNUG and i + 1 < len(sizes) and sizes[i + 1].fits:
        likely.append(i + 1)
    if not fits or not likely:
        return None
    lo, hi = min(likely + [i]), max(likely + [i])
    if lo == hi:
        return None
    zone = recommended.deciding.zone
    feel = "; ".join(f"{sizes[k].size}: {sizes[k].feel()}" for k in range(lo, hi + 1))
    note = f"between {names[lo]} and {names[hi]} ({zone} decides): {feel}"
    if len([k for k in range(lo, hi + 1) if chances.get(names[k], 0.0) >= NOTED_SIZE_CHANCE]) > 1:
        spread = max(sd.values())
        note += f"; your measurements (±{spread:.1f} cm) straddle a size boundary"
    return note
