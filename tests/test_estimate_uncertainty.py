"""The photo estimate's stated ± (calibrated per zone) and the calibration that weighs outline errors."""

import json

import numpy as np
import pytest

from avatar.estimate import constants as C
from avatar.estimate.calibrate import fit_ridge
from avatar.estimate.estimate import CALIBRATION_PATH, HELD_ARMS_CALIBRATION_PATH
from avatar.estimate.uncertainty import (MODES, UNCERTAINTY_PATH, base_uncertainty, fit_zone_factors,
                                         load_zone_factors, stated_uncertainty, zone_of)


def test_a_fitted_factor_puts_68_percent_of_errors_within_the_stated_uncertainty():
    rng = np.random.default_rng(0)
    base = rng.uniform(1.0, 3.0, 4000)
    errors = np.abs(rng.normal(0.0, 2.5 * base))  # the base is 2.5 times too small
    factors = fit_zone_factors({("chest", "plate"): errors / base})
    assert factors["chest"]["plate"] == pytest.approx(2.5, rel=0.05)
    assert np.mean(errors <= factors["chest"]["plate"] * base) == pytest.approx(C.UNCERTAINTY_COVERAGE, abs=0.01)
    assert factors["leg girths"]["no plate"] == 1.0  # nothing measured there: left as it is


def test_the_stated_uncertainty_is_the_zone_factor_times_the_base_widened_by_warnings_and_loose_clothes():
    factors = {zone: {"plate": 1.5, "no plate": 2.0} for zone in C.UNCERTAINTY_ZONES}
    base = base_uncertainty(1.6)
    assert base == pytest.approx(np.hypot(1.6, C.PHOTO_OUTLINE_UNCERTAINTY))
    assert stated_uncertainty("chest_girth", 1.6, True, factors=factors) == pytest.approx(1.5 * base)
    assert stated_uncertainty("chest_girth", 1.6, False, factors=factors) == pytest.approx(2.0 * base)
    widened = stated_uncertainty("chest_girth", 1.6, True, warnings=2, loose=True, factors=factors)
    assert widened == pytest.approx(1.5 * base * C.WARNING_UNCERTAINTY_FACTOR ** 2 * C.LOOSE_UNCERTAINTY_FACTOR)


def test_every_estimated_measurement_has_a_calibrated_zone():
    factors = load_zone_factors()
    for path in (CALIBRATION_PATH, HELD_ARMS_CALIBRATION_PATH):
        for name in json.loads(path.read_text())["models"]:
            zone = zone_of(name)
            for mode in MODES:
                assert 0.3 < factors[zone][mode] < 5.0, (name, mode)  # a factor, not a stray value
    with pytest.raises(KeyError):
        zone_of("stature")  # the typed height is not estimated


def test_the_shipped_factors_say_how_they_were_made():
    data = json.loads(UNCERTAINTY_PATH.read_text())
    assert data["bodies"] >= 10 and "seed" in data
    assert set(data["zones"]) == set(C.UNCERTAINTY_ZONES)


def test_outline_noise_moves_the_weight_to_features_the_photo_keeps():
    """Two features carry the same signal; photos move the first one a lot. Weighing the photos' feature
    errors puts the weight on the second one, and the fit's error on photo-like features drops."""
    rng = np.random.default_rng(1)
    signal = rng.normal(0.0, 5.0, 600)
    x = np.column_stack([signal + rng.normal(0, 0.3, 600), signal + rng.normal(0, 0.6, 600)])
    y = 2.0 * signal + rng.normal(0, 0.5, 600)
    noise = np.column_stack([rng.normal(0, 4.0, 200), rng.normal(0, 0.2, 200)])  # photos: learned minus exact
    plain, b_plain, _, _ = fit_ridge(x, y, np.random.default_rng(2))
    aware, b_aware, _, _ = fit_ridge(x, y, np.random.default_rng(2), outline_noise=noise)
    assert abs(aware[0]) < 0.2 * abs(aware[1])
    assert abs(plain[0]) > abs(aware[0])
    photos = x + np.column_stack([rng.normal(0, 4.0, 600), rng.normal(0, 0.2, 600)])

    def rms(coef, intercept):
        return float(np.sqrt(np.mean((photos @ coef + intercept - y) ** 2)))

    assert rms(aware, b_aware) < 0.7 * rms(plain, b_plain)
