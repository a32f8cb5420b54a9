"""Designer import: every format round-trips, units and up axis are detected, broken files exit 2."""

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import trimesh

from app.cli import main
from garments import catalog
from garments.import_options import ImportOptions
from garments.importers import import_garment

pytestmark = pytest.mark.body
DATA = Path(__file__).parent / "data" / "garments"


def _skirt_m_yup() -> trimesh.Trimesh:
    """The skirt fixture converted to metres, Y up, facing +Z."""
    v, f = _read_obj(DATA / "skirt_cm_zup.obj")
    v = np.stack([v[:, 0], v[:, 2], -v[:, 1]], axis=1) * 0.01
    return trimesh.Trimesh(v, f, process=False)


def _read_obj(path):
    vs = [line.split()[1:4] for line in path.read_text().splitlines() if line.startswith("v ")]
    fs = [line.split()[1:4] for line in path.read_text().splitlines() if line.startswith("f ")]
    return np.asarray(vs, float), np.asarray(fs, int) - 1


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_obj_cm_zup_via_cli_and_list(capsys):
    src = DATA / "skirt_cm_zup.obj"
    before = _digest(src)
    code, out, err = _run(capsys, "garment", "import", "--price", "10", str(src), "--name", "Tiny skirt", "--category", "skirt",
                          "--size", "S", "--sku", "TS-1", "--price", "12.5", "--json")
    assert code == 0, err
    entry = json.loads(out)
    assert entry["name"] == "Tiny skirt" and entry["category"] == "skirt" and entry["sizes"] == ["S"]
    assert entry["price"] == 12.5 and entry["source"] == "user" and entry["skus"] == {"S": "TS-1"}
    assert _digest(src) == before  # the designer's file is untouched
    code, out, _ = _run(capsys, "garment", "list", "--json")
    listed = {g["id"]: g for g in json.loads(out)}
    assert entry["id"] in listed and "crew-tee" in listed
    assert set(listed["crew-tee"]) >= {"id", "name", "category", "sizes", "price", "currency", "colours", "layer",
                                       "stretch", "source"}
    m = catalog.rest_mesh(catalog.get_garment(entry["id"]))
    assert 0.55 < np.ptp(m.vertices[:, 1]) < 0.65  # 60 cm, read as centimetres
    code, out, _ = _run(capsys, "garment", "show", entry["id"], "--json")
    assert code == 0 and json.loads(out)["id"] == entry["id"]
    assert _run(capsys, "garment", "remove", entry["id"])[0] == 0
    assert _run(capsys, "garment", "remove", "crew-tee")[0] == 2


@pytest.mark.parametrize("ext", [".glb", ".ply", ".stl", ".obj"])
def test_each_format_is_placed_like_the_metre_y_up_original(tmp_path, ext):
    ref = import_garment(DATA / "skirt_cm_zup.obj", ImportOptions(category="skirt", price=10))
    ref_v = catalog.rest_mesh(ref).vertices
    mesh = _skirt_m_yup()
    if ext in (".ply", ".stl"):  # millimetres, Z up: the other unit and axis convention
        v = mesh.vertices
        mesh = trimesh.Trimesh(np.stack([v[:, 0], -v[:, 2], v[:, 1]], axis=1) * 1000.0, mesh.faces, process=False)
    path = tmp_path / f"skirt{ext}"
    mesh.export(path)
    g = import_garment(path, ImportOptions(category="skirt", price=10))
    v = catalog.rest_mesh(g).vertices
    assert np.allclose(np.sort(v[:, 1])[[0, -1]], np.sort(ref_v[:, 1])[[0, -1]], atol=0.005)
    assert np.allclose(v.min(axis=0), ref_v.min(axis=0), atol=0.01)
    assert np.allclose(v.max(axis=0), ref_v.max(axis=0), atol=0.01)


def test_mhclo_binds_to_the_waist(capsys):
    from garments.dress_form import body_form

    src = DATA / "test_belt.mhclo"
    before = _digest(src), _digest(DATA / "test_belt.obj")
    code, out, err = _run(capsys, "garment", "import", "--price", "10", str(src), "--category", "other", "--json")
    assert code == 0, err
    g = catalog.get_garment(json.loads(out)["id"])
    m = catalog.rest_mesh(g)
    assert m.binding is not None and m.binding.indices.shape == (len(m.vertices), 3)
    form = body_form("female")
    assert abs(m.vertices[:, 1].mean() - form.levels["waist"]) < 0.03
    assert np.allclose(m.binding.apply(form.vertices), m.vertices, atol=1e-6)
    # 2 cm off the skin all round
    from garments.dress_form import body_clearance

    assert 0.01 < np.median(body_clearance(form, m.vertices)) < 0.03
    assert (_digest(src), _digest(DATA / "test_belt.obj")) == before


BROKEN = {
    "empty.obj": b"",
    "comments.obj": b"# nothing here\n",
    "points.obj": b"v 0 0 0\nv 1 0 0\nv 0 1 0\n",
    "nan.obj": b"v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n",
    "line.obj": b"v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\n",
    "garbage.glb": b"glTF\x02\x00\x00\x00garbage-not-a-real-binary",
    "garbage.stl": b"solid x\nfacet normal nan\nendsolid\n",
    "huge.obj": b"v 0 0 0\nv 1000 0 0\nv 0 1000 0\nv 0 0 1000\nf 1 2 3\nf 1 3 4\n",
    "coat.xyz": b"1 2 3\n",
    "badindex.obj": b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n",
    "garbage.obj": bytes(range(256)) * 8,
    "missing_vertex.obj": b"v 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\nf 1 2 3\nf 2 4 3\nf 1 2 9\n",
    "far.obj": b"v 0 0 0\nv 1e30 0 0\nv 0 1e30 0\nf 1 2 3\n",
    "truncated.stl": b"\x00" * 80 + b"\x10\x00\x00\x00" + b"\x00" * 30,
    "header.ply": b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nend_header\n1\n",
    "bad.gltf": b'{"asset": {"version": "2.0"}, "meshes": [{"primitives": [{"attributes": {"POSITION": 7}}]}]}',
    "lines.obj": b"v 0 0 0\nv 1 0 0\nv 0 1 0\nl 1 2 3\n",
    "UPPER.OBJ": b"v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_exit_2_with_one_line(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(BROKEN[name])
    code, out, err = _run(capsys, "garment", "import", "--price", "10", str(path), "--json")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err
    assert "; " in lines[0]  # the problem, then the fix
    assert not re.search(r"\b[A-Z][A-Za-z]*(Error|Exception)\b", lines[0]), lines[0]  # no Python class names
    assert path.read_bytes() == BROKEN[name]
    assert not any(catalog.user_catalog_dir().glob("*/garment.json")) if catalog.user_catalog_dir().exists() else True


def test_missing_file_and_broken_mhclo(tmp_path, capsys):
    assert _run(capsys, "garment", "import", "--price", "10", str(tmp_path / "nope.obj"))[0] == 2
    bad = tmp_path / "bad.mhclo"
    bad.write_text("name bad\nobj_file bad.obj\nverts 0\n1 2 3 0.5\n")
    (tmp_path / "bad.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(bad))
    assert code == 2 and len(err.strip().splitlines()) == 1
    lone = tmp_path / "lone.mhclo"
    lone.write_text("name lone\nverts 0\n5 6 7 0.3 0.3 0.4 0 0 0\n")
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(lone))
    assert code == 2 and "missing" in err


def test_far_too_many_vertices_is_refused(tmp_path, capsys, monkeypatch):
    import garments.garment_files as imp

    monkeypatch.setattr(imp, "MAX_IMPORT_VERTICES", 100)
    path = tmp_path / "dense.obj"
    _skirt_m_yup().export(path)
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(path))
    assert code == 2 and "vertices" in err


def test_dense_meshes_are_decimated(tmp_path, monkeypatch):
    import garments.mesh_repair as imp

    monkeypatch.setattr(imp, "DECIMATE_ABOVE_VERTICES", 100)
    monkeypatch.setattr(imp, "DECIMATE_TARGET_VERTICES", 80)
    mesh = _skirt_m_yup().subdivide()
    path = tmp_path / "dense.ply"
    mesh.export(path)
    g = import_garment(path, ImportOptions(category="skirt", price=10))
    assert len(catalog.rest_mesh(g).vertices) < len(mesh.vertices)


def test_slow_parse_is_stopped(tmp_path, capsys, monkeypatch):
    import threading

    import garments.garment_files as imp

    release = threading.Event()
    monkeypatch.setitem(imp.LOADERS, ".obj", lambda path: release.wait(30))
    monkeypatch.setattr(imp, "IMPORT_TIME_LIMIT_S", 0.2)
    monkeypatch.setattr(imp.read_garment_file, "__defaults__", (0.2,))
    path = tmp_path / "slow.obj"
    path.write_text("v 0 0 0\n")
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(path))
    release.set()
    assert code == 2 and "longer than" in err


def test_oversized_file_is_refused_before_reading(tmp_path, capsys, monkeypatch):
    import garments.garment_files as imp

    monkeypatch.setattr(imp, "MAX_IMPORT_BYTES", 10)
    path = tmp_path / "big.obj"
    path.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(path))
    assert code == 2 and "limit" in err


def test_mhclo_binding_to_dropped_helper_vertices(tmp_path, body_model):
    """MakeHuman clothes often bind to helper geometry our model dropped: they still land on the body."""
    lookup = body_model.hm08_to_model()
    dropped = np.flatnonzero(lookup < 0)
    assert len(dropped) > 0
    text = (DATA / "test_belt.mhclo").read_text().splitlines()
    start = text.index("verts 0") + 1
    words = text[start].split()
    words[0] = str(dropped[len(dropped) // 2])
    text[start] = " ".join(words)
    (tmp_path / "test_belt.mhclo").write_text("\n".join(text) + "\n")
    (tmp_path / "test_belt.obj").write_bytes((DATA / "test_belt.obj").read_bytes())
    g = import_garment(tmp_path / "test_belt.mhclo", ImportOptions(price=10))
    m = catalog.rest_mesh(g)
    assert np.isfinite(m.vertices).all() and (m.binding.indices >= 0).all()
    assert np.linalg.norm(m.vertices[0] - m.vertices[1]) < 0.5  # the rebound vertex stays on the body


def test_scene_exported_with_its_avatar_keeps_only_the_garment(tmp_path):
    from avatar.avatar import reference_avatar

    skirt = _skirt_m_yup()
    scene = trimesh.Scene()
    scene.add_geometry(reference_avatar("female").mesh, node_name="Body", geom_name="Body")
    scene.add_geometry(skirt, node_name="skirt", geom_name="skirt")
    path = tmp_path / "outfit.glb"
    path.write_bytes(scene.export(file_type="glb"))
    g = import_garment(path, ImportOptions(category="skirt", price=10))
    assert len(catalog.rest_mesh(g).vertices) == len(skirt.vertices)


def test_vertex_limit_is_checked_before_parsing(tmp_path, capsys, monkeypatch):
    import garments.garment_files as imp

    monkeypatch.setattr(imp, "MAX_IMPORT_VERTICES", 1000)
    header = "ply\nformat binary_little_endian 1.0\nelement vertex 5000000\nproperty float x\nend_header\n"
    path = tmp_path / "scan.ply"
    path.write_bytes(header.encode() + b"\x00" * 64)

    def never(path):
        raise AssertionError("parsed a file that should have been refused from its header")

    monkeypatch.setitem(imp.LOADERS, ".ply", never)
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(path))
    assert code == 2 and "5,000,000" in err


def test_textured_garment_keeps_its_uv_and_texture(tmp_path):
    from PIL import Image

    mesh = _skirt_m_yup()
    uv = np.column_stack([np.linspace(0, 1, len(mesh.vertices)), np.linspace(1, 0, len(mesh.vertices))])
    image = Image.new("RGB", (8, 8), (200, 30, 40))
    mesh.visual = trimesh.visual.TextureVisuals(uv=uv, image=image)
    path = tmp_path / "printed.glb"
    mesh.export(path)
    g = import_garment(path, ImportOptions(category="skirt", price=10))
    assert g.texture == "texture.png" and (g.folder / "texture.png").is_file()
    m = catalog.rest_mesh(g)
    assert m.uv is not None and m.uv.shape == (len(m.vertices), 2)
    tex = Image.open(g.folder / "texture.png")
    assert tex.getpixel((4, 4)) == (200, 30, 40)


def test_unreadable_file_is_one_line(tmp_path, capsys):
    import os

    path = tmp_path / "locked.obj"
    path.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    os.chmod(path, 0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not apply
            pytest.skip("file permissions are not enforced for this user")
        code, _, err = _run(capsys, "garment", "import", "--price", "10", str(path))
        assert code == 2 and len(err.strip().splitlines()) == 1
    finally:
        os.chmod(path, 0o644)


@pytest.mark.parametrize("gid,expected", [("slim-chino", "trousers"), ("studio-leggings", "leggings"),
                                          ("a-line-skirt", "skirt"), ("shift-dress", "dress")])
def test_garment_from_another_body_frame_is_placed_and_recognised(tmp_path, gid, expected):
    """A garment exported in centimetres around a pelvis at the origin (as for other body models),
    with no category given, lands where it was designed and gets the right category."""
    source = catalog.get_garment(gid)
    rest = catalog.rest_mesh(source)
    path = tmp_path / f"{gid}.obj"
    trimesh.Trimesh(rest.vertices * 100 - [0, 95, 0], rest.faces, process=False).export(path)
    g = import_garment(path, ImportOptions(fits=source.fits, price=10))
    assert g.category == expected
    v = catalog.rest_mesh(g).vertices
    assert abs(v[:, 1].max() - rest.vertices[:, 1].max()) < 0.04
    assert abs(np.median(v[:, 2]) - np.median(rest.vertices[:, 2])) < 0.03


def test_cancelled_import_writes_nothing():
    from avatar.errors import Cancelled

    with pytest.raises(Cancelled):
        import_garment(DATA / "skirt_cm_zup.obj", ImportOptions(category="skirt", price=10), cancelled=lambda: True)
    root = catalog.user_catalog_dir()
    assert not root.exists() or not any(root.iterdir())


def test_zipped_makehuman_garment_and_category_alias(tmp_path, capsys):
    import zipfile

    path = tmp_path / "belt.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.write(DATA / "test_belt.mhclo", "test_belt/test_belt.mhclo")
        z.write(DATA / "test_belt.obj", "test_belt/test_belt.obj")
    g = import_garment(path, ImportOptions(category="Jeans", price=10))
    assert g.category == "trousers" and g.binding == "binding.npz"
    other = tmp_path / "notes.zip"
    with zipfile.ZipFile(other, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "no garment here")
    code, _, err = _run(capsys, "garment", "import", "--price", "10", str(other))
    assert code == 2 and "holds no garment" in err


@pytest.mark.parametrize("name,message", [
    ("badindex.obj", "has faces that use missing vertices; repair the mesh"),
    ("missing_vertex.obj", "has faces that use missing vertices; repair the mesh"),
    ("garbage.obj", "is not a readable OBJ file"),
])
def test_import_errors_name_the_problem(tmp_path, capsys, name, message):
    path = tmp_path / name
    path.write_bytes(BROKEN[name])
    code, _, err = _run(capsys, "garment", "import", str(path), "--price", "10")
    assert code == 2 and message in err, err


def test_price_and_currency_are_checked_and_stored_in_cents(tmp_path, capsys):
    src = tmp_path / "tee_m.obj"
    _skirt_m_yup().export(src)
    code, _, err = _run(capsys, "garment", "import", str(src), "--category", "skirt", "--price", "12.345")
    assert code == 2 and "more than 2 decimals" in err and len(err.strip().splitlines()) == 1
    for bad in ("us", "US$", "123"):
        code, _, err = _run(capsys, "garment", "import", str(src), "--price", "12", "--currency", bad)
        assert code == 2 and "ISO 4217" in err, err
    assert not catalog.user_catalog_dir().exists() or not any(catalog.user_catalog_dir().iterdir())
    code, out, err = _run(capsys, "garment", "import", str(src), "--category", "skirt", "--price", "12.35",
                          "--currency", "usd", "--json")
    assert code == 0, err
    entry = json.loads(out)
    assert entry["price"] == 12.35 and entry["currency"] == "USD"
    stored = json.loads((catalog.user_catalog_dir() / entry["id"] / "garment.json").read_text())
    assert stored["price"] == 12.35 and stored["currency"] == "USD"



def test_an_unpriced_import_can_be_tried_on_but_not_ordered(tmp_path, capsys):
    from app.orders.cart import parse_cart
    from app.orders.errors import OrderError
    from app.orders.pricing import build_order

    src = tmp_path / "tee_m.obj"
    _skirt_m_yup().export(src)
    code, out, err = _run(capsys, "garment", "import", str(src), "--category", "skirt", "--json")
    assert code == 0, err
    entry = json.loads(out)
    assert entry["price"] is None
    code, out, _ = _run(capsys, "garment", "list")
    assert "not priced" in out
    cart = parse_cart({"items": [{"garment": entry["id"], "size": entry["sizes"][0], "quantity": 1}]})
    with pytest.raises(OrderError, match="has no price yet"):
        build_order(cart, catalog_lookup=catalog.get_garment)


def test_stored_prices_are_read_in_cents_half_up_like_orders(tmp_path):
    from app.orders.model import money

    src = tmp_path / "tee_m.obj"
    _skirt_m_yup().export(src)
    g = import_garment(src, ImportOptions(category="skirt", price="12.30"))
    path = g.folder / "garment.json"
    data = json.loads(path.read_text())
    data.update(price=12.345, currency="usd")  # an entry written by hand or by an older version
    path.write_text(json.dumps(data))
    again = catalog.get_garment(g.id)
    assert again.price == 12.35 == float(money(12.345)) and again.currency == "USD"


def test_json_output_into_a_closed_pipe_is_quiet():
    # the reader has gone before the command writes, as with `| head -5` on a long output
    proc = subprocess.Popen([sys.executable, "-m", "app", "garment", "list", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and err == "", err
