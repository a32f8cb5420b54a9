"""Small garments for the GUI panel tests, made of the real catalog types (``garments.catalog``)."""

from garments.catalog import Colour, Garment, SizeSpec
from garments.errors import GarmentNotFound


def colour(name: str, hex_srgb: str) -> Colour:
    """A catalog colour (sRGB) that shows as ``hex_srgb`` on screen."""
    return Colour(name, tuple(int(hex_srgb[i:i + 2], 16) / 255 for i in (1, 3, 5)))


def fit(recommended: str, eases: dict, stretch: float = 0.03, reasons: tuple = (), between=None,
        probabilities: dict | None = None):
    """A ``garments.fit_report.FitReport`` from size -> zone -> (ease cm, needed stretch, verdict)."""
    from garments.fit_report import FitReport, SizeFit, ZoneFit

    sizes = tuple(SizeFit(size, {z: ZoneFit(z, 100.0, 100.0 + e, e, need, word) for z, (e, need, word) in zones.items()})
                  for size, zones in eases.items())
    zone_names = tuple(dict.fromkeys(z for zones in eases.values() for z in zones))
    fits = all(z.fits for z in next(s for s in sizes if s.size == recommended).zones.values())
    return FitReport("fake", stretch, zone_names, sizes, recommended, fits, tuple(reasons), between,
                     probabilities or {}, {"chest": 1.0, "waist": 1.0, "hip": 1.0})


def garment(gid, name, category, price, colours=(("navy", "#1f2a44"), ("white", "#f4f4f4"))):
    return Garment(id=gid, name=name, category=category,
                   sizes=tuple(SizeSpec(s, f"{gid.upper()}-{s}") for s in ("S", "M", "L")),
                   price=float(price), currency="EUR", colours=tuple(colour(*c) for c in colours),
                   stretch=0.03, layer=1, fits="unisex", source="builtin")


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
        raise GarmentNotFound(f"no garment with id '{gid}' in the test catalog") from None


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
