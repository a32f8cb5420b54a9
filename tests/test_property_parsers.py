"""Any bytes a user can feed a parser give a result or a one-line UserError: never another exception.

Each parser gets inputs built from its format's own pieces (so the examples reach deep into the
parser) mixed with hostile values: huge and zero indices, huge counts, deep nesting, names that
leave the archive, random bytes. Hangs are caught by the deadline, memory by a tracemalloc peak.
"""

import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avatar.estimate.camera import decode_image
from avatar.measurements import MEASUREMENT_NAMES, parse_csv, parse_profile_json
from avatar.profiles import ProfileStore
from garments.catalog import read_entry
from garments.garment_files import read_garment_file
from garments.mesh_repair import check_geometry
from tests.memory_bounds import bounded

# The deadline is a guard against hangs (an example taking far longer than a parse can), not a speed
# target: those are measured by bench/bench_hostile.py. Generous, as the test machine is shared.
FAST = settings(max_examples=30, deadline=10_000, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Import the mesh and image libraries once, outside the timed and traced examples."""
    import trimesh

    box = trimesh.creation.box()
    for ext in ("obj", "ply", "stl", "glb"):
        data = box.export(file_type=ext)
        trimesh.load(io.BytesIO(data.encode() if isinstance(data, str) else data), file_type=ext, process=False)
    import cv2

    decode_image(cv2.imencode(".png", np.zeros((4, 4, 3), np.uint8))[1].tobytes())
    decode_image(cv2.imencode(".jpg", np.zeros((4, 4, 3), np.uint8))[1].tobytes())


numbers = st.one_of(st.integers(-10, 10 ** 6), st.integers(min_value=10 ** 20, max_value=10 ** 400),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["1e400", "-0", "NaN", "170"]))
keys = st.one_of(st.sampled_from(MEASUREMENT_NAMES + ("sex", "units", "name", "id", "schema_version",
                                                      "measurements", "display_units", "updated_at")), st.text(max_size=8))
json_values = st.recursive(st.one_of(st.none(), st.booleans(), numbers.filter(lambda x: not isinstance(x, str)),
                                     st.text(max_size=10)),
                           lambda children: st.one_of(st.lists(children, max_size=4),
                                                      st.dictionaries(keys, children, max_size=5)), max_leaves=20)


def _json_text(draw_value, nest: int, raw_number: str | None) -> str:
    text = json.dumps(draw_value, allow_nan=True, default=str)
    if nest:
        text = '{"measurements": ' + "[" * nest + "]" * nest + "}"
    if raw_number is not None:
        text = '{"measurements": {"stature": ' + raw_number + "}}"
    return text


@FAST
@given(value=st.one_of(json_values, st.dictionaries(keys, json_values, max_size=6),
                       st.fixed_dictionaries({"measurements": st.dictionaries(keys, numbers, max_size=6)},
                                             optional={"units": st.sampled_from(["cm", "in", "mm", 3]),
                                                       "sex": json_values, "schema_version": numbers})),
       nest=st.sampled_from([0, 0, 0, 70, 5000]),
       raw=st.one_of(st.none(), st.sampled_from(["9" * 400, "1e400", "-1e999", "Infinity", "[[[", "1" + "0" * 30])))
def test_measurement_json(value, nest, raw):
    bounded(parse_profile_json, _json_text(value, nest, raw))


cells = st.one_of(numbers.map(str), st.text(alphabet="0123456789.,-e\"x \n\r", max_size=12))
@FAST
@given(header=st.lists(st.one_of(st.sampled_from(MEASUREMENT_NAMES + ("id", "sex")), st.text(max_size=5)),
                       min_size=0, max_size=6),
       rows=st.lists(st.lists(cells, max_size=7), max_size=5), noise=st.text(max_size=30))
def test_measurement_csv(header, rows, noise):
    text = "\n".join(",".join(r) for r in [header] + rows) + noise
    bounded(parse_csv, text)


@FAST
@given(value=json_values, raw=st.binary(max_size=200))
def test_profile_files(value, raw):
    with tempfile.TemporaryDirectory() as tmp:
        store = ProfileStore(Path(tmp))
        store.root.mkdir(exist_ok=True)
        data = {"name": "X", "measurements": value} if not isinstance(value, dict) else {**value, "name": "X"}
        store.path_of("X").write_bytes(json.dumps(data, default=str).encode() if raw[:1] != b"!" else raw)
        bounded(store.load, "X")
        store.names()


@FAST
@given(value=json_values, sizes=st.lists(st.dictionaries(st.sampled_from(["name", "sku", "mesh", "grade", "finished"]),
                                                         json_values, max_size=5), max_size=3),
       nest=st.sampled_from([0, 0, 70, 3000]))
def test_catalog_entries(value, sizes, nest):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "g"
        folder.mkdir()
        data = {"id": "g", "name": "G", "sizes": sizes, "extra": value}
        text = json.dumps(data, default=str)
        if nest:
            text = '{"id": "g", "name": "G", "sizes": ' + "[" * nest + "]" * nest + "}"
        (folder / "garment.json").write_text(text)
        bounded(read_entry, folder, "user")


index = st.one_of(st.integers(-5, 12), st.sampled_from([0, -0, 10 ** 12, -(10 ** 12)]))
coord = st.one_of(st.floats(-3, 3, allow_nan=False), st.sampled_from(["nan", "inf", "1e400", "x", ""]))
obj_lines = st.one_of(st.tuples(st.just("v"), coord, coord, coord).map(lambda t: " ".join(map(str, t))),
                      st.lists(index, min_size=1, max_size=5).map(lambda ix: "f " + " ".join(map(str, ix))),
                      st.tuples(index, index, index).map(lambda t: "f " + " ".join(f"{i}/{i}/{i}" for i in t)),
                      st.sampled_from(["vt 0 0", "vn 0 0 1", "mtllib ../../etc/x.mtl", "o x", "# c", "g"]),
                      st.text(max_size=12))


def _import(name: str, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        raw = read_garment_file(path, time_limit=5)
        return check_geometry(raw, name)


@FAST
@given(lines=st.lists(obj_lines, max_size=30))
def test_obj_files(lines):
    bounded(_import, "g.obj", "\n".join(lines).encode())


ply_headers = st.tuples(st.sampled_from(["ascii", "binary_little_endian", "binary_big_endian", "odd"]),
                        st.one_of(st.integers(0, 20), st.sampled_from([10 ** 9, 10 ** 30])),
                        st.one_of(st.integers(0, 20), st.sampled_from([10 ** 9])),
                        st.integers(0, 3000))


@FAST
@given(header=ply_headers, body=st.binary(max_size=400))
def test_ply_files(header, body):
    fmt, nv, nf, comments = header
    head = (f"ply\nformat {fmt} 1.0\n" + "comment pad\n" * comments + f"element vertex {nv}\nproperty float x\n"
            f"property float y\nproperty float z\nelement face {nf}\nproperty list uchar int vertex_indices\n"
            "end_header\n")
    bounded(_import, "g.ply", head.encode() + body)


@FAST
@given(count=st.one_of(st.integers(0, 30), st.sampled_from([2 ** 31, 2 ** 32 - 1])), body=st.binary(max_size=600),
       ascii_=st.booleans())
def test_stl_files(count, body, ascii_):
    data = (b"solid x\n" + body) if ascii_ else (b"\0" * 80 + count.to_bytes(4, "little") + body)
    bounded(_import, "g.stl", data)


@FAST
@given(body=st.binary(max_size=600), length=st.integers(0, 2 ** 32 - 1))
def test_glb_files(body, length):
    data = b"glTF" + (2).to_bytes(4, "little") + length.to_bytes(4, "little") + body
    bounded(_import, "g.glb", data)


@FAST
@given(lines=st.lists(st.one_of(st.sampled_from(["verts 0", "obj_file g.obj", "obj_file ../../x.obj",
                                                 "obj_file /etc/passwd", "x_scale 1 2 0", "material ../m.mhmat"]),
                                st.lists(st.one_of(st.integers(-3, 10 ** 6).map(str), st.sampled_from(["nan", "1e400"])),
                                         min_size=1, max_size=9).map(" ".join)), max_size=20),
       obj=st.lists(obj_lines, max_size=10))
def test_mhclo_files(lines, obj):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "g.obj").write_text("\n".join(obj))
        path = Path(tmp) / "g.mhclo"
        path.write_text("\n".join(lines))
        bounded(lambda: check_geometry(read_garment_file(path, time_limit=5), "g.mhclo"))


member_names = st.one_of(st.sampled_from(["g.obj", "a/g.obj", "../g.obj", "/abs/g.obj", "a/../../g.obj", "C:/g.obj",
                                          "g.ply", "g.stl", "g.mhclo", "g.obj/", "__MACOSX/g.obj", "a\\..\\g.obj"]),
                         st.text(min_size=1, max_size=10))


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FAST
@given(members=st.lists(st.tuples(member_names, st.one_of(st.lists(obj_lines, max_size=8).map(
    lambda ls: "\n".join(ls).encode()), st.binary(max_size=100))), max_size=5),
       link=st.booleans(), truncate=st.integers(0, 50))
def test_zip_archives(members, link, truncate):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for k, (name, data) in enumerate(members):
            info = zipfile.ZipInfo(name if name.strip("\0") else "x")
            if link and k == 0:
                info.external_attr = (0o120777) << 16
            try:
                z.writestr(info, data)
            except (ValueError, UnicodeEncodeError):
                continue
    data = buffer.getvalue()
    bounded(_import, "g.zip", data[:len(data) - truncate] if truncate else data)


@FAST
@given(body=st.binary(max_size=300), prefix=st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a",
                                                              b"BM", b"II*\x00", b"RIFF", b"P6\n", b""]))
def test_photos(body, prefix):
    result = bounded(decode_image, prefix + body, "photo")
    assert result is None or (isinstance(result, np.ndarray) and result.ndim == 3)
