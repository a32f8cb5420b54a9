"""Small garments for the GUI panel tests (the panels only read these attributes)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Size:
    name: str
    sku: str


@dataclass(frozen=True)
class Colour:
    name: str
    hex: str


@dataclass(frozen=True)
class Advice:
    recommended: str
    reasons: tuple = ()
    per_size: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Garment:
    id: str
    name: str
    category: str
    sizes: tuple
    colours: tuple
    price: str
    currency: str = "EUR"


def garment(gid, name, category, price, colours=(("navy", "#1f2a44"), ("white", "#f4f4f4"))):
    return Garment(gid, name, category, tuple(Size(s, f"{gid.upper()}-{s}") for s in ("S", "M", "L")),
                   tuple(Colour(*c) for c in colours), price)


GARMENTS = (
    garment("tee", "Cotton tee", "top", "19.90"),
    garment("chino", "Slim chino", "trousers", "59.00", (("sand", "#c8b48a"),)),
    garment("wrap-dress", "Wrap dress", "dress", "89.50", (("red", "#b02a30"),)),
)
BY_ID = {g.id: g for g in GARMENTS}


def lookup(gid):
    try:
        return BY_ID[gid]
    except KeyError:
        raise LookupError(gid) from None


def body_photo(yaw_deg: float, sex: str = "female"):
    """A rendered photo (720x480 RGB) of the reference body on a plain wall and floor (shaded: the
    person models need a body's shading and face, not a flat silhouette)."""
    import sys
    from pathlib import Path

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import bench_estimate as bench
    from avatar.avatar import reference_avatar
    from avatar.estimate.project import PinholeCamera

    camera = PinholeCamera(height_m=1.0, distance_m=3.2, yfov_deg=50, width_px=480, height_px=720)
    image = np.empty((720, 480, 3), np.uint8)
    image[:] = (200, 205, 210)
    image[560:] = (120, 110, 100)
    renderer = bench.Renderer()
    try:
        photo, _ = bench.render_photo(renderer, reference_avatar(sex), camera, yaw_deg, image)
    finally:
        renderer.close()
    return photo


def write_video(path, frame, count: int = 8, fps: float = 10.0):
    """A short MJPG video of one RGB frame repeated: a webcam fed from a file."""
    import cv2

    h, w, _ = frame.shape
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for _ in range(count):
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path
