"""``fitting-room render``: a picture of an avatar, optionally wearing garments, as a PNG.

    fitting-room render (--measurements FILE | --avatar BODY.glb) [--garment ID[:SIZE] ...] --out IMAGE.png
                        [--width W] [--height H] [--view front|side|back] [--fit-map] [--pose NAME] [--skin TONE]
                        [--hair STYLE] [--hair-colour COLOUR]
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from app.posing import add_looks_arguments, add_pose_argument, hair_layer, pose_dressed, pose_seat
from app.inputs import avatar_from_measurement_file, resolve_colours, resolve_garments
from app.progress import TerminalProgress
from app.render.constants import DEFAULT_HEIGHT, DEFAULT_WIDTH, MAX_IMAGE_SIDE, MIN_IMAGE_SIDE
from avatar.errors import UserError
from avatar.looks import SKIN_TONE_NAMES, skin_srgb

VIEW_CHOICES = ("front", "side", "back")
# A body file's height tells its unit: a standing person is 0.9-2.5 units tall in metres, 90-250 in cm,
# 900-2500 in mm; anything else (a garment, a head) is not a body to draw.
UNIT_BY_HEIGHT = ((0.9, 2.5, 1.0), (90.0, 250.0, 0.01), (900.0, 2500.0, 0.001))


class RenderError(UserError):
    """The picture cannot be made from what was given."""


def register(sub) -> None:
    p = sub.add_parser("render", help="draw the avatar (and garments) as a PNG picture",
                       description="Draw an avatar from measurements or a body file, optionally wearing garments, "
                                   "as a PNG.")
    body = p.add_mutually_exclusive_group(required=True)
    body.add_argument("--measurements", type=Path, metavar="FILE",
                      help="a measurement profile (.json) or a one-body .csv to build the avatar from")
    body.add_argument("--avatar", type=Path, metavar="BODY.glb", help="a body mesh (.glb/.gltf/.obj/.ply), metres, Y up")
    p.add_argument("--garment", action="append", default=[], metavar="ID[:SIZE][@COLOUR]",
                   help="a catalog garment to wear (repeatable); without :SIZE the recommended size, without "
                        "@COLOUR its first colour")
    p.add_argument("--out", type=Path, required=True, metavar="IMAGE.png", help="the PNG to write")
    p.add_argument("--width", type=int, default=DEFAULT_WIDTH, metavar="W", help=f"pixels (default {DEFAULT_WIDTH})")
    p.add_argument("--height", type=int, default=DEFAULT_HEIGHT, metavar="H", help=f"pixels (default {DEFAULT_HEIGHT})")
    p.add_argument("--view", choices=VIEW_CHOICES, default="front", help="side of the body to show (default front)")
    p.add_argument("--fit-map", action="store_true", help="colour garments by how much they stretch, with a legend")
    add_pose_argument(p)
    add_looks_arguments(p)
    p.add_argument("--skin", choices=SKIN_TONE_NAMES, default=None, metavar="TONE",
                   help=f"the skin tone: {', '.join(SKIN_TONE_NAMES)} (default: default)")
    p.set_defaults(func=run)


def check_output(args) -> Path:
    """Fail fast, before any slow work, on what would make the picture unwritable."""
    for name in ("width", "height"):
        value = getattr(args, name)
        if not MIN_IMAGE_SIDE <= value <= MAX_IMAGE_SIDE:
            raise RenderError(f"--{name} {value} is out of range; give {MIN_IMAGE_SIDE} to {MAX_IMAGE_SIDE} pixels")
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise RenderError(f"--out {out.name}: the picture is written as PNG; give the file a .png name")
    if out.is_dir():
        raise RenderError(f"--out {out} is a folder; give a file name ending in .png")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise RenderError(f"--out: the folder {parent} does not exist; create it first or pick another place")
    return out


def load_body_mesh(path: Path):
    """(vertices (V, 3) metres, faces (F, 3)) of a body file; a scene's node named ``body`` if it has one
    (so the scene written by ``fitting-room drape`` works too). Lifted so its lowest point is on y = 0."""
    import numpy as np
    import trimesh

    if not path.is_file():
        raise RenderError(f"--avatar {path}: no such file; give a .glb or .obj body (see 'fitting-room avatar')")
    try:
        loaded = trimesh.load(path, process=False)
        if isinstance(loaded, trimesh.Scene):
            nodes = [n for n in loaded.graph.nodes_geometry if n == "body"] or list(loaded.graph.nodes_geometry)
            parts = []
            for node in nodes:
                transform, geometry = loaded.graph[node]
                part = loaded.geometry[geometry]
                if isinstance(part, trimesh.Trimesh):
                    parts.append(trimesh.Trimesh(trimesh.transform_points(part.vertices, transform), part.faces,
                                                 process=False))
            loaded = trimesh.util.concatenate(parts) if parts else None
    except Exception as exc:  # trimesh raises many kinds for unreadable files
        raise RenderError(f"--avatar {path.name} cannot be read ({exc.__class__.__name__}); "
                          "give a .glb, .gltf, .obj or .ply body mesh") from None
    vertices = np.asarray(getattr(loaded, "vertices", np.zeros((0, 3))), float)
    faces = np.asarray(getattr(loaded, "faces", np.zeros((0, 3))), np.int64)
    if len(vertices) == 0 or len(faces) == 0 or not np.isfinite(vertices).all() or faces.max() >= len(vertices):
        raise RenderError(f"--avatar {path.name} holds no usable triangle mesh; give a body mesh file")
    height = float(np.ptp(vertices[:, 1]))
    for low, high, metres in UNIT_BY_HEIGHT:
        if low <= height <= high:
            vertices = vertices * metres
            break
    else:
        raise RenderError(f"--avatar {path.name} is {height:g} units tall along Y, not a standing body "
                          "in m, cm or mm with Y up; export it Y up in metres")
    vertices[:, 1] -= vertices[:, 1].min()
    return vertices, faces


def body_file_content(vertices, faces):
    """Scene content of a loaded body: an avatar of our body model keeps its eyes dark (its skin faces are
    the model's), any other mesh is all skin."""
    import numpy as np

    from app.render.scene import SceneContent

    try:
        from avatar.body_model import load_body_model

        model = load_body_model()
        ours = len(vertices) == model.n_vertices and np.array_equal(np.asarray(faces), np.asarray(model.faces))
    except Exception:  # no body model assets here: draw the mesh as it is
        ours = False
    if ours:
        from types import SimpleNamespace

        return SceneContent.from_avatar(SimpleNamespace(vertices=vertices, faces=faces, body_faces=model.body_faces,
                                                        skin_tone=None))  # a body file keeps no tone
    return SceneContent.from_mesh(vertices, faces)


def drape_garments(avatar, chosen, progress, pose: str = "stand", colours: dict[str, str] | None = None):
    """Drape ``chosen`` [(Garment, size or None)] on ``avatar`` (None: the size ``drape_outfit`` recommends)
    and put the dressed body in ``pose``; returns (the body, GarmentLayers in each garment's colourway named in
    ``colours`` (garment id -> colour name), else its first,
    with its fabric's stretch limit for the fit map and its zones that won't close marked
    (``app.render.fit_overlay``, from the standing fit))."""
    from app.render.content import garment_look
    from app.render.fit_overlay import mark_wont_fit
    from app.render.scene import garment_from_drape
    from garments.field_store import stored_body_sdf
    from garments.fit_report import fabric_stretch, fit_report
    from garments.outfit import drape_outfit

    by_id, colours = {g.id: g for g, _ in chosen}, colours or {}
    if chosen:
        stored_body_sdf(avatar)  # a body dressed before by a command: its field is read back, not built
    results = drape_outfit(avatar, chosen, progress=progress) if chosen else []
    body, posed = pose_dressed(avatar, results, pose, by_id)
    layers = []
    for r, shown in zip(results, posed):
        garment = by_id[r.garment_id]
        layer = garment_from_drape(shown, stretch_limit=fabric_stretch(garment),
                                   **garment_look(garment, shown.uv, colours.get(garment.id, "")))
        layers.append(mark_wont_fit(layer, garment, fit_report(avatar, garment, drape=r), shown))
    return body, layers


def _hair(rest, args) -> list:
    layer = hair_layer(rest, args.hair, args.hair_colour, args.pose)
    return [] if layer is None else [layer]


def run(args) -> int:
    out = check_output(args)
    specs = resolve_garments(args.garment)
    colours = resolve_colours(args.garment, specs)
    from app.render.scene import SceneContent
    from app.render.still import still_picture
    from app.render.worker import RenderWorker

    with TerminalProgress() as bar:
        if args.measurements is not None:
            rest = avatar_from_measurement_file(args.measurements, lambda f, m: bar(0.6 * f, m), "render")
            avatar, layers = drape_garments(rest, specs, lambda f, m: bar(0.6 + 0.3 * f, m), args.pose,
                                             colours)
            content = SceneContent.from_avatar(avatar, layers + _hair(rest, args), seat=pose_seat(avatar, args.pose))
        else:
            vertices, faces = load_body_mesh(args.avatar)
            layers = []
            if specs or args.pose != "stand" or args.hair != "none":
                from avatar.export import avatar_from_file

                rest = avatar_from_file(args.avatar)  # garments, poses and hair need the model's body (joints, skin)
                avatar, layers = drape_garments(rest, specs, lambda f, m: bar(0.6 + 0.3 * f, m), args.pose,
                                             colours)
                content = SceneContent.from_avatar(avatar, layers + _hair(rest, args), seat=pose_seat(avatar, args.pose))
            else:
                content = body_file_content(vertices, faces)
        if args.skin is not None:
            content = dataclasses.replace(content, skin_srgb=skin_srgb(args.skin))
        bar(0.9, "Drawing")
        with RenderWorker() as worker:
            try:
                image = still_picture(worker, content, args.width, args.height, args.view, args.fit_map).image
            except Exception as exc:  # no usable OpenGL: say so in one line
                raise RenderError(f"the picture could not be drawn ({exc.__class__.__name__}: {exc}); "
                                  "check that Mesa/EGL OpenGL is installed") from None
        if args.fit_map and not content.has_strain:
            print("note: --fit-map has nothing to colour without garments", file=sys.stderr)
        write_png(out, image)
        bar(1.0, "Done")
    print(f"wrote {out} ({args.width}x{args.height}, {args.view})", file=sys.stderr)
    return 0


def write_png(path: Path, image) -> None:
    """Encode ``image`` ((H, W, 3) uint8 RGB) as PNG and write it atomically."""
    import io

    from PIL import Image

    from avatar.storage import atomic_write_bytes

    buffer = io.BytesIO()
    Image.fromarray(image, "RGB").save(buffer, format="PNG", optimize=False)
    try:
        atomic_write_bytes(path, buffer.getvalue())
    except OSError as exc:
        raise RenderError(f"--out {path} cannot be written ({exc.strerror}); pick a writable place") from None
