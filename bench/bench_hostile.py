"""Decompression bombs and lying headers: how fast, and in how much memory, each is refused.

Each case builds a hostile file, then runs the command a user would run on it in a fresh
process and reports that process's exit status, the time from calling the command to its
refusal, and its peak resident memory (``ru_maxrss``), in total and above what the process held
once its libraries were imported. Targets: refused (exit 2) in under 2 s and 300 MB.

    uv run python bench/bench_hostile.py
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

TARGET_S = 2.0
TARGET_MB = 300.0

# The child reads its peak from /proc (VmHWM belongs to the process's own memory map, unlike
# ru_maxrss, which on Linux keeps the parent's peak across fork and exec).
CHILD = r"""
import json, sys, time
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
from app.cli import main
import trimesh, cv2, PIL.Image  # the libraries a refusal may need, loaded before the baseline
base = peak_kb()
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": seconds, "peak_kb": peak_kb(), "base_kb": base}), file=sys.__stdout__)
"""


def _ply(vertices: int, comments: int = 0) -> bytes:
    head = (b"ply\nformat ascii 1.0\n" + b"comment padding the header well past a 4 KB window\n" * comments
            + b"element vertex %d\nproperty float x\nproperty float y\nproperty float z\n" % vertices
            + b"element face 0\nproperty list uchar int vertex_indices\nend_header\n")
    return head + b"0 0 0\n" * vertices


def _zip(path: Path, name: str, data: bytes, repeat: int = 1) -> Path:
    """A zip holding one member ``name`` of ``data`` written ``repeat`` times (streamed, never held whole)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open(name, "w", force_zip64=True) as member:
            for _ in range(repeat):
                member.write(data)
    return path


def _png_bomb(path: Path, side: int) -> Path:
    """A valid 1-bit greyscale PNG of ``side`` x ``side`` black pixels (decoders expand it to 8 bits or more)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


def build_cases(folder: Path) -> list[tuple[str, Path, list[str]]]:
    """(what, file, command line) for every case, files written into ``folder``."""
    cases = []
    ply_zip = _zip(folder / "ply-bomb.zip", "garment.ply", _ply(3_000_000))
    cases.append(("zip holding an ASCII PLY of 3M vertices", ply_zip, ["garment", "import", str(ply_zip)]))
    obj_zip = _zip(folder / "obj-bomb.zip", "garment.obj", b"v 0 0 0\n" * 4_000_000)
    cases.append(("zip holding an OBJ of 4M vertices", obj_zip, ["garment", "import", str(obj_zip)]))
    big_zip = _zip(folder / "size-bomb.zip", "garment.obj", b"\n" * 4_000_000, repeat=100)
    cases.append(("zip unpacking to 400 MB", big_zip, ["garment", "import", str(big_zip)]))
    long_ply = folder / "long-header.ply"
    long_ply.write_bytes(_ply(5_000_000, comments=200))
    cases.append(("PLY, 10 KB header, 5M vertices", long_ply, ["garment", "import", str(long_ply)]))
    png = _png_bomb(folder / "bomb.png", 20_000)
    cases.append(("20000x20000 PNG to estimate", png,
                  ["estimate", "--front", str(png), "--side", str(png), "--height", "170", "--json"]))
    return cases


def run_case(argv: list[str], home: Path) -> dict:
    env = dict(os.environ, FITTING_ROOM_HOME=str(home))
    done = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parent.parent, timeout=600)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["message"] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    print("| hostile file | file size | exit | refused in | peak memory | above baseline | within target |")
    print("|---|---|---|---|---|---|---|")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for what, path, argv in build_cases(folder):
            r = run_case(argv, folder / "home")
            peak_mb, extra_mb = r["peak_kb"] / 1024, (r["peak_kb"] - r["base_kb"]) / 1024
            good = r["code"] == 2 and r["seconds"] < TARGET_S and peak_mb < TARGET_MB
            ok &= good
            print(f"| {what} | {path.stat().st_size / 1024:,.0f} KB | {r['code']} | {r['seconds']:.2f} s | "
                  f"{peak_mb:.0f} MB | {extra_mb:.0f} MB | {'yes' if good else 'NO'} |")
            print(f"|  | {r['message'][:110]} | | | | | |", file=sys.stderr)
    print(f"\ntargets: exit 2, under {TARGET_S:g} s and {TARGET_MB:g} MB peak")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
