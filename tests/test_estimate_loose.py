"""Loose clothes in real-model estimates: a body photographed in draped catalog garments, loose and tight."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def outfits(body_model):
    """One survey-fitted body (the second of ``bench_loose_clothes --seed 17``) photographed in one room
    bare with a top and leggings painted on, in the leggings alone, in the crew tee two sizes above its
    recommended one and in the field jacket: outfit -> (front, side), plus "truth"."""
    loose = load("bench_loose_clothes")
    bench = load("bench_estimate")
    from types import SimpleNamespace

    from garments.catalog import get_garment
    from garments.fit_report import fit_report

    from home_scenes import CLOTHES, SKIN_COLOURS, home_background

    avatar, truth = list(bench.bench_bodies(2, 17))[1]
    garments = {g: get_garment(g) for g in ("crew-tee", "studio-leggings", "field-jacket")}
    rng = np.random.default_rng(3)
    room = home_background(rng, 960, 720)
    renderer = bench.Renderer()
    scene = SimpleNamespace(rng=rng, renderer=renderer, room=room, noise=2.0, quality=90, side_yaw=90.0,
                            cam=bench.photo_camera(rng, avatar.stature_m, 960, 720), skin=SKIN_COLOURS[1],
                            top=CLOTHES[3], bottom=CLOTHES[1])
    recommended = fit_report(avatar, garments["crew-tee"]).recommended
    out = {"truth": truth}
    for outfit in ("painted", "leggings", "tee +2", "jacket"):
        out[outfit] = loose.photograph(scene, avatar, loose.outfit_items(outfit, garments, recommended))[0]
    renderer.close()
    return out


@pytest.mark.body
@pytest.mark.gl
def test_loose_tops_warn_for_the_chest_and_waist_and_tight_clothes_do_not(outfits):
    from avatar.estimate import estimate_measurements

    height = outfits["truth"]["stature"]
    est = {k: estimate_measurements(*outfits[k], height) for k in ("painted", "leggings", "tee +2", "jacket")}
    for tight in ("painted", "leggings"):
        assert not any("loose" in w for w in est[tight].warnings), (tight, est[tight].warnings)
    for loose in ("tee +2", "jacket"):
        named = [w for w in est[loose].warnings if "loose around the chest" in w]
        assert len(named) == 1, (loose, est[loose].warnings)
        for name in ("chest_girth", "waist_girth"):
            assert est[loose].measurements[name][1] > 5 * est["painted"].measurements[name][1], (loose, name)
        assert est[loose].measurements["calf_girth"][1] == pytest.approx(est["painted"].measurements["calf_girth"][1],
                                                                         rel=0.3)
