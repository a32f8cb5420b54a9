"""The kiosk's admin PIN: fixed cost, 6+ digits, a growing delay, an owner-only file, the old PIN to change it."""

import json
import os
import stat
import errno
import io
import sys

import pytest

from app.kiosk_pin import (
    PIN_FREE_FAILURES, KioskConfigError, PinGuard, PinLockedError, check_pin, config_path, failure_delay_s,
    load_pin_record, set_pin,
)

PIN = "482913"


@pytest.fixture
def set_pin_cli(monkeypatch, capsys):
    """``fitting-room kiosk set-pin ARGS`` in this process with ``stdin`` as its input: (status, stderr)."""
    from app.cli import main

    def run(stdin: str, *args: str):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        status = main(["kiosk", "set-pin", *args])
        return status, capsys.readouterr().err

    return run


def test_short_pins_are_refused():
    with pytest.raises(KioskConfigError, match="6 to 12 digits"):
        set_pin("12345")
    assert not config_path().exists()


def test_file_is_owner_only_and_holds_no_cost():
    set_pin(PIN)
    assert stat.S_IMODE(os.stat(config_path()).st_mode) == 0o600
    record = json.loads(config_path().read_text())["pin"]
    assert set(record) == {"algorithm", "salt", "hash"}
    assert [p.name for p in config_path().parent.iterdir()] == ["kiosk.json"]  # no temporary file left


def test_cost_written_in_the_file_is_ignored():
    import hashlib

    # a hash made with a cheap cost of one's own, as a hostile edit of kiosk.json would hold
    salt = b"s" * 16
    cheap = hashlib.scrypt(b"000000", salt=salt, n=2, r=1, p=1, dklen=32)
    config_path().parent.mkdir(parents=True)
    config_path().write_text(json.dumps({"version": 1, "pin": {
        "algorithm": "scrypt", "n": 2, "r": 1, "p": 1, "salt": salt.hex(), "hash": cheap.hex()}}))
    assert not check_pin("000000")


def test_growing_delay_after_wrong_pins():
    set_pin(PIN)
    now = [1000.0]
    guard = PinGuard(clock=lambda: now[0])
    for _ in range(PIN_FREE_FAILURES):
        assert guard.check("000000") is False and guard.wait_s() == 0
    assert guard.check("000000") is False
    first = guard.wait_s()
    assert first > 0
    with pytest.raises(PinLockedError, match="try again in"):
        guard.check(PIN)  # even the right PIN waits
    now[0] += first
    assert guard.check("000000") is False and guard.wait_s() == pytest.approx(2 * first)
    assert sum(failure_delay_s(n) for n in range(1, 31)) > 3600  # 30 guesses take over an hour
    now[0] += guard.wait_s()
    assert guard.check(PIN) is True and guard.failures == 0


def test_guard_reads_the_file_once():
    set_pin(PIN)
    guard = PinGuard()
    set_pin("111111")  # the file changes while the kiosk runs
    assert guard.check(PIN) and not guard.check("111111")


def test_set_pin_needs_the_current_pin_or_reset(set_pin_cli):
    assert set_pin_cli(PIN + "\n")[0] == 0
    status, err = set_pin_cli("000000\n777777\n")
    assert status == 2 and err.count("\n") == 1
    assert "not the current admin PIN" in err and "--reset" in err
    assert check_pin(PIN)
    status, err = set_pin_cli(f"{PIN}\n777777\n")
    assert status == 0, err
    assert check_pin("777777")
    status, err = set_pin_cli("555555\n", "--reset")
    assert status == 0 and "without checking the current one" in err
    assert check_pin("555555")


@pytest.mark.parametrize("text", ["[" * 100000 + "]" * 100000, '{"pin": ' + "9" * 5000 + "}", "\xff\xfe"])
def test_broken_kiosk_file_is_one_line(text, set_pin_cli):
    config_path().parent.mkdir(parents=True)
    config_path().write_text(text, encoding="latin-1")
    status, err = set_pin_cli(PIN + "\n")
    assert status == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert "--reset" in err
    with pytest.raises(KioskConfigError):
        load_pin_record()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_full_disk_or_read_only_folder_is_one_line(set_pin_cli, monkeypatch, code):
    set_pin(PIN)
    before = config_path().read_bytes()

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    status, err = set_pin_cli(f"{PIN}\n777777\n")
    assert status == 2 and err.count("\n") == 1, err
    assert os.strerror(code) in err and "PIN was not changed" in err
    assert config_path().read_bytes() == before and len(list(config_path().parent.iterdir())) == 1
