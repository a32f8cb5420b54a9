"""The learned photo models: fetched from the pinned wheel, run by the pinned OpenCV, outputs kept.

``tests/data/photo_model_reference.json`` holds the landmark model's outputs on a rendered photo.
An OpenCV (or model) change that moves them fails here; after checking the estimate's accuracy
again (``bench/bench_estimate.py``), write new ones with ``uv run python tests/test_photo_models.py``.
"""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from avatar import assets
from avatar.errors import AssetsUnavailableError

REFERENCE = Path(__file__).with_name("data") / "photo_model_reference.json"
KEPT = ("nose", "left_eye", "right_eye", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
        "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle")
POINT_TOLERANCE_PX = 1.5  # a tenth of a pixel moves with nothing; a changed engine moves points by several
AREA_TOLERANCE = 0.005  # share of the mask's area


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FITTING_ROOM_CACHE", str(cache))
    return cache


def test_a_models_wheel_with_the_wrong_hash_is_refused(empty_cache, tmp_path):
    fake = tmp_path / next(iter(assets.MEDIAPIPE_HASHES))
    with zipfile.ZipFile(fake, "w") as archive:
        for member in assets.PHOTO_MODELS.members:
            archive.writestr(member, "x")
    with pytest.raises(AssetsUnavailableError, match="SHA-256"):
        assets.fetch_photo_models(wheel=fake)
    assert not assets.photo_models_dir().exists()


def test_an_unknown_models_wheel_names_the_supported_ones(empty_cache, tmp_path):
    fake = tmp_path / "mediapipe-0.10.21-cp39-cp39-win32.whl"
    fake.write_bytes(b"not it")
    with pytest.raises(AssetsUnavailableError, match="manylinux_2_28_x86_64"):
        assets.fetch_photo_models(wheel=fake)


def test_offline_models_download_says_what_to_do(empty_cache, monkeypatch, capsys):
    def offline(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution found\n")

    monkeypatch.setattr(assets.subprocess, "run", offline)
    monkeypatch.setattr(assets.ANNY.__class__, "present", lambda self: self.package == "anny")
    import avatar.avatar  # noqa: F401 - bound to the real loader now, not to the stand-in below
    monkeypatch.setattr("avatar.body_model.load_body_model", lambda progress=None: None)
    assert main(["assets", "fetch"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not download the photo models")
    assert "--models-wheel" in err and "\n" not in err


def reference_photo():
    """A rendered woman facing the camera on a plain wall (no noise: the same pixels every run)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import bench_estimate as bench
    from avatar.avatar import reference_avatar
    from avatar.estimate.project import PinholeCamera

    cam = PinholeCamera(height_m=1.1, distance_m=3.2, yfov_deg=50, width_px=480, height_px=800)
    room = np.zeros((800, 480, 3), np.uint8)
    room[:] = (200, 196, 188)
    room[int(0.8 * 800):] = (90, 80, 70)
    renderer = bench.Renderer()
    try:
        photo, _ = bench.render_photo(renderer, reference_avatar("female"), cam, 0.0, room)
    finally:
        renderer.close()
    return photo


def model_outputs(photo) -> dict:
    from avatar.estimate.models import INDEX, find_people

    people = find_people(photo)
    pose = people[0]
    return {"people": len(people), "score": round(pose.score, 4),
            "points": {n: [round(float(v), 2) for v in pose.point(n)] for n in KEPT},
            "visibility": {n: round(float(pose.visibility[INDEX[n]]), 3) for n in KEPT},
            "mask_area": int(pose.mask.sum())}


@pytest.mark.body
@pytest.mark.gl
def test_model_outputs_match_the_reference(body_model):
    import cv2

    reference = json.loads(REFERENCE.read_text())
    assert cv2.__version__ == reference["opencv"]
    out = model_outputs(reference_photo())
    assert out["people"] == 1 and out["score"] > 0.9
    for name, point in reference["points"].items():
        assert np.hypot(*np.subtract(out["points"][name], point)) <= POINT_TOLERANCE_PX, name
    assert abs(out["mask_area"] - reference["mask_area"]) <= AREA_TOLERANCE * reference["mask_area"]


if __name__ == "__main__":
    import cv2

    data = {"opencv": cv2.__version__, "models": f"mediapipe {assets.MEDIAPIPE_VERSION}", **model_outputs(reference_photo())}
    REFERENCE.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {REFERENCE}")


@pytest.fixture(scope="module")
def home_photos(body_model):
    """Three dressed bodies in rooms at home (door, picture, sign, furniture, coat stand or plant), and the rooms."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from types import SimpleNamespace

    import bench_estimate as bench
    import home_scenes as home
    from avatar.avatar import reference_avatar
    from avatar.estimate.project import PinholeCamera

    rng = np.random.default_rng(8)
    renderer = bench.Renderer()
    out = []
    try:
        for k, sex in enumerate(("female", "male", "female")):
            avatar = reference_avatar(sex)
            room = home.home_background(rng, 960, 720)
            colours = home.dress(avatar.vertices, avatar.joints, home.SKIN_COLOURS[2 * k], home.CLOTHES[k],
                                 home.CLOTHES[k + 4], sandals=bool(k % 2))
            vertices, angle = home.held_arms(rng, avatar.vertices, avatar.joints)
            body = SimpleNamespace(vertices=vertices, faces=avatar.faces, stature_m=avatar.stature_m)
            cam = PinholeCamera(height_m=1.1, distance_m=3.9, yfov_deg=50, width_px=720, height_px=960)
            photo, mask = bench.render_photo(renderer, body, cam, 0.0, room, colours=colours)
            out.append((bench.degrade(rng, photo, 3.0, 85), mask, room, angle))
    finally:
        renderer.close()
    return out


@pytest.mark.body
@pytest.mark.gl
def test_doors_signs_and_coat_stands_are_not_people(home_photos):
    from avatar.estimate.checks import arm_angle, assess_frame
    from avatar.estimate.errors import NoPersonError

    for photo, mask, room, angle in home_photos:
        found = assess_frame(photo, "front")
        assert found.ok, found.guidance
        assert found.segmentation.people == 1
        iou = (found.segmentation.mask & mask).sum() / (found.segmentation.mask | mask).sum()
        assert iou > 0.93
        assert abs(arm_angle(found.pose) - angle) < 8.0  # the arms' angle is read, not assumed
        empty = assess_frame(room, "front")
        assert isinstance(empty.problems[0], NoPersonError), empty.guidance


@pytest.mark.body
@pytest.mark.gl
def test_the_preview_overlay_draws_outline_and_skeleton_on_a_copy(home_photos):
    from avatar.estimate.checks import assess_frame
    from avatar.estimate.overlay import draw_overlay

    photo = home_photos[0][0]
    before = photo.copy()
    found = assess_frame(photo, "front")
    drawn = draw_overlay(photo, found)
    assert (photo == before).all()  # the frame itself is untouched
    changed = (drawn != photo).any(axis=2)
    outline = found.segmentation.mask ^ np.roll(found.segmentation.mask, 1, axis=1)
    assert changed[outline].mean() > 0.5
    assert (draw_overlay(photo, None) == photo).all()


@pytest.mark.body
@pytest.mark.gl
def test_side_photos_tell_hanging_arms_from_held_ones(body_model):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from types import SimpleNamespace

    import bench_estimate as bench
    import home_scenes as home
    from avatar.avatar import reference_avatar
    from avatar.estimate import constants as C
    from avatar.estimate.checks import assess_frame, side_arm_angle, silhouette_height_px
    from avatar.estimate.project import PinholeCamera, turn_arms
    from avatar.pose import hang_arms

    rng = np.random.default_rng(3)
    avatar = reference_avatar("male")
    room = home.home_background(rng, 960, 720)
    colours = home.dress(avatar.vertices, avatar.joints, home.SKIN_COLOURS[1], home.CLOTHES[0], home.CLOTHES[5],
                         sandals=False)
    cam = PinholeCamera(height_m=1.1, distance_m=3.9, yfov_deg=50, width_px=720, height_px=960)
    renderer = bench.Renderer()
    try:
        def found(vertices, yaw):
            body = SimpleNamespace(vertices=vertices, faces=avatar.faces, stature_m=avatar.stature_m)
            photo, _ = bench.render_photo(renderer, body, cam, yaw, room, colours=colours)
            return assess_frame(bench.degrade(rng, photo, 3.0, 85), "front" if yaw == 0 else "side")

        front = found(avatar.vertices, 0.0)
        held = found(turn_arms(avatar.vertices, avatar.joints, 30.0), 90.0)  # 71 deg from hanging
        hanging = found(hang_arms(avatar, 10.0).vertices, -90.0)
    finally:
        renderer.close()
    assert front.ok and held.ok and hanging.ok, (front.guidance, held.guidance, hanging.guidance)

    def angle(side):
        return side_arm_angle(front.pose, side.pose, silhouette_height_px(front.segmentation.mask),
                              silhouette_height_px(side.segmentation.mask))

    assert angle(hanging) < C.SIDE_ARMS_DOWN_DEG[1] - 5.0
    assert angle(held) > C.SIDE_ARMS_DOWN_DEG[1] + 20.0
