"""Statistically plausible values for the measurements a shopper did not give.

The mean vector and covariance per sex come from the US Army ANSUR II survey (2012, public
domain; 4,082 men and 1,986 women aged 17-58), in ``avatar/data/body_statistics.json``.
Missing values are the Gaussian conditioned on the given ones; an unknown sex is the one
under which the given values are most likely.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

STATISTICS_FILE = Path(__file__).parent / "data" / "body_statistics.json"


@dataclass(frozen=True)
class SexStatistics:
    names: tuple[str, ...]
    mean: np.ndarray  # (k,) cm (body_mass kg)
    cov: np.ndarray  # (k, k)


@lru_cache(maxsize=1)
def load_statistics() -> dict[str, SexStatistics]:
    data = json.loads(STATISTICS_FILE.read_text())
    names = tuple(data["names"])
    return {
        sex: SexStatistics(names, np.asarray(s["mean"], float), np.asarray(s["cov"], float))
        for sex, s in data["sexes"].items()
    }


def log_likelihood(values: dict[str, float], sex: str) -> float:
    """Log density of the given values (those the survey has) under a sex's Gaussian."""
    stats = load_statistics()[sex]
    idx = [stats.names.index(n) for n in values if n in stats.names]
    if not idx:
        return 0.0
    x = np.array([values[stats.names[i]] for i in idx])
    mu = stats.mean[idx]
    cov = stats.cov[np.ix_(idx, idx)]
    diff = x - mu
    _, logdet = np.linalg.slogdet(cov)
    return float(-0.5 * (diff @ np.linalg.solve(cov, diff) + logdet + len(idx) * np.log(2 * np.pi)))


def likely_sex(values: dict[str, float]) -> str:
    """The sex under which the given measurements are most likely (ties: female)."""
    return max(("female", "male"), key=lambda s: log_likelihood(values, s))


def conditional_fill(values: dict[str, float], sex: str) -> dict[str, float]:
    """Values of the survey's measurements not given, conditioned on the given ones.

    Returns
    -------
    name -> value (cm; body_mass kg) for each survey measurement missing from ``values``.
    """
    stats = load_statistics()[sex]
    given = [i for i, n in enumerate(stats.names) if n in values]
    missing = [i for i, n in enumerate(stats.names) if n not in values]
    if not missing:
        return {}
    mu_m = stats.mean[missing]
    if given:
        x = np.array([values[stats.names[i]] for i in given])
        s_mg = stats.cov[np.ix_(missing, given)]
        s_gg = stats.cov[np.ix_(given, given)]
        mu_m = mu_m + s_mg @ np.linalg.solve(s_gg, x - stats.mean[given])
    return {stats.names[i]: float(v) for i, v in zip(missing, mu_m)}


def conditional_cov(values: dict[str, float], sex: str) -> tuple[list[str], np.ndarray]:
    """Covariance of the survey's measurements not given, conditioned on the given ones: how far, and how
    together, the values ``conditional_fill`` gives may be from the body's own.

    Returns
    -------
    names : the survey measurements missing from ``values``
    cov : (k, k) float, cm² (body_mass kg²)
    """
    stats = load_statistics()[sex]
    given = [i for i, n in enumerate(stats.names) if n in values]
    missing = [i for i, n in enumerate(stats.names) if n not in values]
    cov = stats.cov[np.ix_(missing, missing)]
    if given:
        s_mg = stats.cov[np.ix_(missing, given)]
        cov = cov - s_mg @ np.linalg.solve(stats.cov[np.ix_(given, given)], s_mg.T)
    return [stats.names[i] for i in missing], cov
