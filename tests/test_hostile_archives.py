"""Hostile garment files: zips that point outside themselves, decompression bombs, lying headers, leftovers."""

import os
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from app.cli import main
from garments import archive
from garments.constants import MAX_IMPORT_BYTES, MAX_PLY_HEADER_BYTES, MAX_ZIP_MEMBERS
from garments.errors import GarmentImportError
from garments.garment_files import read_garment_file

DATA = Path(__file__).parent / "data" / "garments"


def _refused(capsys, path, *words):
    code = main(["garment", "import", str(path), "--price", "10"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


def _zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.compress_type = compression
            z.writestr(info, data)
    return path


@pytest.mark.parametrize("member", ["../../{target}", "{abs_target}", "a/../../{target}", "C:/{target}",
                                    "..\\..\\{target}"])
def test_members_outside_the_archive_are_refused_and_nothing_outside_is_read(tmp_path, capsys, member):
    outside = tmp_path / "elsewhere" / "secret.obj"  # a real mesh next to, not inside, the archive
    outside.parent.mkdir()
    outside.write_bytes((DATA / "skirt_cm_zup.obj").read_bytes())
    name = member.format(target="elsewhere/secret.obj", abs_target=str(outside).lstrip("/"))
    if member.startswith("{abs_target}"):
        name = "/" + name
    path = _zip(tmp_path / "g.zip", [(name, b"not a mesh")])
    _refused(capsys, path, "outside the archive")


def test_links_in_an_archive_are_refused(tmp_path, capsys):
    link = zipfile.ZipInfo("skirt.obj")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = _zip(tmp_path / "g.zip", [(link, str(DATA / "skirt_cm_zup.obj"))])
    _refused(capsys, path, "link")


def test_too_many_entries_are_refused_before_unpacking(tmp_path, capsys):
    path = _zip(tmp_path / "g.zip", [(f"f{i}.txt", b"") for i in range(MAX_ZIP_MEMBERS + 1)] +
                [("skirt.obj", b"v 0 0 0\n")])
    _refused(capsys, path, "entries", str(MAX_ZIP_MEMBERS))


def test_declared_size_over_the_limit_is_refused_before_unpacking(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(archive, "MAX_IMPORT_BYTES", 1_000_000)
    path = _zip(tmp_path / "g.zip", [("skirt.obj", b"# pad\n" * 200_000)])
    before = set(Path(tempfile.gettempdir()).glob("garment-zip-*"))
    _refused(capsys, path, "unpacks to", "MB")
    assert set(Path(tempfile.gettempdir()).glob("garment-zip-*")) == before


def test_a_member_that_lies_about_its_size_is_stopped_while_unpacking(tmp_path, monkeypatch):
    path = _zip(tmp_path / "g.zip", [("skirt.obj", b"# pad\n" * 200_000)], compression=zipfile.ZIP_STORED)
    with zipfile.ZipFile(path) as z:
        members = archive.check_members(z, "g.zip")
        monkeypatch.setattr(archive, "MAX_IMPORT_BYTES", 100_000)  # as if the header had said less
        with pytest.raises(GarmentImportError, match="more than"):
            archive.extract(z, members, tmp_path / "out", "g.zip")


def test_vertex_counts_are_checked_inside_archives(tmp_path, capsys):
    ply = b"ply\nformat ascii 1.0\nelement vertex 3000000\nproperty float x\nproperty float y\n" \
          b"property float z\nend_header\n" + b"0 0 0\n" * 3_000_000
    path = _zip(tmp_path / "bomb.zip", [("bomb.ply", ply)])
    assert path.stat().st_size < 200_000
    _refused(capsys, path, "3,000,000 vertices")


def test_a_long_ply_header_does_not_hide_its_vertex_count(tmp_path, capsys):
    comments = b"".join(b"comment %06d padding the header past the old 4 KB window\n" % i for i in range(200))
    ply = b"ply\nformat ascii 1.0\n" + comments + b"element vertex 5000000\nproperty float x\nproperty float y\n" \
          b"property float z\nend_header\n" + b"0 0 0\n" * 1000
    (tmp_path / "long.ply").write_bytes(ply)
    _refused(capsys, tmp_path / "long.ply", "5,000,000 vertices")
    endless = b"ply\nformat ascii 1.0\n" + b"comment x\n" * (MAX_PLY_HEADER_BYTES // 10 + 10)
    (tmp_path / "endless.ply").write_bytes(endless)
    _refused(capsys, tmp_path / "endless.ply", "PLY header longer")


def test_too_many_faces_are_refused_before_parsing(tmp_path, capsys):
    obj = b"v 0 0 0\nv 1 0 0\nv 0 1 0\n" + b"f 1 2 3\n" * 900_000
    (tmp_path / "faces.obj").write_bytes(obj)
    _refused(capsys, tmp_path / "faces.obj", "faces, over the limit of 800,000")


@pytest.mark.parametrize("face", [b"f 0 1 2", b"f 1 2 0", b"f 1/0 2/1 3/1", b"f -0 1 2", b"  f 1 0 2"])
def test_an_obj_face_with_index_zero_is_refused(tmp_path, capsys, face):
    (tmp_path / "zero.obj").write_bytes(b"v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\n" + face + b"\n")
    _refused(capsys, tmp_path / "zero.obj", "index 0", "start at 1")


def test_indices_ending_in_zero_are_not_taken_for_zero(tmp_path):
    from garments.mesh_counts import declared_counts

    path = tmp_path / "ten.obj"
    path.write_bytes(b"".join(b"v %d 0 0\n" % i for i in range(30)) + b"f 10 20 30\nf 1/10/20 2/10/20 3/10/20\n")
    assert declared_counts(path, ".obj").vertices == 30 and declared_counts(path, ".obj").faces == 2


def test_a_zipped_mhclo_cannot_name_a_mesh_outside_the_archive(tmp_path, capsys):
    outside = tmp_path / "test_belt.obj"
    outside.write_bytes((DATA / "test_belt.obj").read_bytes())
    text = (DATA / "test_belt.mhclo").read_text()
    text = "\n".join(f"obj_file {outside}" if line.startswith("obj_file") else line for line in text.splitlines())
    path = _zip(tmp_path / "belt.zip", [("belt/belt.mhclo", text.encode())])
    _refused(capsys, path, "is missing")


def test_the_temporary_folder_is_removed_after_a_refused_import(tmp_path, capsys):
    before = set(Path(tempfile.gettempdir()).glob("garment-zip-*"))
    path = _zip(tmp_path / "g.zip", [("g.obj", b"v 0 0 0\nf 0 1 2\n")])
    _refused(capsys, path, "index 0")
    assert set(Path(tempfile.gettempdir()).glob("garment-zip-*")) == before


def _left_by_a_killed_import() -> Path:
    """A temporary import folder whose process is gone, holding a mesh."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    left = Path(tempfile.mkdtemp(prefix=f"{archive.TEMP_PREFIX}{int(dead.stdout)}-", dir=tempfile.gettempdir()))
    (left / "big.obj").write_bytes(b"v 0 0 0\n")
    return left


def test_folders_left_by_killed_imports_are_removed(tmp_path):
    base = Path(tempfile.gettempdir())
    left = _left_by_a_killed_import()
    live = Path(tempfile.mkdtemp(prefix=f"{archive.TEMP_PREFIX}{os.getpid()}-", dir=base))
    old = Path(tempfile.mkdtemp(prefix=f"{archive.TEMP_PREFIX}{os.getpid()}-", dir=base))
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    try:
        archive.remove_stale_folders()
        assert not left.exists() and not old.exists()
        assert live.exists()  # a live import's folder is kept
    finally:
        for folder in (left, live, old):
            if folder.exists():
                import shutil
                shutil.rmtree(folder)


@pytest.mark.parametrize("argv", [["garment", "list", "--json"], []], ids=["command", "app"])
def test_folders_left_by_killed_imports_are_removed_at_start(monkeypatch, capsys, argv):
    import app.gui.launch

    opened = []
    monkeypatch.setattr(app.gui.launch, "launch", lambda **kw: opened.append(kw) or 0)
    left = _left_by_a_killed_import()
    try:
        assert main(argv) == 0
        assert not left.exists()
        assert bool(opened) == (argv == [])
    finally:
        if left.exists():
            import shutil
            shutil.rmtree(left)


def test_a_declared_size_is_what_the_reader_checks(tmp_path):
    path = _zip(tmp_path / "ok.zip", [("a/skirt.obj", (DATA / "skirt_cm_zup.obj").read_bytes())])
    with zipfile.ZipFile(path) as z:
        members = archive.check_members(z, "ok.zip")
    assert [m.filename for m in members] == ["a/skirt.obj"] and members[0].file_size < MAX_IMPORT_BYTES


def test_a_safe_zip_still_imports(tmp_path):
    path = _zip(tmp_path / "ok.zip", [("a/skirt.obj", (DATA / "skirt_cm_zup.obj").read_bytes())])
    raw = read_garment_file(path)
    assert len(raw.vertices) > 100


def test_an_obj_face_index_beyond_any_mesh_is_refused_before_parsing(tmp_path, capsys):
    (tmp_path / "far.obj").write_bytes(b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/1/1 2 1000000000000\n")
    _refused(capsys, tmp_path / "far.obj", "more than 7 digits")


def test_a_texture_bomb_inside_a_mesh_is_not_decoded(tmp_path, capsys):
    from tests.test_hostile_photos import png_header_only

    (tmp_path / "bomb.png").write_bytes(png_header_only(12000, 12000))  # 144 MP: PIL's own limit lets it pass
    (tmp_path / "g.mtl").write_text("newmtl m\nmap_Kd bomb.png\n")
    obj = (DATA / "skirt_cm_zup.obj").read_text()
    lines = obj.splitlines()
    n = sum(line.startswith("v ") for line in lines)
    uv = "".join(f"vt {i / n:.4f} 0.5\n" for i in range(n))
    faces = [" ".join(f"{k}/{k}" for k in line.split()[1:]) for line in lines if line.startswith("f ")]
    body = "mtllib g.mtl\nusemtl m\n" + "\n".join(l for l in lines if l.startswith("v ")) + "\n" + uv + \
        "\n".join("f " + f for f in faces) + "\n"
    (tmp_path / "g.obj").write_text(body)
    try:
        raw = read_garment_file(tmp_path / "g.obj")
    except GarmentImportError as exc:
        assert "megapixels" in str(exc)
    else:
        assert raw.uv is not None and raw.texture is None  # kept lazily, it was decoded when saved: 430 MB


def test_a_member_name_with_a_line_break_is_refused_in_one_line(tmp_path, capsys):
    path = _zip(tmp_path / "g.zip", [("g\nerror: fake.obj", b"v 0 0 0\n")])
    _refused(capsys, path, "control characters", "\\n")
