"""Skin tones: at least eight, light to dark, drawn in pictures."""

import numpy as np
import pytest

from avatar.colour import srgb_to_linear
from avatar.looks import SKIN_TONE_NAMES, LookError, skin_srgb


def _luminance(rgb):
    return float(srgb_to_linear(rgb) @ np.array([0.2126, 0.7152, 0.0722]))


def test_tones_run_from_light_to_dark():
    monk = [n for n in SKIN_TONE_NAMES if n.startswith("monk-")]
    assert len(monk) >= 8
    lum = [_luminance(skin_srgb(n)) for n in monk]
    assert lum[0] > 0.75 and lum[-1] < 0.03  # the lightest and the darkest skins
    assert skin_srgb(None) == skin_srgb("default")


def test_unknown_tone_names_the_choices():
    with pytest.raises(LookError, match="monk-01"):
        skin_srgb("green")


def test_scene_content_carries_the_avatars_tone():
    from types import SimpleNamespace

    from app.render.content import SceneContent

    v = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    f = np.array([[0, 1, 2], [0, 2, 3], [0, 3, 1], [1, 3, 2]])
    body = SimpleNamespace(vertices=v, faces=f, body_faces=f, skin_tone="monk-09")
    assert SceneContent.from_avatar(body).skin_srgb == skin_srgb("monk-09")
    body.skin_tone = None
    assert SceneContent.from_avatar(body).skin_srgb == skin_srgb("default")


@pytest.mark.body
def test_a_body_file_keeps_its_skin_tone(tmp_path):
    import dataclasses

    from avatar.avatar import reference_avatar
    from avatar.export import avatar_from_file, export_avatar

    body = dataclasses.replace(reference_avatar("female"), skin_tone="monk-07")
    export_avatar(body, tmp_path / "b.glb")
    assert avatar_from_file(tmp_path / "b.glb").skin_tone == "monk-07"
    export_avatar(reference_avatar("female"), tmp_path / "d.glb")
    assert avatar_from_file(tmp_path / "d.glb").skin_tone is None
