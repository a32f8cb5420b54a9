"""The colour pipeline end to end: a catalog colour (linear RGB, as the catalog stores it) shown on a swatch
facing the camera under the studio lights comes out as the sRGB colour it was given as."""

import numpy as np
import pytest

from app.render.camera import OrbitCamera
from app.render.content import GarmentLayer, SceneContent, garment_srgb
from app.render.scene import SceneRenderer
from tests.gui_fakes import garment

pytestmark = pytest.mark.gl

#: Levels (of 255) a front-lit swatch may differ from its catalog colour per channel: the studio light's
#: key/fill balance is not a perfect white balance (measured: 4 levels off for navy).
SWATCH_TOLERANCE = 10


@pytest.fixture(scope="module")
def renderer():
    r = SceneRenderer()
    yield r
    r.close()


@pytest.mark.parametrize("name, hex_srgb", [("navy", "#1f2952"), ("sand", "#c8b48a"), ("red", "#b02a30")])
def test_a_catalog_colour_renders_as_itself(renderer, name, hex_srgb):
    tee = garment("tee", "Tee", "top", "10", ((name, hex_srgb),))
    quad = np.array([[-0.3, 0.7, 0.2], [0.3, 0.7, 0.2], [0.3, 1.3, 0.2], [-0.3, 1.3, 0.2]])
    body = np.array([[0.0, 0.0, -1.0], [0.01, 0.0, -1.0], [0.0, 0.01, -1.0]])  # a speck far behind
    swatch = GarmentLayer("tee:M", quad, [[0, 1, 2], [0, 2, 3]], garment_srgb(tee, name))
    image = renderer.render(SceneContent(body, [[0, 1, 2]], garments=(swatch,)),
                            OrbitCamera(target=(0.0, 1.0, 0.0), distance_m=2.0), 64, 64, samples=0)
    want = np.array([int(hex_srgb[i:i + 2], 16) for i in (1, 3, 5)])
    got = image[28:36, 28:36].reshape(-1, 3).mean(axis=0)
    assert np.abs(got - want).max() <= SWATCH_TOLERANCE, (got, want)
