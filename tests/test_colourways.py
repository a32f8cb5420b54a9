"""Colourways of a printed garment: the print tinted to a swatch or swapped for the designer's file, through
import, the try-on's scene change, the render and the GLB scene; bad colourway files refused in one line."""

import json
from dataclasses import replace

import numpy as np
import pytest
import trimesh
from PIL import Image

from app.cli import main
from garments.catalog import Colour, entry_json, get_garment, read_entry
from garments.catalog_entry import EntryShapeError, check_entry
from garments.textures import colourway_print, garment_texture, tint_print
from tests.check_print import check_print, export_check_tee

NAVY = "#1F2952"
W, H = 320, 480


def _stripes(path, bands: int = 16, px: int = 256):
    """A red and cream stripe print, another fabric than the check."""
    k = (np.arange(px) * bands // px) % 2
    red = np.broadcast_to(k[None, :].astype(bool), (px, px))
    image = np.where(red[..., None], np.array([200, 30, 30], np.uint8), np.array([250, 240, 200], np.uint8))
    Image.fromarray(image.astype(np.uint8)).save(path)
    return path


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _import(tmp_path, capsys, *colours):
    args = [a for c in colours for a in ("--colour", c)]
    code, out, err = _run(capsys, "garment", "import", str(export_check_tee(tmp_path, ".glb")), "--category", "top",
                          "--price", "10", "--json", *args)
    assert code == 0, err
    return get_garment(json.loads(out)["id"])


def test_tint_keeps_the_prints_light_and_dark_and_averages_to_the_swatch():
    from avatar.colour import srgb_to_linear

    grey = np.asarray(check_print()) // 2 + 40  # a mid-grey check: nothing is clipped at white
    navy = (0.12, 0.16, 0.32)
    tinted = tint_print(grey, navy)
    lin_in, lin_out = srgb_to_linear(grey / 255.0), srgb_to_linear(tinted / 255.0)
    assert np.allclose(lin_out.reshape(-1, 3).mean(0), srgb_to_linear(navy), atol=0.004)
    light, dark = grey[..., 0] > 100, grey[..., 0] < 100
    ratio_in = lin_in[light].mean() / lin_in[dark].mean()
    ratio_out = lin_out[light].mean(0) / lin_out[dark].mean(0)
    assert np.allclose(ratio_out, ratio_in, rtol=0.05), (ratio_in, ratio_out)  # every channel keeps the contrast
    assert (tint_print(np.zeros((4, 4, 3), np.uint8), navy) == np.round(np.asarray(navy) * 255)).all()


def test_import_declares_tint_and_swap_colourways(tmp_path, capsys):
    stripes = _stripes(tmp_path / "stripes.png")
    g = _import(tmp_path, capsys, f"navy={NAVY}", f"red stripes={stripes}", f"cream=#F0EAD0,{stripes}")
    assert [c.name for c in g.colours] == ["as designed", "navy", "red stripes", "cream"]
    data = json.loads((g.folder / "garment.json").read_text())
    assert data["colours"][0] == {"name": "as designed", "rgb": [1.0, 1.0, 1.0]}  # as before: no new fields
    assert data["colours"][1] == {"name": "navy", "rgb": [0.1216, 0.1608, 0.3216], "tint": True}
    assert data["colours"][2]["texture"] == "colour-2.png" and data["colours"][3]["rgb"] == [0.9412, 0.9176, 0.8157]
    swapped = np.asarray(Image.open(stripes).convert("RGB"))
    factor, texture = colourway_print(g, "red stripes")
    assert factor == (1.0, 1.0, 1.0) and np.array_equal(texture, swapped)
    factor, texture = colourway_print(g, "navy")
    assert factor == (1.0, 1.0, 1.0) and np.array_equal(texture, tint_print(garment_texture(g), g.colours[1].rgb))
    factor, texture = colourway_print(g, "as designed")
    assert factor == (1.0, 1.0, 1.0) and texture is garment_texture(g)
    code, out, _ = _run(capsys, "garment", "show", g.id)
    assert code == 0 and "as designed, navy, red stripes, cream" in out


@pytest.mark.parametrize("colour, says", [
    ("x=missing.png", "print file missing.png does not exist"),
    ("x=bad.png", "bad.png is not an image file"),
    ("x=cut.png", "cut.png is damaged"),
    ("x=#12345", "'#12345' is not a #RRGGBB colour"),
    ("x", "is not one of NAME=#RRGGBB"),
    ("as designed=#FFFFFF", "is given twice"),
])
def test_a_bad_colourway_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch, colour, says):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.png").write_bytes(b"not an image at all")
    _stripes(tmp_path / "whole.png")
    (tmp_path / "cut.png").write_bytes((tmp_path / "whole.png").read_bytes()[:300])
    code, out, err = _run(capsys, "garment", "import", str(export_check_tee(tmp_path, ".glb")), "--colour", colour)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: ") and says in err, err
    assert "colour" in err or "--colour" in err
    assert _run(capsys, "garment", "list", "--json")[1].count('"user"') == 0


def test_a_print_for_a_garment_without_uvs_is_refused(tmp_path, capsys):
    from pathlib import Path

    skirt = Path(__file__).resolve().parent / "data" / "garments" / "skirt_cm_zup.obj"
    code, _, err = _run(capsys, "garment", "import", str(skirt), "--colour", f"x={_stripes(tmp_path / 's.png')}")
    assert code == 2 and "has no texture coordinates" in err and err.count("\n") == 1
    code, out, err = _run(capsys, "garment", "import", str(skirt), "--colour", f"navy={NAVY}", "--json")
    assert code == 0 and json.loads(out)["colours"][1] == {"name": "navy", "rgb": [0.1216, 0.1608, 0.3216]}


def test_older_entries_keep_their_colours_exactly(tmp_path):
    from garments.catalog import BUILTIN_DIR

    folder = BUILTIN_DIR / "crew-tee"
    data = json.loads((folder / "garment.json").read_text())
    assert entry_json(read_entry(folder, "builtin"))["colours"] == data["colours"]
    for bad in ({"texture": "../x.png"}, {"tint": "yes"}):
        broken = dict(data, colours=[dict(data["colours"][0], **bad)])
        with pytest.raises(EntryShapeError, match="colours\\[1\\]"):
            check_entry(broken)


def _garment_pixels(renderer, avatar, result, look) -> tuple[np.ndarray, np.ndarray]:
    """The garment's pixels in a front render with ``look`` ((K, 3) uint8) and the same pixels of the garment
    in flat white, so shading divides out (the pixels are those a red and a blue garment differ in)."""
    from app.render import SceneContent, framed, garment_from_drape

    def render(**kw):
        content = SceneContent.from_avatar(avatar, (garment_from_drape(result, **kw),))
        return renderer.render(content, framed(content.bounds, W / H, "front", content.axis), W, H).astype(float)

    mask = np.abs(render(colour=(1, 0, 0)) - render(colour=(0, 0, 1))).sum(axis=2) > 100
    return render(**look)[mask], render(colour=(1, 1, 1))[mask]


@pytest.mark.body
@pytest.mark.gl
def test_both_colourways_show_the_print_in_the_render(tmp_path, capsys):
    from app.render import SceneRenderer
    from app.render.content import garment_look
    from avatar.avatar import reference_avatar
    from garments.outfit import drape_garment

    g = _import(tmp_path, capsys, f"navy={NAVY}", f"red stripes={_stripes(tmp_path / 'stripes.png')}")
    g = replace(g, colours=g.colours + (Colour("navy multiplied", g.colours[1].rgb),))  # an entry without tint
    avatar = reference_avatar("female")
    result = drape_garment(avatar, g, "M")
    renderer = SceneRenderer()
    try:
        seen = {name: _garment_pixels(renderer, avatar, result, garment_look(g, result.uv, name))
                for name in ("as designed", "navy", "navy multiplied", "red stripes")}
    finally:
        renderer.close()
    lum = np.array([0.2126, 0.7152, 0.0722])
    contrast = {}
    for name, (pixels, white) in seen.items():
        relative = (pixels @ lum) / np.maximum(white @ lum, 1.0)  # the print as lit, shading divided out
        low, high = np.percentile(relative, [10, 90])
        contrast[name] = high / max(low, 1e-3)
    assert contrast["as designed"] > 5 and contrast["navy"] > 5, contrast  # the check survives the tint
    navy = seen["navy"][0].mean(axis=0)
    assert navy[2] > navy[0] + 20 and navy[2] > navy[1] + 20, navy  # and it is navy
    assert navy.mean() > 1.2 * seen["navy multiplied"][0].mean(), navy  # tinted to the swatch, not darkened by it
    stripes = seen["red stripes"][0]
    red = (stripes[:, 0] > stripes[:, 2] + 60)
    assert 0.2 < red.mean() < 0.8, red.mean()  # red and cream stripes, not the check
    assert np.abs(stripes[:, 0] - stripes[:, 1]).mean() > 30  # coloured, unlike the black-and-white check


@pytest.mark.body
def test_glb_scene_carries_the_colourways_print(tmp_path, capsys):
    g = _import(tmp_path, capsys, f"navy={NAVY}", f"red stripes={_stripes(tmp_path / 'stripes.png')}")
    (tmp_path / "anna.json").write_text(json.dumps({"name": "A", "sex": "female", "measurements": {"stature": 165}}))
    for colour in ("navy", "red stripes"):
        out = tmp_path / f"{colour}.glb"
        code, _, err = _run(capsys, "drape", "--measurements", str(tmp_path / "anna.json"), "--garment",
                            f"{g.id}:M@{colour.upper()}", "--out", str(out))
        assert code == 0, err
        mesh = trimesh.load(out, process=False).geometry[g.id]
        image = np.asarray(mesh.visual.material.baseColorTexture.convert("RGB"))
        assert np.array_equal(image, colourway_print(g, colour)[1]), colour
        assert mesh.visual.uv.shape == (len(mesh.vertices), 2)
    code, _, err = _run(capsys, "drape", "--measurements", str(tmp_path / "anna.json"), "--garment",
                        f"{g.id}@pink", "--out", str(tmp_path / "x.glb"))
    assert code == 2 and "has no colour 'pink'; choose one of as designed, navy, red stripes" in err


@pytest.mark.body
def test_a_colourway_change_is_a_scene_change_with_the_new_print(tmp_path, capsys, monkeypatch):
    import garments.outfit as outfit
    from app.controller.tryon import TryOnController
    from app.gui.session import Session
    from avatar.avatar import reference_avatar
    from tests.test_controller import QueueRunner

    g = _import(tmp_path, capsys, f"navy={NAVY}", f"red stripes={_stripes(tmp_path / 'stripes.png')}")
    drapes, real = [], outfit.drape_garment
    monkeypatch.setattr(outfit, "drape_garment", lambda *a, **kw: drapes.append(a[2]) or real(*a, **kw))
    import garments.textures as textures

    tints, real_tint = [], textures.tint_print
    monkeypatch.setattr(textures, "_TINTED", {})
    monkeypatch.setattr(textures, "tint_print", lambda *a: tints.append(a[1]) or real_tint(*a))
    session, runner = Session(), QueueRunner()
    controller = TryOnController(session, runner)
    controller.motion_ahead_poses = ()
    shown = []
    controller.scene_changed.connect(shown.append)
    controller.garments = {g.id: g}
    session.set_avatar(reference_avatar("female"))
    controller.try_on(g.id)
    runner.drain()
    assert len(tints) == 1  # the navy print, tinted in the drape's task
    first = shown[-1].garments[0]
    assert np.array_equal(first.texture, garment_texture(g)) and first.colour == (1.0, 1.0, 1.0)
    for name in ("navy", "red stripes", "as designed"):
        before = len(drapes)
        session.set_colour(g.id, name)
        assert runner.queue == [] and len(drapes) == before, name  # no drape, nothing queued
        assert len(tints) == 1, name  # the colour change only looks the tinted print up
        layer = shown[-1].garments[0]
        factor, texture = colourway_print(g, name)
        assert layer.texture is texture and layer.colour == factor and layer.vertices is first.vertices
    assert np.array_equal(shown[-1].garments[0].texture, first.texture)


def test_colourway_list_splits_checks_and_reads_prints_beside_the_garment(tmp_path):
    from garments.colourways import colourway_list
    from garments.errors import GarmentImportError

    assert colourway_list("navy=#1F2A44; sand=#D8C3A5,sand.png\n", tmp_path) == (
        "navy=#1F2A44", f"sand=#D8C3A5,{tmp_path / 'sand.png'}")
    assert colourway_list(" ;  ") == ()
    with pytest.raises(GarmentImportError, match="#RRGGBB"):
        colourway_list("navy=#1F2A44; red=#F00")
