"""The movement test: does a size still fit when the shopper walks, sits, reaches or bends?

Each size is draped on the avatar standing, moved into every pose and settled there
(``garments.motion``); each fit zone's strain is compared with the fabric's stretch limit
(``Garment.stretch``) plus ``MOTION_ALLOWANCE``: beyond it the size is too tight in that pose, beyond
``NEAR_LIMIT_SHARE`` of it near the limit, below ``COMFORT_SHARE`` of it comfortable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from avatar.errors import Cancelled
from avatar.pose import POSE_NAMES

from .motion_constants import COMFORT_SHARE, MOTION_ALLOWANCE, NEAR_LIMIT_SHARE

POSE_WORDS = {"stand": "standing", "walk": "walking", "sit": "sitting", "reach": "reaching up", "bend": "bending"}
TIGHT, NEAR, FINE, COMFORTABLE = "too tight", "near this fabric's limit", "fits", "comfortable"
_ORDER = (COMFORTABLE, FINE, NEAR, TIGHT)


PLURAL_ZONES = ("the hips", "the sleeves")


def zone_words(zone: str, category: str) -> str:
    """How a shopper names a zone: a bottom's hip is its seat."""
    from .catalog import BOTTOM_CATEGORIES

    if zone == "hip":
        return "the seat" if category in BOTTOM_CATEGORIES else "the hips"
    return {"sleeve": "the sleeves"}.get(zone, f"the {zone}")


def verdict(strain: float, limit: float) -> str:
    """One zone in one pose: TIGHT, NEAR, FINE or COMFORTABLE for a strain (fraction) and the fabric's limit."""
    limit = limit + MOTION_ALLOWANCE
    if strain > limit:
        return TIGHT
    if strain > NEAR_LIMIT_SHARE * limit:
        return NEAR
    return COMFORTABLE if strain < COMFORT_SHARE * limit else FINE


@dataclass(frozen=True)
class SizeMotion:
    """One size in every pose: pose -> zone -> {"ease_cm", "strain", "verdict"}."""

    size: str
    poses: dict = field(default_factory=dict)

    def worst(self, pose: str) -> tuple[str, dict] | None:
        """The zone that fits worst in a pose (highest strain): (zone, its values), or None without zones."""
        zones = self.poses.get(pose, {})
        if not zones:
            return None
        zone = max(zones, key=lambda z: zones[z]["strain"])
        return zone, zones[zone]

    def verdict(self, pose: str) -> str:
        """The size's verdict in a pose: its worst zone's."""
        worst = self.worst(pose)
        return worst[1]["verdict"] if worst else COMFORTABLE


@dataclass(frozen=True)
class MovementTest:
    """A garment's sizes tried in every pose on one avatar."""

    garment_id: str
    category: str
    stretch_limit: float
    sizes: tuple[SizeMotion, ...]

    def tight_poses(self, size: str) -> list[str]:
        """The poses in which ``size`` is too tight or near the fabric's limit (for the size advice)."""
        motion = next(s for s in self.sizes if s.size == size)
        return [pose for pose in motion.poses if motion.verdict(pose) in (TIGHT, NEAR)]

    def worst_verdict(self, size: str) -> str:
        """The size's worst verdict over every pose tried."""
        motion = next(s for s in self.sizes if s.size == size)
        return max((motion.verdict(pose) for pose in motion.poses), key=_ORDER.index, default=COMFORTABLE)

    def advice(self, size: str) -> list[str]:
        """What the poses say of ``size`` for the size advice, shopper's words: "48 is too tight when sitting
        and bending", what strains and how much (``sentences``), and the smallest size tried that is not
        tight in any pose, e.g. "In motion, 52 is the smallest size that is not tight (sizes 48-52 tried)"."""
        tight = [p for p in self.tight_poses(size) if self._verdict(size, p) == TIGHT]
        near = [p for p in self.tight_poses(size) if p not in tight]
        lines = []
        if tight:
            lines.append(f"{size} is too tight when {_joined(POSE_WORDS[p] for p in tight)}.")
        if near:
            lines.append(f"{size} is near this fabric's limit when {_joined(POSE_WORDS[p] for p in near)}.")
        if not tight and not near:
            tried = [POSE_WORDS[p] for p in next(s for s in self.sizes if s.size == size).poses if p != "stand"]
            lines.append(f"{size} is comfortable {_joined(tried)}." if self.worst_verdict(size) == COMFORTABLE
                         else f"{size} fits {_joined(tried)}.")
        lines += [line for line in self.sentences() if line.startswith(f"size {size}:")]
        # Only a larger size can be the answer to a size that is tight in motion: a smaller one that happens
        # to strain less in a pose (a shorter top whose hem stays above the lap) is still too small standing.
        larger = [s.size for s in self.sizes][[s.size for s in self.sizes].index(size):]
        free = next((name for name in larger if not self.tight_poses(name)), None)
        span = f"sizes {larger[0]}-{larger[-1]}" if len(larger) > 1 else f"size {size}"
        if free is None and len(larger) > 1:
            lines.append(f"In motion, every size tried from {size} up ({span}) is too tight or near its limit.")
        elif free is not None and free != size:
            lines.append(f"In motion, {free} is the smallest size that is not tight ({span} tried).")
        return lines

    def summary(self, size: str) -> list[str]:
        """``advice(size)`` without the sentences of what strains (for the size advice; ``sentences`` has
        them): "48 is too tight when sitting.", "In motion, 50 is the smallest size that is not tight (...)"."""
        return [line for line in self.advice(size) if not line.startswith("size ")]

    def _verdict(self, size: str, pose: str) -> str:
        return next(s for s in self.sizes if s.size == size).verdict(pose)

    def sentences(self) -> list[str]:
        """What it means, one sentence per size that strains in a pose, e.g. "size 48: the seat stretches
        9 % when sitting, near this fabric's limit; 50 is comfortable sitting"."""
        out = []
        for k, motion in enumerate(self.sizes):
            for pose in motion.poses:
                worst = motion.worst(pose)
                if worst is None or worst[1]["verdict"] not in (TIGHT, NEAR):
                    continue
                zone, values = worst
                words = zone_words(zone, self.category)
                verb = "stretch" if words in PLURAL_ZONES else "stretches"
                text = (f"size {motion.size}: {words} {verb} "
                        f"{values['strain'] * 100:.0f} % when {POSE_WORDS[pose]}, {values['verdict']}")
                better = next((s for s in self.sizes[k + 1:] if s.verdict(pose) in (COMFORTABLE, FINE)), None)
                if better is not None:
                    word = "is comfortable" if better.verdict(pose) == COMFORTABLE else "fits"
                    text += f"; {better.size} {word} {POSE_WORDS[pose]}"
                out.append(text)
        return out


def _joined(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def pose_ease(poses: dict, finished: dict) -> dict:
    """Each pose's zone ease on the fit's own scale: the size's finished ease standing (``fit_report``'s,
    the same number as the fit table's), less what the pose adds to the body's girth there.

    What a pose adds is read from the drape: the cloth's ring is about the finished girth stretched by its
    strain, the body inside it that girth less 2 pi times the clearance, so from standing to the pose the
    body's girth grows by ``finished_cm * (strain - strain_stand) - (ease_raw - ease_raw_stand)``, where
    ``ease_raw`` is ``garments.motion.zone_motion``'s 2 pi x mean clearance; a pose is never read as taking
    girth away. Standing, every zone reads its finished ease exactly. A zone without a finished ease (a
    sleeve) keeps ``zone_motion``'s clearance girth.

    Parameters
    ----------
    poses : pose -> zone -> {"ease_cm", "strain", ...} as ``zone_motion`` measures them; holds "stand"
    finished : zone -> (finished ease, finished girth), cm, of the size (``ZoneFit.ease_cm``, ``finished_cm``)

    Returns
    -------
    a copy of ``poses`` whose zones in ``finished`` have that ease, cm to 0.1
    """
    stand = poses["stand"]
    out = {}
    for pose, zones in poses.items():
        out[pose] = {}
        for zone, values in zones.items():
            values = dict(values)
            if zone in finished and zone in stand:
                ease, girth = finished[zone]
                grown = (girth * (values["strain"] - stand[zone]["strain"])
                         - (values["ease_cm"] - stand[zone]["ease_cm"]))
                # never read as more room than standing: cloth a pose lifts off the body (a tee's chest raised
                # by its sleeves reaching, 1.6 cm farther off) leaves the body no smaller
                values["ease_cm"] = round(float(ease - max(grown, 0.0)), 1)
            out[pose][zone] = values
    return out


def movement_test(avatar, garment, sizes=None, poses=POSE_NAMES, *, drapes: dict | None = None,
                  progress: Callable[[float, str], None] = lambda f, m: None,
                  cancelled: Callable[[], bool] = lambda: False) -> MovementTest:
    """Try sizes of a garment on an avatar in poses.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar at rest
    garment : garments.catalog.Garment
    sizes : size names, smallest first (all of the garment's when None)
    poses : pose names (``avatar.pose.POSE_NAMES``)
    drapes : size -> the garment's drape standing on ``avatar`` alone (``garments.outfit.DrapeResult``),
        for sizes already draped; the others are draped here

    Returns
    -------
    MovementTest; its sizes keep the given order
    """
    from .fit_report import fit_report
    from .motion import motion_zones, pose_outfit
    from .outfit import drape_garment
    from .sdf import body_sdf

    sizes = list(garment.size_names if sizes is None else sizes)
    limit = float(garment.stretch)
    sdf = body_sdf(avatar)
    fit = fit_report(avatar, garment)  # each zone's ease in a pose is on its scale (``pose_ease``)
    rows = []
    for i, size in enumerate(sizes):
        if cancelled():
            raise Cancelled("the movement test was cancelled")
        progress(i / max(len(sizes), 1), f"Trying size {size} in motion")
        draped = (drapes or {}).get(size) or drape_garment(avatar, garment, size, sdf=sdf, cancelled=cancelled)
        raw = {}
        for pose in dict.fromkeys(("stand", *poses)):
            if pose == "stand":
                body, result = avatar, draped
            else:
                posed, (result,) = pose_outfit(avatar, [draped], pose, garments={garment.id: garment},
                                               cancelled=cancelled)
                body = posed.avatar
            raw[pose] = motion_zones(body, result, garment)
        finished = {z: (f.ease_cm, f.finished_cm) for z, f in fit.size(size).zones.items()}
        per_pose = {pose: {zone: {**values, "verdict": verdict(values["strain"], limit)}
                           for zone, values in zones.items()}
                    for pose, zones in pose_ease(raw, finished).items() if pose in poses}
        rows.append(SizeMotion(size=size, poses=per_pose))
    progress(1.0, "Tried in motion")
    return MovementTest(garment_id=garment.id, category=garment.category, stretch_limit=limit, sizes=tuple(rows))


__all__ = ["MovementTest", "SizeMotion", "movement_test", "pose_ease", "verdict", "zone_words"]
