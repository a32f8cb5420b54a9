"""What close-fitting clothes add to the photo estimate: bodies photographed in draped catalog garments.

    uv run python bench/bench_tight_clothes.py [--bodies 6] [--seed 11] [--top crew-tee] [--bottom studio-leggings]

Each survey-fitted body (arms in the body model's A-pose) is photographed twice from the same camera in
the same room (``home_scenes.home_background``): once wearing the catalog's top and leggings draped on
it (the recommended sizes; ``garments.outfit.drape_outfit``), once bare with the same colours painted
on its skin (``home_scenes.dress``), and both are estimated with a background plate. The table gives
per measurement the mean difference dressed minus painted (what the cloth's thickness and ease add:
the allowance that takes a close-fitting outfit back to the body), its spread, both errors, and
how many estimates warned of loose clothes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

NAMES = ("chest_girth", "underbust_girth", "waist_girth", "hip_girth", "thigh_girth", "calf_girth", "neck_girth",
         "shoulder_breadth", "inside_leg_height")


def dressed_body(avatar, draped, skin, top_colour, bottom_colour):
    """The avatar and its draped garments as one coloured mesh: (vertices, faces, (V, 3) colours)."""
    parts_v, parts_f = [np.asarray(avatar.vertices)], [np.asarray(avatar.faces)]
    colours = [np.tile(skin, (len(avatar.vertices), 1))]
    offset = len(avatar.vertices)
    for result, colour in zip(draped, (bottom_colour, top_colour)):
        parts_v.append(result.vertices)
        parts_f.append(np.asarray(result.faces) + offset)
        colours.append(np.tile(colour, (len(result.vertices), 1)))
        offset += len(result.vertices)
    return np.concatenate(parts_v), np.concatenate(parts_f), np.concatenate(colours)


def photo_setting(rng: np.random.Generator, stature_m: float) -> SimpleNamespace:
    """One home photo's setting, drawn from ``rng``: frame size, room, camera, sensor noise and JPEG
    quality, the degraded background plate and the side photo's turn (deg)."""
    from bench_estimate import degrade, photo_camera
    from home_scenes import home_background

    h = int(rng.choice([960, 1280]))
    w = int(h * 0.75)
    room = home_background(rng, h, w)
    cam = photo_camera(rng, stature_m, h, w)
    noise, quality = rng.uniform(1.0, 4.0), int(rng.uniform(80, 95))
    plate = degrade(rng, room, noise, quality)
    return SimpleNamespace(room=room, cam=cam, noise=noise, quality=quality, plate=plate,
                           side_yaw=float(rng.choice([-90.0, 90.0])))


def main(argv=None) -> int:
    from bench_estimate import Renderer, bench_bodies, degrade, render_photo
    from home_scenes import CLOTHES, SKIN_COLOURS, dress

    from avatar.errors import UserError
    from avatar.estimate import estimate_measurements
    from garments.catalog import get_garment
    from garments.outfit import drape_outfit

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=6)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--top", default="crew-tee")
    parser.add_argument("--bottom", default="studio-leggings")
    args = parser.parse_args(argv)
    top, bottom = get_garment(args.top), get_garment(args.bottom)
    rng = np.random.default_rng(args.seed + 700)
    renderer = Renderer()
    diff = {n: [] for n in NAMES}
    errors = {"dressed": {n: [] for n in NAMES}, "painted": {n: [] for n in NAMES}}
    warned = {"dressed": 0, "painted": 0}  # estimates with a loose-clothes warning
    for i, (avatar, truth) in enumerate(bench_bodies(args.bodies, args.seed)):
        draped = drape_outfit(avatar, [(bottom, None), (top, None)])
        skin = SKIN_COLOURS[i % len(SKIN_COLOURS)]
        top_colour, bottom_colour = (CLOTHES[k] for k in rng.choice(len(CLOTHES), 2, replace=False))
        vertices, faces, colours = dressed_body(avatar, draped, skin, top_colour, bottom_colour)
        painted = dress(avatar.vertices, avatar.joints, skin, top_colour, bottom_colour, sandals=False)
        setting = photo_setting(rng, avatar.stature_m)
        room, cam, noise, quality = setting.room, setting.cam, setting.noise, setting.quality
        plate, side_yaw = setting.plate, setting.side_yaw
        estimates = {}
        for kind, body, body_colours in (("dressed", SimpleNamespace(vertices=vertices, faces=faces,
                                                                     stature_m=avatar.stature_m), colours),
                                         ("painted", avatar, painted)):
            photos = [degrade(rng, render_photo(renderer, body, cam, yaw, room, colours=body_colours)[0], noise,
                              quality) for yaw in (0.0, side_yaw)]
            try:
                est = estimate_measurements(*photos, truth["stature"], background_rgb=plate)
                estimates[kind] = est.values()
                warned[kind] += any("loose" in w for w in est.warnings)
            except UserError as exc:
                print(f"body {i} ({kind}): refused: {exc}", file=sys.stderr)
        if len(estimates) == 2:
            for n in NAMES:
                diff[n].append(estimates["dressed"][n] - estimates["painted"][n])
                for kind in estimates:
                    errors[kind][n].append(estimates[kind][n] - truth[n])
        print(f"body {i + 1}/{args.bodies} done ({', '.join(f'{r.garment_id} {r.size}' for r in draped)})",
              file=sys.stderr)
    renderer.close()
    count = len(diff[NAMES[0]])
    print(f"\nClose-fitting clothes: {count} bodies in {args.top} and {args.bottom} (draped) against the same bodies "
          "with the colours painted on, same cameras, with a plate. cm")
    print(f"{'measurement':<18} {'dressed - painted':>18} {'sd':>6} {'error dressed':>14} {'error painted':>14}")
    for n in NAMES:
        d = np.array(diff[n])
        print(f"{n:<18} {d.mean():>+18.2f} {d.std():>6.2f} {np.mean(errors['dressed'][n]):>+14.2f} "
              f"{np.mean(errors['painted'][n]):>+14.2f}")
    print(f"loose-clothes warnings: dressed {warned['dressed']}, painted {warned['painted']} of {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
