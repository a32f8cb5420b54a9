"""The still picture keeps the whole body above its notes card, and a sitting body sits on a seat.

A reviewer's picture of a heavy body (162 cm, hips 125 cm) sitting in a crew tee and slim chinos had its feet
under the card naming the zones that won't close: the scene was framed for the whole picture, the card drawn
over its bottom rows. And the sitting body hovered in mid-air: nothing was drawn under it.
"""

import numpy as np
import pytest

from app.posing import pose_seat
from app.render.constants import SEAT_SRGB
from app.render.content import GarmentLayer, SceneContent
from app.render.fit_overlay import FitMarks, notes_height
from app.render.seat import seat_under
from app.render.still import still_picture
from app.render.worker import RenderWorker
from avatar.pose import pose_avatar

pytestmark = pytest.mark.gl

W, H = 300, 400
NOTES = tuple(f"Slim chino trousers 54: zone {k} won't close (needs 12.5 % stretch, fabric 3.0 %)" for k in range(4))
#: sRGB distance (largest channel) the seat's colour keeps from every skin tone and catalog colour.
SEAT_COLOUR_GAP = 0.08
#: Blue above red, levels, of a seat pixel: skin, khaki, the floor and the backdrop have none (they are warm or
#: neutral), the lit slate grey of the seat about 25.
SEAT_BLUE_LEVELS = 15


@pytest.fixture(scope="module")
def bodies():
    from avatar.fitting import fit_avatar

    def fit(sex, **cm):
        return fit_avatar(cm, sex).avatar

    return {"short": fit("female", stature=150), "tall": fit("male", stature=195),
            "heavy": fit("female", stature=162, chest_girth=120, waist_girth=110, hip_girth=125),
            "slim": fit("male", stature=180, chest_girth=86, waist_girth=72, hip_girth=88)}


@pytest.fixture(scope="module")
def worker():
    with RenderWorker() as w:
        yield w


def noted(avatar, pose):
    """The body in ``pose`` (on its seat) with a stand-in garment carrying four "won't close" notes."""
    shown = avatar if pose == "stand" else pose_avatar(avatar, pose).avatar
    tri = np.array([[0, 1, 2]])
    patch = GarmentLayer("tee:XL", shown.vertices[:3] + (0.0, 0.0, 0.01), tri,
                         fit_marks=FitMarks(np.zeros(3, bool), NOTES, NOTES[:1]))
    return SceneContent.from_avatar(shown, (patch,), seat=pose_seat(shown, pose))


@pytest.mark.parametrize("pose", ["sit", "reach", "stand"])
@pytest.mark.parametrize("body", ["short", "tall", "heavy", "slim"])
def test_the_whole_body_is_drawn_above_the_notes(worker, bodies, body, pose):
    content = noted(bodies[body], pose)
    card = notes_height(NOTES, W, H)
    assert card > 0.1 * H
    for view in ("front", "back", "side"):
        picture = still_picture(worker, content, W, H, view)
        assert picture.image.shape == (H, W, 3)
        assert picture.scene_height == H - card
        cols, rows = picture.camera.project(content.points, W, picture.scene_height).T
        assert cols.min() > 0 and cols.max() < W, (view, cols.min(), cols.max())
        assert rows.min() > 0 and rows.max() < H - card, (view, rows.min(), rows.max(), H - card)


def test_without_notes_the_scene_fills_the_picture(worker, bodies):
    content = SceneContent.from_avatar(bodies["slim"])
    assert still_picture(worker, content, W, H).scene_height == H


@pytest.mark.parametrize("body", ["short", "tall", "heavy", "slim"])
def test_a_sitting_body_rests_on_a_seat_standing_on_the_floor(bodies, body):
    posed = pose_avatar(bodies[body], "sit").avatar
    seat = pose_seat(posed, "sit")
    assert seat is not None
    lo, hi = np.asarray(seat.lo), np.asarray(seat.hi)
    v, j = np.asarray(posed.vertices), posed.joints
    assert lo[1] == 0.0 and 0.25 < hi[1] < j["hip_l"][1]
    for hip in ("hip_l", "hip_r"):  # under the hips ...
        assert lo[0] < j[hip][0] < hi[0] and lo[2] < j[hip][2] < hi[2]
    inside = np.all((v > lo + 1e-6) & (v < hi - 1e-6), axis=1)
    assert not inside.any()  # ... touching the body, never through it
    over = (v[:, 0] > lo[0]) & (v[:, 0] < hi[0]) & (v[:, 2] > lo[2]) & (v[:, 2] < hi[2]) & (v[:, 1] >= hi[1])
    assert v[over, 1].min() - hi[1] < 0.005
    feet = v[:, 1] < j["ankle_l"][1]
    assert (v[feet, 2] > hi[2]).all()  # the feet in front of it, on the floor
    assert v[:, 1].min() == pytest.approx(0.0, abs=1e-6)


def test_only_sitting_has_a_seat(bodies):
    for pose in ("stand", "reach", "walk", "bend"):
        assert pose_seat(bodies["slim"] if pose == "stand" else pose_avatar(bodies["slim"], pose).avatar,
                         pose) is None
    assert seat_under(np.zeros((0, 3)), bodies["slim"].joints) is None


def seat_pixels(image) -> int:
    rgb = image.astype(int)
    return int(((rgb[..., 2] - rgb[..., 0]) > SEAT_BLUE_LEVELS).sum())


def test_the_seat_is_drawn_under_a_sitting_body_and_not_under_a_standing_one(worker, bodies):
    sitting = noted(bodies["heavy"], "sit")
    standing = noted(bodies["heavy"], "stand")
    assert sitting.seat is not None and standing.seat is None
    for view in ("front", "side", "back"):
        assert seat_pixels(still_picture(worker, sitting, W, H, view).image) > 500, view
        assert seat_pixels(still_picture(worker, standing, W, H, view).image) == 0, view


def test_the_seat_colour_is_no_skin_and_no_cloth():
    from avatar.looks import SKIN_TONES
    from garments.catalog import load_catalog

    colours = list(SKIN_TONES.values()) + [c.rgb for g in load_catalog() for c in g.colours]
    gaps = [np.abs(np.asarray(SEAT_SRGB) - np.asarray(c, float)).max() for c in colours]
    assert min(gaps) >= SEAT_COLOUR_GAP


def test_the_desktop_view_shows_the_seat_of_the_pose(bodies):
    """The try-on controller's posed scene (what the window's 3D view draws) carries the pose's seat."""
    from app.controller.looks import Look, posed_geometry, posed_scene, with_look

    rest = bodies["slim"]
    standing = SceneContent.from_avatar(rest)
    sitting = with_look(posed_scene(standing, posed_geometry(rest, {}, "sit", lambda gid: None)), Look("monk-05"))
    assert sitting.seat is not None and sitting.seat == pose_seat(pose_avatar(rest, "sit").avatar, "sit")
    reaching = posed_scene(standing, posed_geometry(rest, {}, "reach", lambda gid: None))
    assert reaching.seat is None and standing.seat is None
