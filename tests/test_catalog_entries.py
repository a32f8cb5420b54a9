"""Broken user catalog entries are skipped with a warning: never listed, never a crash."""

import json

import pytest

from app.cli import main
from garments.catalog import BUILTIN_DIR, load_catalog, user_catalog_dir

GOOD = json.loads((BUILTIN_DIR / "crew-tee" / "garment.json").read_text())


def _entry(folder_name: str, data) -> None:
    folder = user_catalog_dir() / folder_name
    folder.mkdir(parents=True)
    text = data if isinstance(data, str) else json.dumps(data)
    (folder / "garment.json").write_text(text, encoding="utf-8")


def _without_sku():
    data = json.loads(json.dumps(GOOD))
    del data["sizes"][0]["sku"]
    return data


def _with(**changes):
    data = json.loads(json.dumps(GOOD))
    data.update(changes)
    return data


BROKEN = {
    "no-sku": _without_sku(),
    "empty-sku": _with(sizes=[{"name": "M", "sku": "", "mesh": "mesh.glb"}]),
    "size-not-object": _with(sizes=["M"]),
    "name-list": _with(name=["a"]),
    "price-text": _with(price="free"),
    "price-bool": _with(price=True),
    "layer-float": _with(layer=1.5),
    "rgb-short": _with(colours=[{"name": "red", "rgb": [1, 0]}]),
    "mesh-outside": _with(sizes=[{"name": "M", "sku": "X-M", "mesh": "../../secret.glb"}]),
    "texture-abs": _with(texture="/etc/passwd"),
    "fits-robot": _with(fits="robot"),
    "huge-int": json.dumps(GOOD).replace('"layer": 2', '"layer": ' + "9" * 500),
    "deep": '{"id": "deep", "name": "x", "sizes": ' + "[" * 10000 + "]" * 10000 + "}",
    "not-json": "{id: deep",
    "list": "[]",
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_user_entry_is_skipped_with_a_warning(capsys, case):
    _entry(f"user-{case}", BROKEN[case])
    assert main(["garment", "list", "--json"]) == 0
    out = capsys.readouterr()
    listed = [g["id"] for g in json.loads(out.out)]
    assert listed.count("crew-tee") == 1  # the built-in one only: the broken copy is not listed
    warnings = [line for line in out.err.splitlines() if line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: catalog entry") and "Traceback" not in out.err
    assert len(warnings[0]) < 400
    problems: list = []
    load_catalog(problems)
    assert len(problems) == 1


def test_a_broken_entry_asked_for_by_id_is_one_line(capsys):
    data = _without_sku()
    data["id"] = "user-no-sku"
    _entry("user-no-sku", data)
    assert main(["garment", "show", "user-no-sku"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "sku" in err


def test_a_good_user_entry_is_still_listed(capsys):
    data = _with(id="user-good")
    _entry("user-good", data)
    assert main(["garment", "list", "--json"]) == 0
    assert "user-good" in [g["id"] for g in json.loads(capsys.readouterr().out)]


@pytest.mark.body
@pytest.mark.parametrize("option,value", [("--name", "two\nlines"), ("--sku", "x" * 300)])
def test_an_import_the_catalog_would_refuse_is_never_written(capsys, option, value):
    from pathlib import Path

    skirt = Path(__file__).parent / "data" / "garments" / "skirt_cm_zup.obj"
    code = main(["garment", "import", str(skirt), "--price", "10", "--category", "skirt", option, value])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    root = user_catalog_dir()
    assert not root.exists() or not [p for p in root.iterdir() if not p.name.startswith(".")]
