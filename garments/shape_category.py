"""A garment's category recognised from its shape on the reference body, for imports given none."""

from __future__ import annotations

import numpy as np

from .constants import LEG_SECTION_DEPTHS_M, LEG_SIDE_OFFSET_M


def infer_category(v: np.ndarray, faces: np.ndarray, form) -> str:
    """A garment's category from its shape on the body, for imports given none.

    Bottoms start below the armpits: with a tube around each leg under the crotch (``has_two_legs``)
    they are shorts (hem above the knee), leggings (close to the skin) or trousers, otherwise a skirt.
    Garments reaching the armpits with two legs are one-pieces (a top and trousers or shorts in one
    mesh: ``jumpsuit``); others reaching well below the crotch are dresses, the rest tops.
    """
    from .dress_form import body_clearance

    top, bottom = float(v[:, 1].max()), float(v[:, 1].min())
    levels = form.levels
    legs = has_two_legs(v, faces, levels["crotch"])
    if top < levels["armpit"] - 0.05:
        if legs:
            if bottom > levels["knee"] + 0.05:
                return "shorts"
            return "leggings" if np.median(np.abs(body_clearance(form, v))) < 0.012 else "trousers"
        return "skirt"
    if legs:
        return "jumpsuit"
    return "dress" if bottom < levels["crotch"] - 0.12 else "top"


def has_two_legs(v: np.ndarray, faces: np.ndarray, crotch_y: float) -> bool:
    """Whether the garment has a leg tube around each leg below the body's crotch.

    In every horizontal section ``LEG_SECTION_DEPTHS_M`` under the crotch that the garment reaches (at
    least one), no piece of the cut crosses the body's midline plane x = 0 (a skirt's or a dress's tube
    does, in front and behind) and cloth lies more than ``LEG_SIDE_OFFSET_M`` out on both sides. It reads
    the cut face by face, so seams left unwelded (MakeHuman's clothes) do not break a leg's loop.

    Parameters
    ----------
    v : (N, 3) float, metres; the garment on the reference body (its midline at x = 0)
    faces : (M, 3) int
    crotch_y : float, metres; the body's crotch height
    """
    bottom = float(v[:, 1].min())
    depths = [d for d in LEG_SECTION_DEPTHS_M if crotch_y - d > bottom + 0.01]
    if not depths:
        return False
    for depth in depths:
        x = _section_segments_x(v, faces, crotch_y - depth)
        if len(x) == 0 or (x[:, 0] * x[:, 1] <= 0).any():
            return False
        middle = x.mean(axis=1)
        if not ((middle > LEG_SIDE_OFFSET_M).any() and (middle < -LEG_SIDE_OFFSET_M).any()):
            return False
    return True


def _section_segments_x(v: np.ndarray, faces: np.ndarray, y: float) -> np.ndarray:
    """(K, 2) float, metres: the x of both ends of each segment where the plane at height ``y`` cuts a face."""
    d = v[:, 1] - y
    f = np.asarray(faces, np.int64)
    above = d[f] > 0
    cut = above.any(axis=1) & ~above.all(axis=1)
    ends = []
    for a, b in ((0, 1), (1, 2), (2, 0)):
        fa, fb = f[cut, a], f[cut, b]
        crosses = (d[fa] > 0) != (d[fb] > 0)
        t = np.where(crosses, d[fa] / np.where(crosses, d[fa] - d[fb], 1.0), np.nan)
        ends.append(v[fa, 0] + t * (v[fb, 0] - v[fa, 0]))
    ends = np.stack(ends, axis=1)  # (K, 3): nan where the edge is not cut; two of three are cut
    ok = np.isfinite(ends).sum(axis=1) == 2
    return np.sort(np.where(np.isfinite(ends[ok]), ends[ok], np.inf), axis=1)[:, :2]
