"""How the measurements of recent fits answered their local targets, to start the next fit from.

A fit's first Jacobian (every measurement's change per unit of every local target weight, found by
re-measuring the body once per target) is about half of a fit's cost. It changes slowly with the whole-body
controls, so the next fit of the same sex and the same unknowns starts from the one of the nearest
whole body instead; the solver's Broyden updates adapt it, and a step that fails still takes a fresh one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

# Fits remembered per process: a shopper refining their measurements, or a few shoppers in turn.
MAX_REMEMBERED = 16
# How far apart (largest difference of a whole-body control, each in [0, 1]) two bodies may be for one's
# Jacobian to start the other's fit. Over 12 survey bodies (`bench/bench_fit.py`'s sampler) 0.3 cut the
# CPU time per fit by a sixth at the same accuracy and iterations; always taking the nearest, however far,
# once made a fit take all 25 iterations.
NEAREST_CONTROLS = 0.3


@dataclass(frozen=True)
class Sensitivity:
    """The change of each measurement per unit weight of each local target, at zero weights.

    Attributes
    ----------
    controls : (4,) float, the body's muscle, weight, height and proportions controls
    per_weight : measurement name -> (len(params),) float; cm (kg for body mass) per unit weight
    """

    controls: np.ndarray
    per_weight: dict[str, np.ndarray]


_REMEMBERED: OrderedDict[tuple, list[Sensitivity]] = OrderedDict()
_LOCK = threading.Lock()  # fits run in worker threads


def remember(sex: str, params: list[str], names: list[str], controls: np.ndarray, per_weight: np.ndarray) -> None:
    """Keep a freshly measured sensitivity, (len(names), len(params)), for later fits (the oldest is
    forgotten past ``MAX_REMEMBERED``)."""
    key = (sex, tuple(params))
    rows = {n: np.array(row, dtype=float) for n, row in zip(names, per_weight)}
    with _LOCK:
        _REMEMBERED.setdefault(key, []).append(Sensitivity(np.asarray(controls, dtype=float), rows))
        _REMEMBERED.move_to_end(key)
        while sum(len(e) for e in _REMEMBERED.values()) > MAX_REMEMBERED:
            oldest = next(iter(_REMEMBERED))
            _REMEMBERED[oldest].pop(0)
            if not _REMEMBERED[oldest]:
                del _REMEMBERED[oldest]


def nearest(sex: str, params: list[str], names: list[str], controls: np.ndarray) -> np.ndarray | None:
    """The remembered sensitivity of the nearest body with the same unknowns and at least these
    measurements, or None when none is near enough.

    Returns
    -------
    (len(names), len(params)) float or None
    """
    with _LOCK:
        entries = [e for e in _REMEMBERED.get((sex, tuple(params)), []) if all(n in e.per_weight for n in names)]
    if not entries:
        return None
    gaps = [float(np.abs(e.controls - controls).max()) for e in entries]
    best = int(np.argmin(gaps))
    if gaps[best] > NEAREST_CONTROLS:
        return None
    return np.array([entries[best].per_weight[n] for n in names])


def forget() -> None:
    """Forget every remembered fit (a kiosk's next shopper starts afresh; tests start clean)."""
    with _LOCK:
        _REMEMBERED.clear()
