"""Size sets: one mesh per size from a folder or zip, or one base mesh graded to a size chart."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import trimesh

from app.cli import main
from garments import catalog
from garments.errors import GarmentImportError
from garments.constants import CATALOG_SCHEMA_VERSION
from garments.finished import finished_zones, measure_zones, rest_torso
from garments.size_chart import parse_size_chart

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "garments"
# A chart as a designer's spreadsheet exports it: inches declared in the header.
CHART_IN = "Size,Chest (in),Waist (in),Length (in)\nS,39.0,39.5,24.5\nM,41.5,42.0,25.25\nL,44.0,44.5,26.0\n"


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _tee(size: str) -> trimesh.Trimesh:
    return trimesh.load(ASSETS / "crew-tee" / f"{size}.glb", force="mesh", process=False)


def _export_cm_zup_obj(mesh: trimesh.Trimesh, path: Path) -> None:
    """The mesh as a Z-up tool in centimetres writes it (trimesh's OBJ exporter)."""
    v = np.asarray(mesh.vertices) * 100.0
    out = trimesh.Trimesh(np.column_stack([v[:, 0], -v[:, 2], v[:, 1]]), mesh.faces, process=False)
    path.write_text(out.export(file_type="obj"))


@pytest.mark.body
def test_base_mesh_graded_to_an_inch_chart_matches_it_within_5_mm(tmp_path, capsys):
    chart = tmp_path / "chart.csv"
    chart.write_text(CHART_IN)
    base = tmp_path / "tee.glb"
    _tee("M").export(base)
    code, out, err = _run(capsys, "garment", "import", base, "--size-chart", chart, "--category", "top",
                          "--name", "Graded tee", "--json")
    assert code == 0, err
    entry = json.loads(out)
    assert entry["sizes"] == ["S", "M", "L"]
    g = catalog.get_garment(entry["id"])
    rows = parse_size_chart(CHART_IN).rows
    for s in g.sizes:
        assert s.chart and s.finished["chest"] == rows[s.name]["chest"]
        v, f, torso = rest_torso(g, s.name)
        tape = measure_zones(v, f, torso, g.reference_sex)  # the tape on the graded mesh
        for zone in ("chest", "waist"):
            assert abs(tape[zone].girth_cm - rows[s.name][zone]) <= 0.5, (s.name, zone)
            assert finished_zones(g, s.name)[zone].girth_cm == round(rows[s.name][zone], 1)  # what fit advice reads
        top = v[torso, 1].max()
        assert abs((top - v[torso, 1].min()) * 100 - rows[s.name]["length"]) <= 0.5
    data = json.loads((g.folder / "garment.json").read_text())
    assert data["schema_version"] == CATALOG_SCHEMA_VERSION and [p.name for p in g.folder.glob("*.glb")] == ["mesh.glb"]
    code, out, _ = _run(capsys, "garment", "show", g.id)
    assert code == 0
    for name in ("S", "M", "L"):
        line = next(ln for ln in out.splitlines() if ln.split()[:1] == [name])
        assert f"chest {rows[name]['chest']:g} cm" in line and "size chart" in line


@pytest.mark.body
def test_folder_of_size_meshes_in_cm_z_up(tmp_path, capsys):
    folder = tmp_path / "tee sizes"
    folder.mkdir()
    for size in ("S", "M", "L"):
        _export_cm_zup_obj(_tee(size), folder / f"tee_{size}.obj")
    (folder / "notes.txt").write_text("size set")
    code, out, err = _run(capsys, "garment", "import", folder, "--category", "top", "--json")
    assert code == 0, err
    g = catalog.get_garment(json.loads(out)["id"])
    assert g.size_names == ["S", "M", "L"] and [s.mesh for s in g.sizes] == ["S.glb", "M.glb", "L.glb"]
    builtin = catalog.get_garment("crew-tee")
    for s in g.sizes:  # every size placed as the base size was: the built-in's own measurements
        assert abs(s.finished["chest"] - builtin.size(s.name).finished["chest"]) <= 0.5
    m_vertices = catalog.rest_mesh(g, "M").vertices
    assert np.abs(m_vertices - catalog.rest_mesh(builtin, "M").vertices).max() < 0.03


@pytest.mark.body
def test_zip_of_sizes_named_on_the_command_line(tmp_path, capsys):
    archive = tmp_path / "tee.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for size, label in (("S", "small"), ("L", "large")):
            z.writestr(f"tee/tee-{label}.glb", _tee(size).export(file_type="glb"))
    code, _, err = _run(capsys, "garment", "import", archive, "--sizes", "small,medium")
    assert code == 2 and err.strip().count("\n") == 0 and "no mesh for size medium" in err
    code, out, err = _run(capsys, "garment", "import", archive, "--sizes", "small,large", "--size", "large",
                          "--category", "top", "--json")
    assert code == 0, err
    g = catalog.get_garment(json.loads(out)["id"])
    assert g.size_names == ["small", "large"]
    assert g.size("small").finished["chest"] < g.size("large").finished["chest"]


def test_chart_units_are_declared_or_detected():
    inch = parse_size_chart("size,chest,waist\nM,41,35\n")
    assert inch.unit == "in" and inch.rows["M"] == {"chest": 104.14, "waist": 88.9}
    cm = parse_size_chart("size;chest;hip\n38;92,5;98\n")
    assert cm.unit == "cm" and cm.rows["38"] == {"chest": 92.5, "hip": 98.0}
    mixed = parse_size_chart("Size,Bust_cm,Length [inch]\nS,90,25\n")
    assert mixed.rows["S"] == {"chest": 90.0, "length": 63.5}
    assert parse_size_chart("size,chest\nM,41\n", units="cm").rows["M"]["chest"] == 41.0
    assert parse_size_chart(CHART_IN).sizes == ("S", "M", "L")


@pytest.mark.parametrize("text, message", [
    ("chest,waist\n100,90\n", "no 'size' column"),
    ("size,colour\nM,red\n", "unknown column 'colour'"),
    ("size,chest\nM,big\n", "'big' is not a number"),
    ("size,chest\nM,100\nm,104\n", "lists size m twice"),
    ("size,chest\nM,100,3\n", "row 2 has 3 cells"),
    ("size,chest\n", "no rows"),
    ("size,chest (mm)\nM,40\n", "not a garment measurement"),
    ("size,chest,chest\nM,100,100\n", "column 'chest' twice"),
    ("size,chest\nM,-3\n", "positive number"),
])
def test_bad_charts_are_one_line(text, message):
    with pytest.raises(GarmentImportError, match=message) as info:
        parse_size_chart(text, "chart.csv")
    assert "\n" not in str(info.value)


def test_bad_chart_on_the_command_line_exits_2(tmp_path, capsys):
    chart = tmp_path / "chart.csv"
    chart.write_text("size,chest\nM,wide\n")
    base = tmp_path / "tee.glb"
    base.write_bytes(b"not read")
    code, _, err = _run(capsys, "garment", "import", base, "--size-chart", chart)
    assert code == 2 and err.startswith("error: chart.csv row 2 (M): chest 'wide' is not a number")
    code, _, err = _run(capsys, "garment", "import", base, "--size-chart", tmp_path / "none.csv")
    assert code == 2 and "does not exist" in err
    assert not (catalog.user_catalog_dir()).exists() or not any(catalog.user_catalog_dir().iterdir())
