"""A fit starts from the Jacobian of the nearest body fitted before, and only of a near one."""

import numpy as np
import pytest

from avatar import fit_memory


@pytest.fixture(autouse=True)
def _clean_memory():
    fit_memory.forget()
    yield
    fit_memory.forget()


def test_nearest_needs_the_same_unknowns_and_a_near_body():
    params, names = ["bust", "waist"], ["stature", "chest_girth", "waist_girth"]
    rows = np.arange(6.0).reshape(3, 2)
    fit_memory.remember("female", params, names, np.array([0.5, 0.5, 0.5, 0.5]), rows)
    near = fit_memory.nearest("female", params, names[:2], np.array([0.6, 0.5, 0.4, 0.5]))
    assert near.tolist() == rows[:2].tolist()  # a subset of the measurements remembered is enough
    assert fit_memory.nearest("male", params, names, np.array([0.5, 0.5, 0.5, 0.5])) is None
    assert fit_memory.nearest("female", ["bust"], names, np.array([0.5, 0.5, 0.5, 0.5])) is None
    assert fit_memory.nearest("female", params, names + ["hip_girth"], np.array([0.5] * 4)) is None
    far = 0.5 + fit_memory.NEAREST_CONTROLS + 0.01
    assert fit_memory.nearest("female", params, names, np.array([far, 0.5, 0.5, 0.5])) is None


def test_memory_is_bounded():
    for i in range(fit_memory.MAX_REMEMBERED + 5):
        fit_memory.remember("female", [f"p{i}"], ["stature"], np.zeros(4), np.zeros((1, 1)))
    assert fit_memory.nearest("female", ["p0"], ["stature"], np.zeros(4)) is None  # the oldest went first
    last = fit_memory.MAX_REMEMBERED + 4
    assert fit_memory.nearest("female", [f"p{last}"], ["stature"], np.zeros(4)) is not None


@pytest.mark.body
def test_a_refit_starts_from_the_remembered_jacobian_and_still_meets_every_value(body_model, monkeypatch):
    from avatar.fitting import fit_avatar
    from avatar.measurements import tolerance

    taken = []
    remember = fit_memory.remember
    monkeypatch.setattr(fit_memory, "remember", lambda *a: (taken.append(a[0]), remember(*a)))
    first = {"stature": 166.0, "chest_girth": 92.0, "waist_girth": 76.0, "hip_girth": 100.0}
    fit_avatar(first, "female", model=body_model)
    assert taken == ["female"]  # measured afresh once
    second = dict(first, waist_girth=78.0)  # the shopper corrects one value
    result = fit_avatar(second, "female", model=body_model)
    assert taken == ["female"]  # started from the remembered one
    assert not result.missed
    for name, value in second.items():
        assert abs(result.measurements[name]["achieved"] - value) <= tolerance(name, value)
