"""Portable profiles: the exported file, the QR payload and the code read back from pictures."""

import json

import cv2
import numpy as np
import pytest

from avatar.errors import MeasurementError, ProfileCodeError
from avatar.measurements import MEASUREMENTS
from avatar.portable import FORMAT, PortableProfile, read_portable_file, write_portable_file
from avatar.profile_code import FIELDS_V1, decode_payload, encode_payload
from avatar.profile_qr import code_image, make_code, read_profile_code

FOUR = {"stature": 165.0, "chest_girth": 92.0, "waist_girth": 76.0, "hip_girth": 101.0}


def every_field(shift: float = 0.37):
    """A value for every measurement, off the 0.1 grid by ``shift`` of the range, and a ± for each."""
    values = {n: round(s.low + shift * (s.high - s.low), 1) for n, s in MEASUREMENTS.items()}
    return PortableProfile(values, "male", {n: round(0.5 + 0.1 * i, 1) for i, n in enumerate(values)}, "Ben")


def test_v1_fields_cover_every_measurement_and_its_range():
    assert [name for name, _low, _bits in FIELDS_V1] == list(MEASUREMENTS)
    for name, low, bits in FIELDS_V1:
        spec = MEASUREMENTS[name]
        assert low == spec.low and (spec.high - spec.low) * 10 < 2 ** bits


def test_file_round_trip_keeps_every_field(tmp_path):
    profile = every_field()
    path = write_portable_file(profile, tmp_path / "ben.json")
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["format_version"] == 1 and data["units"] == "cm"
    assert set(data) == {"format", "format_version", "name", "sex", "units", "measurements", "uncertainty"}
    assert read_portable_file(path) == profile


def test_only_the_chosen_values_go_and_stature_is_required(tmp_path):
    profile = every_field().only(["stature", "waist_girth"])
    assert profile.measurements.keys() == {"stature", "waist_girth"} and profile.sex is None
    assert profile.uncertainty.keys() == {"stature", "waist_girth"}
    with pytest.raises(ProfileCodeError, match="stature is required"):
        every_field().only(["waist_girth", "sex"])
    with pytest.raises(ProfileCodeError, match="did you mean 'waist_girth'"):
        every_field().only(["stature", "waist_grith"])
    with pytest.raises(ProfileCodeError, match="has no hip_girth"):
        PortableProfile({"stature": 170.0}).only(["stature", "hip_girth"])


@pytest.mark.parametrize("change, message", [
    ({"format": "something-else"}, "not an exported fitting-room profile"),
    ({"format_version": 2}, "format version 2"),
    ({"units": "in"}, "always in cm"),
    ({"measurements": {"stature": 300}}, "outside the human range 120-220 cm"),
    ({"measurements": {"chest_girth": 90}}, "stature is required"),
    ({"measurements": {"stature": 170, "chset": 90}}, "did you mean 'chest_girth'"),
    ({"uncertainty": {"hip_girth": 2}}, "does not hold"),
    ({"uncertainty": {"stature": -1}}, "from 0 to 25.5"),
    ({"sex": "x"}, "sex 'x' is not recognised"),
])
def test_bad_files_are_refused_with_one_line(tmp_path, change, message):
    data = {**PortableProfile({"stature": 170.0}, "female", {"stature": 1.0}, "A").to_json(), **change}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    with pytest.raises((ProfileCodeError, MeasurementError), match=message) as err:
        read_portable_file(path)
    assert "\n" not in str(err.value)


def test_payload_round_trip_is_exact_to_a_millimetre():
    profile = every_field()
    text = encode_payload(profile)
    assert text.startswith("FR1:") and len(text) == 68
    back = decode_payload(text)
    assert back.sex == "male" and back.name == ""  # a code carries no name
    assert back.measurements == pytest.approx(profile.measurements, abs=0.05)
    assert back.uncertainty == pytest.approx(profile.uncertainty, abs=0.05)
    assert decode_payload(encode_payload(PortableProfile(FOUR))) == PortableProfile(FOUR)


def test_codes_stay_small():
    assert make_code(PortableProfile(FOUR, "female")).version == 1  # 21 x 21 modules, 20 characters
    full = every_field()
    assert make_code(PortableProfile(full.measurements, "male")).version == 3
    assert make_code(full).version == 4  # every value with its ±: 33 x 33 modules


@pytest.mark.parametrize("text, message", [
    ("https://example.com/", "not a fitting-room profile"),
    ("FR2:AAAAAAAAAAAA", "format version 2"),
    ("FR1:", "not a fitting-room profile"),
])
def test_foreign_and_future_codes_are_refused(text, message):
    with pytest.raises(ProfileCodeError, match=message):
        decode_payload(text)


def test_damaged_and_impossible_codes_are_refused():
    text = encode_payload(PortableProfile(FOUR, "female"))
    flipped = text[:-3] + ("A" if text[-3] != "A" else "B") + text[-2:]
    with pytest.raises(ProfileCodeError, match="checksum"):
        decode_payload(flipped)
    # a well-formed code (right checksum) whose stature field holds 222.3 cm
    import base64
    import binascii

    body = bytes([0b10000000, 0b00000000, 0b00111111, 0b11110000])  # stature only, no sex, raw 1023
    crc = binascii.crc_hqx(b"FR1:" + body, 0xFFFF).to_bytes(2, "big")
    forged = "FR1:" + base64.b32encode(body + crc).decode().rstrip("=")
    with pytest.raises(ProfileCodeError, match="outside the human range"):
        decode_payload(forged)


def _rotate(image, degrees):
    h, w = image.shape[:2]
    size = int(np.hypot(h, w)) + 2
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    matrix[:, 2] += ((size - w) / 2, (size - h) / 2)
    return cv2.warpAffine(image, matrix, (size, size), borderValue=(255, 255, 255))


@pytest.mark.parametrize("scale", [3, 6, 12])  # pixels a module: 99, 198 and 396 pixels for the code
def test_a_rendered_code_reads_back_blurred_and_rotated(scale):
    profile = every_field()
    image = code_image(profile, scale)
    scene = np.full((480, 640, 3), 90, np.uint8) if image.shape[0] < 480 else None
    if scene is not None:  # the code on a grey background, off centre, as in a camera frame
        y, x = 40, 120
        scene[y:y + image.shape[0], x:x + image.shape[1]] = image
        image = scene
    blurred = cv2.GaussianBlur(image, (0, 0), sigmaX=0.35 * scale)
    for picture in (image, blurred, _rotate(image, 20), _rotate(blurred, 20)):
        back = read_profile_code(picture)
        assert back.measurements == pytest.approx(profile.measurements, abs=0.05)
        assert back.uncertainty == pytest.approx(profile.uncertainty, abs=0.05) and back.sex == "male"


def test_no_code_in_sight_is_none_and_a_foreign_code_is_refused():
    assert read_profile_code(np.full((240, 320, 3), 128, np.uint8)) is None
    import segno

    buffer = __import__("io").BytesIO()
    segno.make("https://example.com/", error="m").save(buffer, kind="png", scale=6, border=4)
    foreign = cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_COLOR)
    with pytest.raises(ProfileCodeError, match="not a fitting-room profile"):
        read_profile_code(foreign)


def test_an_exported_file_is_a_measurement_file_too(tmp_path):
    from avatar.measurements import read_measurement_file

    path = write_portable_file(every_field(), tmp_path / "ben.json")
    records, kind = read_measurement_file(path)
    assert kind == "json" and records[0].values == every_field().measurements and records[0].sex == "male"
