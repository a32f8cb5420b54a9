"""Atomic writes: whole files or none, with the permissions asked for."""

import os
import stat

import pytest

from avatar.storage import atomic_write_bytes, atomic_write_json


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_default_is_what_a_plain_open_gives(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "a.bin", b"abc")
    finally:
        os.umask(mask)
    assert _mode(tmp_path / "a.bin") == 0o644 and (tmp_path / "a.bin").read_bytes() == b"abc"


def test_a_mode_is_kept_whatever_the_umask_and_the_file_it_replaces(tmp_path):
    path = tmp_path / "private.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    mask = os.umask(0)
    try:
        atomic_write_json(path, {"pin": "hash"}, mode=0o600)
    finally:
        os.umask(mask)
    assert _mode(path) == 0o600 and path.read_text() == '{\n  "pin": "hash"\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["private.json"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    path = tmp_path / "kept.bin"
    path.write_bytes(b"old")
    with pytest.raises(TypeError):
        atomic_write_bytes(path, "not bytes", mode=0o600)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["kept.bin"]
