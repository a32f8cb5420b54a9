"""One photo case estimated and scored, shared by the photo-estimate benchmarks."""

from __future__ import annotations

import time


def score_estimate(case: dict, truth: dict, mode: str, errors: dict, inside: dict, times: list,
                   skip=(), ratios: dict | None = None) -> str | None:
    """Estimate ``case`` ("front", "side" and "plate" photos) with the plate (mode "plate") or without it.

    For each measurement in ``truth`` and not in ``skip``, adds its absolute error (cm) to
    ``errors[mode][name]`` and whether it lies within the estimate's ± to ``inside[mode][name]``; adds
    the estimate's time (s) to ``times``; with ``ratios``, the error over the stated ± to
    ``ratios[mode][name]``. Returns the refusal's text, or None when it was estimated.
    """
    from avatar.errors import UserError
    from avatar.estimate import estimate_measurements

    t = time.perf_counter()
    try:
        est = estimate_measurements(case["front"], case["side"], truth["stature"],
                                    background_rgb=case["plate"] if mode == "plate" else None)
    except UserError as exc:
        return str(exc)
    times.append(time.perf_counter() - t)
    for name, (value, uncertainty) in est.measurements.items():
        if name in truth and name not in skip:
            errors[mode].setdefault(name, []).append(abs(value - truth[name]))
            inside[mode].setdefault(name, []).append(abs(value - truth[name]) <= uncertainty)
            if ratios is not None and uncertainty > 0:
                ratios[mode].setdefault(name, []).append(abs(value - truth[name]) / uncertainty)
    return None
