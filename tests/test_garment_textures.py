"""A designer's print stays on the garment: UVs and base-colour texture through import, drape and render."""

from dataclasses import replace

import numpy as np
import pytest

from app.render import SceneContent, framed, garment_from_drape
from app.render.content import garment_srgb, textured
from garments.catalog import Colour
from garments.import_options import ImportOptions
from garments.importers import import_garment
from garments.outfit import drape_garment
from garments.textures import garment_texture
from tests.check_print import export_check_tee

pytestmark = [pytest.mark.body, pytest.mark.gl]
W, H = 320, 480


@pytest.fixture(scope="module")
def avatar():
    from avatar.avatar import reference_avatar

    return reference_avatar("female")


def _chest_patch(renderer, avatar, layer) -> np.ndarray:
    content = SceneContent.from_avatar(avatar, (layer,))
    camera = framed(content.bounds, W / H, "front", content.axis)
    image = renderer.render(content, camera, W, H).astype(int)
    chest = np.array([0.0, avatar.joints["shoulder_l"][1] - 0.12, 0.0])
    chest[2] = layer.vertices[np.abs(layer.vertices[:, 1] - chest[1]) < 0.02, 2].max()  # the cloth's front
    col, row = np.round(camera.project([chest], W, H)[0]).astype(int)
    return image[row - 12:row + 12, col - 12:col + 12]


@pytest.mark.parametrize("ext", [".obj", ".glb"])
def test_check_print_is_visible_on_the_avatar(tmp_path, renderer, avatar, ext):
    g = import_garment(export_check_tee(tmp_path, ext), ImportOptions(category="top", price=10))
    assert g.texture == "texture.png" and g.colours[0].rgb == (1.0, 1.0, 1.0)
    assert garment_texture(g).shape == (256, 256, 3)
    r = drape_garment(avatar, g, g.size_names[0])
    assert r.uv is not None and r.uv.shape == (len(r.vertices), 2)
    printed = _chest_patch(renderer, avatar, garment_from_drape(r, colour=garment_srgb(g), **textured(g, r)))
    plain = _chest_patch(renderer, avatar, garment_from_drape(r, colour=garment_srgb(g)))
    spread = lambda patch: np.percentile(patch.mean(axis=2), 95) - np.percentile(patch.mean(axis=2), 5)
    assert spread(printed) > 80 and spread(plain) < 30, (spread(printed), spread(plain))
    # a colour variant tints the print: red, and the checks still show
    red = replace(g, colours=g.colours + (Colour("red", (0.8, 0.04, 0.04)),))
    tinted = _chest_patch(renderer, avatar, garment_from_drape(r, colour=garment_srgb(red, "red"), **textured(red, r)))
    assert tinted[..., 0].mean() > tinted[..., 1].mean() + 40
    assert np.percentile(tinted[..., 0], 95) - np.percentile(tinted[..., 0], 5) > 60
