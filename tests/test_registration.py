"""Registration: garments authored in a T-pose, an A-pose or legs apart, on another body, at any height."""

from pathlib import Path

import numpy as np
import pytest
import trimesh

from app.cli import main
from garments.catalog import rest_mesh
from garments.errors import GarmentImportError
from garments.import_options import ImportOptions
from garments.importers import import_garment
from garments.dress_form import body_clearance, body_form
from garments.placement import place_on_body
from garments.registration import register_garment
from tests.designer_shells import designer_garments

pytestmark = pytest.mark.body


@pytest.mark.parametrize("arm_deg", [90.0, 65.0, 45.0, 30.0])
def test_sleeves_authored_at_any_arm_angle_follow_the_arms(arm_deg):
    v, f = designer_garments().authored_garment("tee", arm_deg, None, lift_m=0.4)
    reg = register_garment(v, f, "top", "female", place_on_body=place_on_body)
    assert set(reg.arm_deg) == {"l", "r"}
    assert abs(reg.arm_deg["l"] - arm_deg) < 8.0, reg.arm_deg
    assert reg.anchor == "collar"
    form = body_form("female")
    # on the rest body the sleeves wrap the arms: a 2 cm shell made on the broader male body keeps 95 % of
    # its cloth within 7 cm of the skin (placed without registration, a T-pose's sleeves reach 16 cm off it)
    assert np.percentile(body_clearance(form, reg.vertices), 95) < 0.07
    collar = reg.vertices[np.abs(reg.vertices[:, 0]) < 0.06, 1].max()
    assert abs(collar - form.joints["neck"][1]) < 0.06


def test_pose_option_overrides_what_the_sleeves_say():
    v, f = designer_garments().authored_garment("tee", 45.0, None)
    assert register_garment(v, f, "top", "female", pose="t", place_on_body=place_on_body).arm_deg["l"] == 90.0
    assert register_garment(v, f, "top", "female", pose="t", place_on_body=place_on_body).pose == "t"
    assert register_garment(v, f, "top", "female", pose="a", place_on_body=place_on_body).pose == "a"


def test_legs_apart_trousers_are_brought_to_the_legs():
    v, f = designer_garments().authored_garment("trousers", None, 20.0, lift_m=-0.1)
    reg = register_garment(v, f, "trousers", "female", place_on_body=place_on_body)
    assert abs(reg.leg_deg["l"] - 20.0) < 5.0 and abs(reg.leg_deg["r"] - 20.0) < 5.0
    form = body_form("female")
    low = reg.vertices[reg.vertices[:, 1] < form.levels["knee"]]
    for sign, side in ((1.0, "l"), (-1.0, "r")):
        leg = low[sign * low[:, 0] > 0]
        knee = form.joints[f"knee_{side}"]
        # the shin's cloth sits round the rest shin, not 20 degrees out
        assert abs(np.median(leg[:, 0]) - (knee[0] + form.joints[f"ankle_{side}"][0]) / 2) < 0.06


def _skirt_obj(path: Path, waist_cm: float = 102.0, hem_cm: float = 45.0) -> Path:
    """A skirt in centimetres, Z up, its waistband at ``waist_cm`` above the file's origin."""
    around, down = 48, 12
    theta = np.linspace(0, 2 * np.pi, around, endpoint=False)
    rings = []
    for k, z in enumerate(np.linspace(waist_cm, hem_cm, down)):
        r = 14.0 + 12.0 * k / (down - 1)
        rings.append(np.stack([r * 1.15 * np.cos(theta), r * 0.9 * np.sin(theta), np.full(around, z)], axis=1))
    v = np.concatenate(rings)
    faces = []
    for k in range(down - 1):
        for i in range(around):
            a, b = k * around + i, k * around + (i + 1) % around
            faces += [[a, b, b + around], [a, b + around, a + around]]
    trimesh.Trimesh(v, np.array(faces), process=False).export(path)
    return path


@pytest.mark.parametrize("category", ["skirt", None])
def test_skirt_in_cm_z_up_lands_with_its_waistband_at_the_waist(tmp_path, category):
    g = import_garment(_skirt_obj(tmp_path / "skirt.obj"), ImportOptions(category=category, price=10))
    mesh = rest_mesh(g, g.size_names[0])
    form = body_form("female")
    assert g.category == "skirt"
    assert abs(mesh.vertices[:, 1].max() - form.levels["waist"]) < 0.04
    assert mesh.vertices[:, 1].min() < form.levels["crotch"] - 0.2  # the hem where the design puts it


def test_offset_option_moves_the_garment(tmp_path, capsys):
    src = _skirt_obj(tmp_path / "skirt.obj")
    assert main(["garment", "import", str(src), "--category", "skirt", "--units", "cm", "--up", "z",
                 "--offset-cm", "5", "--price", "10", "--json"]) == 0
    import json

    gid = json.loads(capsys.readouterr().out)["id"]
    from garments.catalog import get_garment

    top = rest_mesh(get_garment(gid), "M").vertices[:, 1].max()
    assert abs(top - (body_form("female").levels["waist"] - 0.02 + 0.05)) < 0.01


def _box(path: Path, size) -> Path:
    trimesh.creation.box(extents=size).export(path)
    return path


def _hat(path: Path) -> Path:
    dome = trimesh.creation.icosphere(subdivisions=3, radius=0.1)
    keep = dome.vertices[dome.faces][:, :, 1].min(axis=1) > -0.02  # the upper half: a crown open below
    trimesh.Trimesh(dome.vertices, dome.faces[keep], process=False).export(path)
    return path


@pytest.mark.parametrize("make,word", [(lambda p: _box(p / "shoe.obj", (0.1, 0.12, 0.28)), "shoe"),
                                       (lambda p: _hat(p / "hat.obj"), "hat")])
def test_a_shoe_or_a_hat_cannot_be_registered(tmp_path, capsys, make, word):
    path = make(tmp_path)
    assert main(["garment", "import", str(path), "--price", "10"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "cannot be registered" in err[0] and word in err[0]
    with pytest.raises(GarmentImportError):
        import_garment(path, ImportOptions(units="m", up="y", price=10))
