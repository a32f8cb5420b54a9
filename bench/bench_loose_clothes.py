"""Loose-clothes warnings of the photo estimate: bodies photographed in draped catalog garments, loose and tight.

    uv run python bench/bench_loose_clothes.py [--bodies 8] [--seed 17]

Each survey-fitted body (arms in the body model's A-pose) is photographed from one camera in one room
(``home_scenes.home_background``) in six outfits: bare with a top and leggings painted on the skin (a
tank top and leggings), the catalog's leggings alone, the crew tee one size below the recommended one
over them (the closest it has to a fitted tee), the recommended size, two sizes above it (a regular
fit) and the field jacket (loose). Sizes that do not exist for a body are left out. Each outfit is
estimated with and without a background plate. The table gives per outfit the garment's draped ease
(``DrapeResult.zones``), the share of estimates warned of loose clothes at the chest and waist, the
chest and waist errors and the share of them within the stated ±.
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

OUTFITS = ("painted", "leggings", "tee -1", "tee rec", "tee +2", "jacket")
TIGHT, LOOSE = ("painted", "leggings"), ("tee +2", "jacket")  # what must not warn, what must
NAMES = ("chest_girth", "waist_girth")


def outfit_items(outfit: str, garments: dict, recommended: str) -> list | None:
    """[(Garment, size or None)] of an outfit (None: bare, painted), or [] when its size does not exist."""
    tee, leggings = garments["crew-tee"], garments["studio-leggings"]
    sizes = [s.name for s in tee.sizes]
    shift = {"tee -1": -1, "tee rec": 0, "tee +2": 2}
    if outfit == "painted":
        return None
    if outfit == "leggings":
        return [(leggings, None)]
    if outfit == "jacket":
        return [(leggings, None), (garments["field-jacket"], None)]
    k = sizes.index(recommended) + shift[outfit]
    return [(leggings, None), (tee, sizes[k])] if 0 <= k < len(sizes) else []


def warned_torso(warnings: list[str]) -> bool:
    """Whether a loose-clothes warning names the chest and waist."""
    return any("loose around the chest" in w for w in warnings)


def photograph(scene, avatar, items: list | None):
    """Front and side photos of an avatar in an outfit (None: bare, the scene's colours painted on).

    ``scene``: rng, renderer, room, cam, noise, quality, side_yaw, skin, top and bottom colours.
    Returns ([front, side] RGB uint8, the draped garments, inner to outer).
    """
    from bench_estimate import degrade, render_photo
    from bench_tight_clothes import dressed_body
    from home_scenes import dress

    from garments.outfit import drape_outfit

    draped = []
    if items is None:
        body, colours = avatar, dress(avatar.vertices, avatar.joints, scene.skin, scene.top, scene.bottom, False)
    else:
        draped = drape_outfit(avatar, items)
        vertices, faces, colours = dressed_body(avatar, draped, scene.skin, scene.top, scene.bottom)
        body = SimpleNamespace(vertices=vertices, faces=faces, stature_m=avatar.stature_m)
    photos = [degrade(scene.rng, render_photo(scene.renderer, body, scene.cam, yaw, scene.room, colours=colours)[0],
                      scene.noise, scene.quality) for yaw in (0.0, scene.side_yaw)]
    return photos, draped


def main(argv=None) -> int:
    from bench_estimate import Renderer, bench_bodies
    from bench_tight_clothes import photo_setting
    from home_scenes import CLOTHES, SKIN_COLOURS

    from avatar.errors import UserError
    from avatar.estimate import estimate_measurements
    from garments.catalog import get_garment
    from garments.fit_report import fit_report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=8)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    garments = {g: get_garment(g) for g in ("crew-tee", "studio-leggings", "field-jacket")}
    rng = np.random.default_rng(args.seed + 900)
    renderer = Renderer()
    rows = {o: {"warned": [], "ease": [], "refused": 0, **{n: [] for n in NAMES}, "inside": []} for o in OUTFITS}
    for i, (avatar, truth) in enumerate(bench_bodies(args.bodies, args.seed)):
        recommended = fit_report(avatar, garments["crew-tee"]).recommended
        skin = SKIN_COLOURS[i % len(SKIN_COLOURS)]
        top_colour, bottom_colour = (CLOTHES[k] for k in rng.choice(len(CLOTHES), 2, replace=False))
        setting = photo_setting(rng, avatar.stature_m)
        scene = SimpleNamespace(rng=rng, renderer=renderer, skin=skin, top=top_colour, bottom=bottom_colour,
                                **vars(setting))
        plate = setting.plate
        for outfit in OUTFITS:
            items = outfit_items(outfit, garments, recommended)
            if items == []:
                continue
            photos, draped = photograph(scene, avatar, items)
            if len(draped) > 1:
                rows[outfit]["ease"].append([draped[-1].zones.get(z, np.nan) for z in ("chest", "waist")])
            for background in (plate, None):
                try:
                    est = estimate_measurements(*photos, truth["stature"], background_rgb=background)
                except UserError as exc:
                    rows[outfit]["refused"] += 1
                    print(f"body {i} ({outfit}): refused: {exc}", file=sys.stderr)
                    continue
                rows[outfit]["warned"].append(warned_torso(est.warnings))
                for n in NAMES:
                    value, uncertainty = est.measurements[n]
                    rows[outfit][n].append(value - truth[n])
                    rows[outfit]["inside"].append(abs(value - truth[n]) <= uncertainty)
        print(f"body {i + 1}/{args.bodies} done (tee {recommended} recommended)", file=sys.stderr)
    renderer.close()
    print(f"\nLoose clothes: {args.bodies} bodies of seed {args.seed}, arms in the A-pose, with and without a plate. "
          "Ease: the garment's draped ease, cm; errors: estimate - truth, cm")
    print(f"{'outfit':<10} {'estimates':>9} {'warned':>7} {'ease chest':>11} {'ease waist':>11} "
          f"{'chest err':>10} {'waist err':>10} {'within +-u':>11} {'refused':>8}")
    for outfit, r in rows.items():
        ease = np.array(r["ease"]).reshape(-1, 2)
        ease_text = [f"{np.nanmean(ease[:, k]):>11.1f}" if len(ease) else f"{'-':>11}" for k in range(2)]
        print(f"{outfit:<10} {len(r['warned']):>9} {np.mean(r['warned']):>7.0%} {' '.join(ease_text)} "
              f"{np.mean(r['chest_girth']):>+10.1f} {np.mean(r['waist_girth']):>+10.1f} {np.mean(r['inside']):>11.0%} "
              f"{r['refused']:>8}")
    loose = [v for o in LOOSE for v in rows[o]["warned"]]
    tight = [v for o in TIGHT for v in rows[o]["warned"]]
    print(f"loose scenes warned ({', '.join(LOOSE)}): {sum(loose)}/{len(loose)} (target all); "
          f"tight scenes warned ({', '.join(TIGHT)}): {sum(tight)}/{len(tight)} (target 0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
