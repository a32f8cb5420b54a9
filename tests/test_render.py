"""The 3D view's scene, camera, fit map, render worker and the ``fitting-room render`` command."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest
from PIL import Image

from app.render import (
    GarmentLayer,
    OrbitCamera,
    RenderRequest,
    RenderWorker,
    SceneContent,
    SceneRenderer,
    draw_legend,
    framed,
    legend_image,
    strain_colours,
)
from app.render.constants import (
    BACKGROUND_SRGB,
    DEFAULT_STRETCH_LIMIT,
    FAST_SAMPLES,
    MAX_DISTANCE_M,
    MAX_IMAGE_SIDE,
    MAX_PITCH_DEG,
    MIN_DISTANCE_M,
)

pytestmark = [pytest.mark.gl]

W, H = 150, 200
BACKGROUND = np.round(np.array(BACKGROUND_SRGB) * 255)


def skin_mask(image: np.ndarray) -> np.ndarray:
    """Pixels of the (warm, reddish) skin: red well above blue; the backdrop and floor are neutral grey."""
    rgb = image.astype(int)
    return (rgb[..., 0] - rgb[..., 2]) > 35


def background_mask(image: np.ndarray) -> np.ndarray:
    return np.all(np.abs(image.astype(int) - BACKGROUND) <= 3, axis=-1)


def box(mask: np.ndarray):
    rows, cols = np.nonzero(mask)
    return rows.min(), rows.max(), cols.min(), cols.max()


@pytest.fixture(scope="module")
def female():
    from avatar.avatar import reference_avatar

    return reference_avatar("female")


@pytest.fixture(scope="module")
def content(female):
    return SceneContent.from_avatar(female)


def torso_garment(avatar, strain_value=None, colour=(0.15, 0.25, 0.75)) -> GarmentLayer:
    """A stand-in top: the skin between hips and armpits pushed out by 1.5 cm."""
    import trimesh

    v, f = avatar.vertices, avatar.body_faces
    lo, hi = avatar.joints["hip_l"][1], avatar.joints["shoulder_l"][1] - 0.08
    keep = np.all((v[f, 1] > lo) & (v[f, 1] < hi) & (np.abs(v[f, 0]) < 0.2), axis=1)
    mesh = trimesh.Trimesh(v, f[keep], process=False)
    mesh.remove_unreferenced_vertices()
    vertices = mesh.vertices + 0.015 * mesh.vertex_normals
    strain = None if strain_value is None else np.full(len(vertices), strain_value)
    return GarmentLayer("top", vertices, mesh.faces, colour, strain=strain)


# --- the picture ---------------------------------------------------------------------------------------------
def test_front_view_frames_the_whole_body_centred(renderer, content):
    camera = content.framed(W / H, "front")
    image = renderer.render(content, camera, W, H)
    assert image.shape == (H, W, 3) and image.dtype == np.uint8
    skin = skin_mask(image)
    top, bottom, left, right = box(skin)
    assert abs((left + right) / 2 - W / 2) < 0.05 * W            # centred
    assert top > 0.02 * H and bottom < 0.98 * H                    # whole body with a margin
    assert bottom - top > 0.8 * H                                   # and large in the picture
    corners = background_mask(image)[[0, 0, 5, 5], [0, W - 1, 0, W - 1]]
    assert corners.all()                                            # light neutral backdrop
    floor = image[bottom + 2: H - 2, int(0.45 * W): int(0.55 * W)]  # under the feet: floor, darker than backdrop
    assert floor.mean() < BACKGROUND.mean() - 5


def test_side_view_is_narrower_than_front_and_back_mirrors_front(renderer, content):
    widths = {}
    for view in ("front", "side", "back"):
        image = renderer.render(content, framed(content.bounds, W / H, view, content.axis), W, H)
        top, bottom, left, right = box(skin_mask(image))
        widths[view] = right - left
    assert widths["side"] < 0.6 * widths["front"]                   # A-pose arms stick out sideways, not forwards
    assert abs(widths["back"] - widths["front"]) <= 0.05 * W


def test_projection_matches_the_picture(renderer, content):
    camera = framed(content.bounds, W / H, "front", content.axis)
    image = renderer.render(content, camera, W, H)
    head = content.body_vertices[np.argmax(content.body_vertices[:, 1])]
    col, row = camera.project(head[None], W, H)[0]
    top, *_ = box(skin_mask(image))
    assert abs(row - top) <= 3


def test_meshes_upload_once_per_content(renderer, content, female):
    camera = framed(content.bounds, W / H, "front", content.axis)
    renderer.render(content, camera, W, H)
    before = renderer.uploads
    for yaw in (10, 20, 30):
        renderer.render(content, camera.turned(yaw), W // 2, H // 2, samples=FAST_SAMPLES)
    assert renderer.uploads == before                                # camera and size changes: no re-upload
    renderer.render(SceneContent.from_avatar(female), camera, W, H)
    assert renderer.uploads == before + 1


def test_a_colour_change_recolours_without_uploading(renderer, female):
    import dataclasses

    navy = SceneContent.from_avatar(female, [torso_garment(female, strain_value=0.05, colour=(0.12, 0.16, 0.32))])
    layer = dataclasses.replace(navy.garments[0], colour=(0.85, 0.20, 0.15))
    red = dataclasses.replace(navy, garments=(layer,), skin_srgb=(0.45, 0.30, 0.22), version=navy.version + 10**9)
    camera = framed(navy.bounds, W / H, "front", navy.axis)
    renderer.render(navy, camera, W, H, samples=0)
    uploads, recolours = renderer.uploads, renderer.recolours
    recoloured = renderer.render(red, camera, W, H, samples=0)
    assert (renderer.uploads, renderer.recolours) == (uploads, recolours + 1)   # only the colours changed
    fresh = SceneRenderer()
    try:
        uploaded = fresh.render(red, camera, W, H, samples=0)
    finally:
        fresh.close()
    assert np.abs(recoloured.astype(int) - uploaded.astype(int)).max() <= 1   # as if uploaded anew
    assert np.abs(recoloured.astype(int) - renderer.render(navy, camera, W, H, samples=0)).max() > 50
    assert renderer.uploads == uploads                                         # and back again: no upload
    other = torso_garment(female, colour=layer.colour)                         # new arrays: uploaded
    renderer.render(dataclasses.replace(red, garments=(other,), version=red.version + 1), camera, W, H, samples=0)
    assert renderer.uploads == uploads + 1


def test_a_scene_seen_before_is_drawn_without_making_meshes_and_looks_the_same(renderer, female, monkeypatch):
    import dataclasses

    import app.render.mesh_cache as mesh_cache

    made = []
    for name in ("build_body", "build_garment", "build_floor"):
        real = getattr(mesh_cache, name)
        monkeypatch.setattr(mesh_cache, name, lambda *a, real=real, name=name, **k: (made.append(name), real(*a, **k))[1])
    small = SceneContent.from_avatar(female, [torso_garment(female)])
    top = small.garments[0]
    larger = GarmentLayer("top:L", top.vertices * np.array([1.06, 1.0, 1.06], np.float32), top.faces, top.colour)
    large = dataclasses.replace(small, garments=(larger,), version=small.version + 10**9)  # the same body's arrays
    camera = framed(small.bounds, W / H, "front", small.axis)
    first = renderer.render(small, camera, W, H, samples=0)
    made.clear()
    other = renderer.render(large, camera, W, H, samples=0)
    assert made == ["build_garment"]                       # the body and its floor (a top casts no shadow) are kept
    assert np.abs(other.astype(int) - first.astype(int)).max() > 50              # another size on screen
    made.clear()
    uploads, recolours = renderer.uploads, renderer.recolours
    again = renderer.render(dataclasses.replace(small, version=small.version + 2 * 10**9), camera, W, H, samples=0)
    assert made == [] and (renderer.uploads, renderer.recolours) == (uploads, recolours + 1)
    assert np.array_equal(again, first)                                          # the same picture as before
    fresh = SceneRenderer()
    try:
        assert np.abs(fresh.render(small, camera, W, H, samples=0).astype(int) - again.astype(int)).max() <= 1
    finally:
        fresh.close()


def test_the_mesh_cache_keeps_a_bounded_number_of_parts_and_draws_only_the_content_s():
    import pyrender

    from app.render.mesh_cache import MeshCache

    scene = pyrender.Scene()
    cache = MeshCache(scene, limit=4)
    quad = np.array([[-0.3, 0.0, 0.0], [0.3, 0.0, 0.0], [0.3, 1.0, 0.0], [-0.3, 1.0, 0.0]])
    tri = np.array([[0, 1, 2], [0, 2, 3]])
    body = SceneContent(quad, tri)
    contents = [SceneContent(body.body_vertices, body.skin_faces, body.other_faces,
                             (GarmentLayer(f"g:{i}", quad + (0.0, 0.0, 0.01 * (i + 1)), tri),)) for i in range(6)]
    for content in contents:
        nodes, built = cache.draw_order(content)
    assert built == 2 and len(nodes) == 4                                       # outside, body, inside, floor
    assert len(scene.mesh_nodes) <= 2 * 4 + 1                                    # at most 4 parts (2 nodes each)
    assert all(n in scene.mesh_nodes and n.mesh.is_visible for n in nodes)
    assert sum(n.mesh.is_visible for n in scene.mesh_nodes) == len(nodes)        # the other parts are not drawn
    _, built = cache.draw_order(contents[-1])
    assert built == 0
    cache.clear()
    assert not scene.mesh_nodes


def test_fit_map_colours_garments_by_strain(renderer, female):
    tight = SceneContent.from_avatar(female, [torso_garment(female, strain_value=0.5)])
    camera = framed(tight.bounds, W / H, "front", tight.axis)
    waist = np.array([[tight.axis[0], female.joints["root"][1] + 0.08, 0.3]])
    col, row = np.round(camera.project(waist, W, H)[0]).astype(int)
    plain = renderer.render(tight, camera, W, H).astype(int)
    mapped = renderer.render(tight, camera, W, H, fit_map=True).astype(int)
    px_plain, px_mapped = plain[row, col], mapped[row, col]
    assert px_plain[2] > px_plain[0] + 40                          # its own colour: blue
    assert px_mapped[0] > px_mapped[2] + 80                        # stretched beyond the limit: red
    relaxed = SceneContent.from_avatar(female, [torso_garment(female, strain_value=0.0)])
    px_relaxed = renderer.render(relaxed, camera, W, H, fit_map=True).astype(int)[row, col]
    assert px_relaxed[2] > px_relaxed[0] + 40                       # no strain: blue end of the scale
    assert np.abs(plain - mapped)[..., :].sum() > 0
    body_only = skin_mask(plain.astype(np.uint8)) & skin_mask(mapped.astype(np.uint8))
    assert body_only.sum() > 200                                    # the skin itself keeps its colour


def test_renderer_refuses_other_threads(renderer, content):
    camera = framed(content.bounds, W / H, "front", content.axis)
    errors = []
    thread = threading.Thread(target=lambda: errors.append(_catch(renderer.render, content, camera, W, H)))
    thread.start()
    thread.join()
    assert isinstance(errors[0], RuntimeError) and "thread" in str(errors[0])


def _catch(fn, *args):
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        return exc
    return None


def test_plain_mesh_content_and_textured_garment(renderer):
    import trimesh

    body = trimesh.creation.capsule(height=1.3, radius=0.2)
    body.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, (1, 0, 0)))
    body.apply_translation((0, 0.85, 0))
    sleeve = trimesh.creation.cylinder(radius=0.23, height=0.5, sections=32)
    sleeve.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, (1, 0, 0)))
    sleeve.apply_translation((0, 1.0, 0))
    texture = np.zeros((8, 8, 3), np.uint8)
    texture[...] = (30, 200, 40)                                   # green cloth
    uv = np.c_[np.arctan2(sleeve.vertices[:, 0], sleeve.vertices[:, 2]) / (2 * np.pi) + 0.5, sleeve.vertices[:, 1]]
    layer = GarmentLayer("tube", sleeve.vertices, sleeve.faces, (1.0, 1.0, 1.0), texture=texture, uv=uv)  # print x white
    content = SceneContent.from_mesh(body.vertices, body.faces, [layer])
    camera = framed(content.bounds, W / H, "front", content.axis)
    image = renderer.render(content, camera, W, H).astype(int)
    col, row = np.round(camera.project([[0, 1.0, 0.25]], W, H)[0]).astype(int)
    r, g, b = image[row, col]
    assert g > r + 40 and g > b + 40


def test_content_rejects_bad_arrays():
    with pytest.raises(ValueError):
        SceneContent(np.zeros((4, 2)), np.zeros((1, 3)))
    with pytest.raises(ValueError):
        GarmentLayer("g", np.zeros((3, 3)), [[0, 1, 2]], strain=np.zeros(4))
    with pytest.raises(ValueError):
        GarmentLayer("g", np.zeros((3, 3)), [[0, 1, 2]], texture=np.zeros((2, 2, 3), np.uint8))


# --- camera --------------------------------------------------------------------------------------------------
def test_camera_gestures_and_limits():
    cam = OrbitCamera(target=(0, 1, 0), distance_m=3.0)
    assert cam.with_view("side").yaw_deg == 90 and cam.with_view("back").yaw_deg == 180
    assert cam.orbit(100, 0).yaw_deg != cam.yaw_deg
    assert cam.orbit(0, 10_000).pitch_deg == MAX_PITCH_DEG
    assert cam.zoom(1e6).distance_m == MIN_DISTANCE_M and cam.zoom(1e-6).distance_m == MAX_DISTANCE_M
    assert cam.turned(400).yaw_deg == pytest.approx(40)
    np.testing.assert_allclose(cam.position, [0, 1 + 3 * np.sin(np.radians(cam.pitch_deg)),
                                              3 * np.cos(np.radians(cam.pitch_deg))])
    # panning keeps the point under the pointer under it
    point = cam.target
    moved = cam.pan(30, -20, 400)
    before = cam.project(point[None], 300, 400)[0]
    after = moved.project(point[None], 300, 400)[0]
    np.testing.assert_allclose(after - before, [30, -20], atol=0.5)
    with pytest.raises(ValueError):
        cam.with_view("top")


def test_framed_keeps_the_box_inside_with_margin():
    lo, hi = np.array([-0.3, 0.0, -0.15]), np.array([0.3, 1.8, 0.15])
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    for view in ("front", "side", "back"):
        for w, h in ((300, 400), (800, 400)):
            px = framed((lo, hi), w / h, view).project(corners, w, h)
            assert (px[:, 0] > 0).all() and (px[:, 0] < w).all()
            assert (px[:, 1] > 0.01 * h).all() and (px[:, 1] < 0.99 * h).all()
            assert np.ptp(px[:, 1]) > 0.7 * h or np.ptp(px[:, 0]) > 0.5 * w   # and fills the picture


def test_content_framing_keeps_every_point_inside_from_every_side(female):
    content = SceneContent.from_avatar(female, [torso_garment(female)])
    points = np.concatenate([content.body_vertices, content.garments[0].vertices])
    for w, h in ((768, 1024), (1024, 600)):
        camera = content.framed(w / h)
        fill = []
        for yaw in range(0, 360, 30):                             # views and the turntable share one framing
            px = camera.turned(yaw).project(points, w, h)
            assert (px[:, 0] > 0).all() and (px[:, 0] < w).all() and (px[:, 1] > 0).all() and (px[:, 1] < h).all()
            fill.append(max(np.ptp(px[:, 1]) / h, np.ptp(px[:, 0]) / w))
        assert max(fill) > 0.75                                     # and not lost in empty space


# --- fit map -------------------------------------------------------------------------------------------------
def test_strain_colour_scale():
    c = strain_colours([0.0, -0.2, DEFAULT_STRETCH_LIMIT, 5.0, np.nan, 0.5 * DEFAULT_STRETCH_LIMIT])
    assert c.shape == (6, 3) and (c >= 0).all() and (c <= 1).all()
    assert c[0, 2] > c[0, 0] + 0.5                           # 0 %: blue
    np.testing.assert_allclose(c[1], c[0])                   # compressed draws like relaxed
    assert c[2, 0] > c[2, 2] + 0.5 and np.allclose(c[2], c[3])   # at and beyond the limit: the same red
    np.testing.assert_allclose(c[4], c[0])
    assert c[5, 1] > c[5, 2] and c[5, 1] > 0.5               # half way: green-yellow
    with pytest.raises(ValueError):
        strain_colours([0.1], limit=0)


def test_per_garment_stretch_limit_and_relative_legend(renderer, female):
    tight_knit = torso_garment(female, strain_value=0.05)
    woven = GarmentLayer("woven", tight_knit.vertices, tight_knit.faces, strain=tight_knit.strain, stretch_limit=0.05)
    knit = GarmentLayer("knit", tight_knit.vertices, tight_knit.faces, strain=tight_knit.strain, stretch_limit=0.5)
    camera = None
    pixels = []
    for layer in (woven, knit):
        content = SceneContent.from_avatar(female, [layer])
        camera = camera or framed(content.bounds, W / H, "front", content.axis)
        col, row = np.round(camera.project([[content.axis[0], female.joints["root"][1] + 0.08, 0.3]], W, H)[0]).astype(int)
        pixels.append(renderer.render(content, camera, W, H, fit_map=True).astype(int)[row, col])
        assert content.stretch_limits == (layer.stretch_limit,)
    assert pixels[0][0] > pixels[0][2] + 80                         # 5 % on a fabric that stretches 5 %: red
    assert pixels[1][2] > pixels[1][0]                              # on one that stretches 50 %: near blue
    mixed = SceneContent.from_avatar(female, [woven, knit])
    assert mixed.stretch_limits == (0.05, 0.5)
    assert legend_image(mixed.stretch_limits).shape[2] == 4 and legend_image(None).shape[2] == 4


def test_legend_drawn_in_the_corner():
    card = legend_image(0.08)
    assert card.ndim == 3 and card.shape[2] == 4 and card[..., 3].max() > 200
    image = np.full((1000, 700, 3), 200, np.uint8)
    out = draw_legend(image, 0.08)
    changed = np.any(out != image, axis=-1)
    top, bottom, left, right = box(changed)
    assert right > 600 and top < 60 and bottom < 400 and left > 450
    assert (out[500:, :] == image[500:, :]).all()
    # red at the top of the bar, blue at its bottom
    reds = np.nonzero((out[..., 0].astype(int) - out[..., 2]) > 120)[0]
    blues = np.nonzero((out[..., 2].astype(int) - out[..., 0]) > 120)[0]
    assert reds.mean() < blues.mean()


# --- the worker ----------------------------------------------------------------------------------------------
def test_worker_draws_only_the_newest_request_on_its_own_thread(content):
    gate = threading.Event()
    frames = []

    def on_frame(result):
        frames.append(result)
        gate.wait(30)  # hold the worker on its first frame while requests pile up

    camera = framed(content.bounds, 0.75, "front", content.axis)
    worker = RenderWorker(on_frame=on_frame)
    try:
        worker.submit(RenderRequest(content, camera, 48, 64, samples=FAST_SAMPLES))
        requests = [RenderRequest(content, camera.turned(i), 48, 64, samples=FAST_SAMPLES) for i in range(10)]
        submitters = [threading.Thread(target=worker.submit, args=(r,)) for r in requests[:9]]
        for t in submitters:
            t.start()
        for t in submitters:
            t.join()
        worker.submit(requests[9])
        gate.set()
        last = worker.render_sync(RenderRequest(content, camera.turned(99), 48, 64, samples=FAST_SAMPLES), timeout=60)
    finally:
        worker.close()
    assert last is not None and last.image.shape == (64, 48, 3)
    serials = [f.request.serial for f in frames]
    assert serials == sorted(serials)
    assert len(frames) <= 3 and worker.dropped >= 8                   # the pile-up was not drawn
    assert frames[-1].request is last.request
    assert {f.thread_id for f in frames} == {worker.thread_id} != {threading.get_ident()}
    assert worker.uploads == 1                                          # one content: one upload
    assert not worker.running


def test_worker_draws_a_quick_frame_before_its_still_instead_of_dropping_it(content):
    gate, drawn = threading.Event(), threading.Event()
    frames = []

    def on_frame(result):
        frames.append(result.request)
        if len(frames) == 3:
            drawn.set()
        gate.wait(30)  # hold the worker on its first frame while the pair is asked for

    camera = framed(content.bounds, 0.75, "front", content.axis)
    worker = RenderWorker(on_frame=on_frame)
    try:
        worker.render_sync(RenderRequest(content, camera.turned(5), 48, 64, samples=FAST_SAMPLES), timeout=60)
        quick = RenderRequest(content, camera, 48, 64, samples=FAST_SAMPLES)
        still = RenderRequest(content, camera, 48, 64)
        worker.submit(quick)
        worker.submit(still)
        gate.set()
        assert drawn.wait(60)
    finally:
        worker.close()
    assert [f.serial for f in frames[1:]] == [quick.serial, still.serial] and worker.dropped == 0  # both, quick first


def test_worker_reports_errors_and_keeps_going(content):
    errors = []
    worker = RenderWorker(on_error=lambda request, exc: errors.append(exc))
    try:
        bad = SceneContent(np.zeros((3, 3)), [[0, 1, 7]])              # index out of range
        with pytest.raises(IndexError):
            worker.render_sync(RenderRequest(bad, OrbitCamera(), 32, 32), timeout=60)
        good = worker.render_sync(RenderRequest(content, OrbitCamera(), 32, 32, samples=FAST_SAMPLES), timeout=60)
    finally:
        worker.close()
    assert errors and good is not None and good.image.shape == (32, 32, 3)


def test_request_sizes_are_checked(content):
    with pytest.raises(ValueError):
        RenderRequest(content, OrbitCamera(), 0, 100)
    with pytest.raises(ValueError):
        RenderRequest(content, OrbitCamera(), 100, MAX_IMAGE_SIDE + 1)


# --- the command ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def body_glb(tmp_path_factory, female):
    from avatar.export import export_glb

    path = tmp_path_factory.mktemp("body") / "body.glb"
    export_glb(female, path)
    return path


def run_cli(*argv):
    from app.cli import main

    try:
        return main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        return exc.code


def test_cli_renders_png_of_requested_size(tmp_path, body_glb, capsys):
    out = tmp_path / "side.png"
    assert run_cli("render", "--avatar", str(body_glb), "--out", str(out), "--width", "120", "--height", "160",
                   "--view", "side") == 0
    image = np.asarray(Image.open(out))
    assert image.shape == (160, 120, 3)
    assert skin_mask(image).sum() > 300
    assert not list(tmp_path.glob(".*.tmp"))                           # written atomically, nothing left over


def test_cli_from_measurements_with_fit_map(tmp_path, capsys):
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({"sex": "female", "measurements": {"stature": 165, "hip_girth": 100}}))
    out = tmp_path / "me.png"
    assert run_cli("render", "--measurements", str(profile), "--out", str(out), "--width", "90",
                   "--height", "120", "--fit-map") == 0
    assert Image.open(out).size == (90, 120)


@pytest.mark.parametrize("extra, fragment", [
    (["--view", "top"], "invalid choice"),
    (["--width", "0"], "--width 0"),
    (["--height", "-5"], "--height -5"),
    (["--width", "100000"], "--width 100000"),
    (["--width", "wide"], "invalid int"),
    (["--garment", ":M"], "--garment"),
])
def test_cli_bad_options_exit_2_with_one_line(tmp_path, body_glb, capsys, extra, fragment):
    code = run_cli("render", "--avatar", str(body_glb), "--out", str(tmp_path / "x.png"), *extra)
    err = capsys.readouterr().err.strip()
    assert code == 2 and fragment in err and err.startswith("error:") and "\n" not in err
    assert not (tmp_path / "x.png").exists()


def test_cli_unknown_garment_or_size_exit_2(tmp_path, body_glb, capsys):
    from garments.catalog import load_catalog

    some = load_catalog()[0]
    for spec, fragment in ((f"no-such-garment-{some.id}", "unknown garment"), (f"{some.id}:ZZZ", "no size")):
        code = run_cli("render", "--avatar", str(body_glb), "--garment", spec, "--out", str(tmp_path / "g.png"))
        err = capsys.readouterr().err.strip()
        assert code == 2 and fragment in err and "\n" not in err, err
    assert not (tmp_path / "g.png").exists()


def test_cli_drapes_garments_and_draws_the_fit_map(tmp_path, monkeypatch, capsys):
    """The command's garment wiring, with the drape replaced by a stand-in top stretched 50 %."""
    import sys
    import types

    from garments.catalog import load_catalog

    garment = next(g for g in load_catalog() if g.colours)
    calls = []

    def drape_outfit(avatar, chosen, progress=lambda f, m: None, cancelled=lambda: False):
        calls.append([(g.id, size) for g, size in chosen])
        layer = torso_garment(avatar, strain_value=0.5)
        return [types.SimpleNamespace(garment_id=g.id, size=size or g.size_names[0], vertices=layer.vertices,
                                      faces=layer.faces, strain=layer.strain, uv=None) for g, size in chosen]

    monkeypatch.setitem(sys.modules, "garments.outfit", types.SimpleNamespace(drape_outfit=drape_outfit))
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({"sex": "female", "measurements": {"stature": 168}}))
    size = garment.size_names[1]
    pictures = {}
    for fit_map in (False, True):
        out = tmp_path / f"fit{fit_map}.png"
        argv = ["render", "--measurements", str(profile), "--garment", f"{garment.id}:{size}", "--out", str(out),
                "--width", "150", "--height", "200"] + (["--fit-map"] if fit_map else [])
        assert run_cli(*argv) == 0, capsys.readouterr().err
        pictures[fit_map] = np.asarray(Image.open(out)).astype(int)
    assert calls == [[(garment.id, size)]] * 2
    plain, mapped = pictures[False], pictures[True]
    torso = (slice(70, 90), slice(70, 80))                           # the chest, centred in a 150x200 picture
    red = mapped[torso].mean(axis=(0, 1))
    assert red[0] > red[2] + 80                                      # stretched past the fabric's limit: red
    assert np.abs(plain[torso].mean(axis=(0, 1)) - red).sum() > 60   # the plain picture shows its colour
    legend = mapped[5:60, 100:150]
    assert (legend[..., 2] - legend[..., 0] > 100).any() and (legend[..., 0] - legend[..., 2] > 100).any()


def test_cli_other_body_files(tmp_path, capsys):
    """A mannequin in centimetres, Z up nowhere: drawn after unit detection; garments need our avatar."""
    import trimesh

    mannequin = trimesh.creation.capsule(height=130.0, radius=20.0)        # 170 cm tall along Z
    mannequin.apply_transform(trimesh.transformations.rotation_matrix(-np.pi / 2, (1, 0, 0)))  # Y up
    path = tmp_path / "mannequin.obj"
    mannequin.export(path)
    out = tmp_path / "m.png"
    assert run_cli("render", "--avatar", str(path), "--out", str(out), "--width", "60", "--height", "80") == 0
    image = np.asarray(Image.open(out))
    assert skin_mask(image).sum() > 200 and background_mask(image)[0, 0]
    code = run_cli("render", "--avatar", str(path), "--garment", "crew-tee", "--out", str(tmp_path / "g.png"))
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2 and err.startswith("error:") and not (tmp_path / "g.png").exists()
    flat = trimesh.creation.box((1.0, 0.01, 1.0))                           # 1 cm tall: not a standing body
    flat.export(tmp_path / "flat.obj")
    assert run_cli("render", "--avatar", str(tmp_path / "flat.obj"), "--out", str(tmp_path / "f.png")) == 2
    assert "not a standing body" in capsys.readouterr().err


def test_cli_bad_files_exit_2(tmp_path, body_glb, capsys):
    garbage = tmp_path / "body.glb"
    garbage.write_bytes(b"not a mesh at all" * 10)
    cases = [
        (["--avatar", str(garbage), "--out", str(tmp_path / "a.png")], "cannot be read"),
        (["--avatar", str(tmp_path / "none.glb"), "--out", str(tmp_path / "b.png")], "no such file"),
        (["--avatar", str(body_glb), "--out", str(tmp_path / "missing" / "c.png")], "does not exist"),
        (["--avatar", str(body_glb), "--out", str(tmp_path / "d.jpg")], ".png"),
        (["--measurements", str(tmp_path / "none.json"), "--out", str(tmp_path / "e.png")], "not found"),
        (["--avatar", str(body_glb)], "--out"),
    ]
    for argv, fragment in cases:
        code = run_cli("render", *argv)
        err = capsys.readouterr().err.strip()
        assert code == 2, argv
        assert fragment in err and err.startswith("error:") and "\n" not in err, (argv, err)
    assert not list(tmp_path.glob("*.png"))


def test_closing_one_renderer_leaves_the_others_working(renderer, content):
    other = SceneRenderer()
    other.render(content, OrbitCamera(), 32, 32, samples=FAST_SAMPLES)
    other.close()
    image = renderer.render(content, framed(content.bounds, W / H, "front", content.axis), W, H)
    assert skin_mask(image).sum() > 300


def test_studio_shader_looks_like_pyrenders_own(renderer, content):
    """Our lean shader stands in for pyrender's PBR one: the same body, about the same brightness."""
    camera = framed(content.bounds, W / H, "front", content.axis)
    ours = renderer.render(content, camera, W, H)
    pbr_renderer = SceneRenderer(studio_shader=False)
    try:
        theirs = pbr_renderer.render(content, camera, W, H)
    finally:
        pbr_renderer.close()
    a, b = skin_mask(ours), skin_mask(theirs)
    assert (a & b).sum() > 0.95 * max(a.sum(), b.sum())
    assert abs(ours[a & b].mean() - theirs[a & b].mean()) < 20


def test_warm_worker_compiles_before_the_first_request(content):
    with RenderWorker(warm=True) as worker:
        assert worker.running                                        # started without a request
        result = worker.render_sync(RenderRequest(content, framed(content.bounds, 0.75, "front", content.axis),
                                                  60, 80, fit_map=True), timeout=60)
        assert skin_mask(result.image).sum() > 100
        assert worker.uploads == 1                                   # the warm-up scene is not counted


def test_command_line_rendering_does_not_load_qt():
    import subprocess
    import sys

    code = ("import app.render, app.render.worker, app.commands.render, sys; "
            "print([m for m in sys.modules if m.startswith('PySide6')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
