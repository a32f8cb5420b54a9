"""Size advice from finished measurements and girths."""

import dataclasses
import re

import pytest

pytestmark = pytest.mark.body


def test_reference_body_gets_the_middle_size(body_model):
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment
    from garments.fit import recommend_size

    tee = get_garment("crew-tee")
    advice = recommend_size(reference_avatar("female"), tee)
    assert advice.recommended == tee.size_names[len(tee.size_names) // 2]
    assert set(advice.per_size) == set(tee.size_names)
    assert re.match(rf"^{advice.recommended}: -?\d+ cm ease at (chest|waist|hip)$", advice.reasons[0])


def test_bigger_body_gets_a_bigger_size_and_small_sizes_are_tight(body_model):
    from avatar.avatar import REFERENCE_PHENOTYPES, make_avatar
    from garments.catalog import get_garment
    from garments.fit import body_girths, recommend_size

    skirt = get_garment("a-line-skirt")
    slim = make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=0.2), sex="female")
    heavy = make_avatar(dataclasses.replace(REFERENCE_PHENOTYPES["female"], weight=0.9), sex="female")
    a, b = recommend_size(slim, skirt), recommend_size(heavy, skirt)
    assert skirt.size_names.index(b.recommended) > skirt.size_names.index(a.recommended)
    assert body_girths(heavy)["waist"] > body_girths(slim)["waist"]
    # On a much larger body, the smallest size is reported as stretched.
    girths = {k: v + 25.0 for k, v in body_girths(heavy).items()}
    advice = recommend_size(heavy, skirt, girths=girths)
    assert any("stretch" in r for r in advice.reasons)


def test_between_sizes_note(body_model):
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment
    from garments.fit import body_girths, recommend_size, size_ease

    tee = get_garment("crew-tee")
    avatar = reference_avatar("female")
    girths = body_girths(avatar)
    eases = size_ease(tee, girths)
    assert all(isinstance(v, float) for e in eases.values() for v in e.values())
    advice = recommend_size(avatar, tee, girths=girths)
    if advice.between is not None:
        assert advice.between.startswith("between ")
