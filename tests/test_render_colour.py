"""The colour pipeline end to end: a catalog colour (sRGB, as the catalog stores it) on a swatch facing the
camera under the studio lights comes out as that sRGB colour.

It used to vary between runs (navy 4 to 22 levels too light): pyrender hands the shader its lights from a
``set`` of nodes, ordered by their memory addresses, and the shader gave its sheen to whichever came first.
The sheen now goes to the brightest light, and a rough cloth has almost none.
"""

import numpy as np
import pytest

from app.render.camera import OrbitCamera
from app.render.content import GarmentLayer, SceneContent, garment_srgb
from app.render.lights import STUDIO_LIGHTS
from garments.catalog import load_catalog
from tests.gui_fakes import garment

pytestmark = pytest.mark.gl

#: Levels (of 255) a front-lit swatch may differ from its catalog colour per channel: the camera looks 4° down
#: on it, so it gets a little less than the face-on light, and 8-bit rounding (measured, the same in every
#: run: navy 1, sand 2, red 2, white #F4F4F4 3 levels dark).
SWATCH_TOLERANCE = 3

QUAD = np.array([[-0.3, 0.7, 0.2], [0.3, 0.7, 0.2], [0.3, 1.3, 0.2], [-0.3, 1.3, 0.2]])
SPECK = np.array([[0.0, 0.0, -1.0], [0.01, 0.0, -1.0], [0.0, 0.01, -1.0]])  # a body far behind the swatch


def swatch(renderer, srgb, samples=0) -> np.ndarray:
    """(3,) float: the mean colour (0-255) at the middle of a swatch of ``srgb`` facing the camera."""
    layer = GarmentLayer("tee:M", QUAD, [[0, 1, 2], [0, 2, 3]], srgb)
    image = renderer.render(SceneContent(SPECK, [[0, 1, 2]], garments=(layer,)),
                            OrbitCamera(target=(0.0, 1.0, 0.0), distance_m=2.0), 64, 64, samples=samples)
    return image[28:36, 28:36].reshape(-1, 3).mean(axis=0)


@pytest.mark.parametrize("name, hex_srgb", [("navy", "#1f2952"), ("sand", "#c8b48a"), ("red", "#b02a30")])
def test_a_catalog_colour_renders_as_itself(renderer, name, hex_srgb):
    tee = garment("tee", "Tee", "top", "10", ((name, hex_srgb),))
    want = np.array([int(hex_srgb[i:i + 2], 16) for i in (1, 3, 5)])
    for samples in (0, 4):  # the quick frame and the still picture agree
        got = swatch(renderer, garment_srgb(tee, name), samples)
        assert np.abs(got - want).max() <= SWATCH_TOLERANCE, (samples, got, want)


def test_the_built_in_navy_is_navy(renderer):
    """The shopper's report: the catalog's navy tee (#1F2952) showed as about #5F6C92."""
    tee = next(g for g in load_catalog() if g.id == "crew-tee")
    srgb = garment_srgb(tee, "navy")
    assert np.allclose(srgb, (0x1F / 255, 0x29 / 255, 0x52 / 255), atol=0.5 / 255)
    assert np.abs(swatch(renderer, srgb) - (0x1F, 0x29, 0x52)).max() <= SWATCH_TOLERANCE


def test_the_key_light_is_the_brightest():
    """The shader picks the key light (the one with the sheen) by intensity, never by position in the list."""
    intensities = [i for _d, i in STUDIO_LIGHTS]
    assert intensities[0] == max(intensities) and intensities.count(max(intensities)) == 1


def _shader_colour(name: str) -> np.ndarray:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "app" / "render" / "shaders" / "mesh.frag").read_text()
    return np.array([float(c) for c in text.split(f"const vec3 {name} = vec3(")[1].split(")")[0].split(",")])


def test_the_shaders_hatching_reds_are_the_constants():
    from avatar.colour import srgb_to_linear
    from app.render.constants import WONT_FIT_SRGB, WONT_FIT_STRIPE_SRGB

    for name, srgb in (("WONT_FIT", WONT_FIT_SRGB), ("WONT_FIT_STRIPE", WONT_FIT_STRIPE_SRGB)):
        assert np.allclose(_shader_colour(name), srgb_to_linear(np.array(srgb)), atol=1e-4), name


def test_a_zone_that_wont_close_is_hatched_sharply(renderer):
    """The "won't close" band's stripes are the two reds and nothing between, on triangles larger than a
    stripe; its edges are level lines. Baked into the vertices' colours, a 6 cm stripe over 10 cm
    triangles was smeared into pink and brown blotches."""
    from app.render.constants import WONT_FIT_SRGB, WONT_FIT_STRIPE_SRGB
    from app.render.fit_overlay import FitMarks

    n = 7  # a 0.6 m square swatch of 6 x 6 cells, 10 cm each, facing the camera
    x, y = np.meshgrid(np.linspace(-0.3, 0.3, n), np.linspace(0.7, 1.3, n))
    vertices = np.c_[x.ravel(), y.ravel(), np.full(n * n, 0.2)]
    cells = [(r * n + c, r * n + c + 1, (r + 1) * n + c + 1, (r + 1) * n + c) for r in range(n - 1) for c in range(n - 1)]
    faces = np.array([f for a, b, c, d in cells for f in ((a, b, c), (a, c, d))])
    inside = np.minimum(vertices[:, 1] - 0.9, 1.1 - vertices[:, 1])  # the band: 0.9 to 1.1 m high
    marks = FitMarks(inside > 0, ("tee M: hip won't close",), ("M hip",), inside)
    layer = GarmentLayer("tee:M", vertices, faces, (1.0, 1.0, 1.0), fit_marks=marks)
    image = renderer.render(SceneContent(SPECK, [[0, 1, 2]], garments=(layer,)),
                            OrbitCamera(target=(0.0, 1.0, 0.0), distance_m=2.0), 96, 96).astype(float)
    swatch_part = image[:, 30:66]  # columns well inside the swatch
    red = swatch_part[..., 0] - swatch_part[..., 1] > 60
    rows = np.flatnonzero(red.any(axis=1))
    assert len(rows) > 6 and (np.diff(rows) == 1).all()  # one band
    top = red.argmax(axis=0)  # its upper edge, per column
    bottom = len(red) - 1 - red[::-1].argmax(axis=0)
    assert np.ptp(top) <= 1 and np.ptp(bottom) <= 1, (top, bottom)  # level lines
    band = swatch_part[rows[1]:rows[-1]].reshape(-1, 3)
    reds = np.array([WONT_FIT_SRGB, WONT_FIT_STRIPE_SRGB]) * 255
    distance = np.abs(band[:, None, :] - reds[None]).max(axis=2)
    assert (distance.min(axis=1) <= 3 * SWATCH_TOLERANCE).mean() > 0.9, np.percentile(distance.min(axis=1), [50, 90])
    assert 0.3 < (distance.argmin(axis=1) == 1).mean() < 0.7  # both stripes, about as wide
