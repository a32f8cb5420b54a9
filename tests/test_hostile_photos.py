"""Photos that would take gigabytes to decode are refused from their header, before decoding."""

import struct
import zlib

import numpy as np
import pytest

from app.cli import main
from avatar.estimate import UnreadableImageError, decode_image
from avatar.image_header import MAX_IMAGE_PIXELS, header_pixels


def png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring ``width`` x ``height`` RGB pixels, with only a few rows of data (enough for a header reader)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = zlib.compress(b"\x00" * (1 + 3 * width) * 4)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def jpeg_header_only(width: int, height: int) -> bytes:
    """A JPEG start (SOI, a baseline frame header) declaring ``width`` x ``height`` grey pixels."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


@pytest.mark.parametrize("data", [png_header_only(20000, 20000), png_header_only(60000, 1000),
                                  jpeg_header_only(65000, 65000)])
def test_a_bomb_is_refused_from_its_header(data):
    assert header_pixels(data) > MAX_IMAGE_PIXELS
    with pytest.raises(UnreadableImageError, match="megapixels"):
        decode_image(data, "front.png")


def test_estimate_refuses_a_bomb_in_one_line(tmp_path, capsys):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(20000, 20000))
    code = main(["estimate", "--front", str(bomb), "--side", str(bomb), "--height", "170", "--json"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "megapixels" in err, err


def test_a_normal_photo_still_decodes():
    import cv2

    ok, data = cv2.imencode(".png", np.full((40, 30, 3), 200, np.uint8))
    assert ok and header_pixels(data.tobytes()) == 1200
    assert decode_image(data.tobytes()).shape == (40, 30, 3)


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"P6\n", b"BM" + b"\0" * 60,
                                  png_header_only(10, 10)[:40], b"II*\x00" + b"\xff" * 20])
def test_broken_images_are_unreadable_not_a_crash(data):
    try:
        rgb = decode_image(data, "photo")
    except UnreadableImageError:
        return
    assert rgb.ndim == 3 and rgb.shape[2] == 3
