"""Garment making: each kind of garment (top, bottom, skirt, dress) built from its pattern on a reference body.

A garment is cut from the reference body's skin along smooth lines (hem heights, sleeve lengths,
a neckline, armholes: ``garments.cutting``), moved out by its ease (bridging hollows the way cloth does,
hanging straight below the chest or the thigh where the pattern says so: ``garments.easing``), smoothed,
and finished with real geometry (``garments.edge_finishing``): folded hems, ribbed neckbands, collars
standing off the neck, cuffs, waistbands thicker than the fabric and flared skirts. ``garments.generator``
holds the catalog's patterns (``garments.pattern``); the measures are named in ``garments.making_constants``.

Frame: metres, Y up, facing +Z, feet on y = 0, A-pose.
"""

from __future__ import annotations

import numpy as np

from avatar.surface import vertex_normals
from avatar.tape import hull_perimeter

from . import mesh_ops as mo
from . import dress_form as pt
from .catalog import reference_sex
from .cutting import arm_fields, arms_left_out, cut_skin, neck_field
from .easing import (HullTable, arm_radius, bridge, clear_of_skin, ease_profile, polyline_point, push_out,
                     radial, set_radial, smooth_fixed, smooth_normals)
from .edge_finishing import finish_bottom, finish_top, hem_rings, waistband
from .making_constants import (BICEP_ALONG_ARM_M, BOTTOM_SMOOTHING_ITERATIONS, DEFAULT_SHOULDER_EASE_CM,
                               DEFAULT_THIGH_EASE_CM, HANG_ABOVE_CHEST_M, HIPS_TO_LEGS_ABOVE_CROTCH_M,
                               HIPS_TO_LEGS_BLEND_M, HIP_BRIDGE_FADE_M, HULL_TABLE_MARGIN_M, LEGGINGS_CLEARANCE_M,
                               LEG_TUBE_ABOVE_CROTCH_M, MIN_CLEARANCE_M, NECK_CUT_BELOW_JOINT_M, PLACKET_HEIGHT_M,
                               SECTION_HALF_WIDTH_M, SECTION_SLAB_HALF_M, SKIRT_LEG_CLEARANCE_M, SKIRT_RING_STEP_M,
                               SKIRT_SMOOTHING_ITERATIONS, SKIRT_TUBE_ABOVE_HIP_M, SLEEVE_TAPER,
                               SLEEVE_TAPER_LENGTH_M, SLEEVE_WEIGHT_BLEND_R_M, SLEEVE_WEIGHT_BLEND_T_M,
                               SLEEVE_WEIGHT_OUTER_R_M, TAU, TOP_HULL_ABOVE_SHOULDER_M, TOP_HULL_PAST_SHOULDER_M,
                               TOP_SMOOTHING_ITERATIONS, TORSO_ABOVE_ARMPIT_M)
from .pattern import Pattern, level


def build_top(form: pt.BodyForm, pattern: Pattern, hem_y: float | None = None, hem_fold: bool = True):
    """A top (or a dress's bodice down to ``hem_y``): cut, eased over the torso, sleeves widened, edges finished.

    Returns vertices (N, 3) metres and faces (M, 3).
    """
    skin = form.vertices
    hem = hem_y if hem_y is not None else level(form, pattern.hem)
    fields = [skin[:, 1] - hem, neck_field(form, pattern, skin),
              form.joints["neck"][1] - NECK_CUT_BELOW_JOINT_M - skin[:, 1]]
    fields += arm_fields(form, skin, pattern)
    piece = cut_skin(form, fields)
    cloth = piece.vertices
    ease = ease_profile(form, pattern.ease, cloth[:, 1])
    sleeve_weight = _sleeve_weights(form, cloth)
    arm_weight = np.maximum(sleeve_weight["l"], sleeve_weight["r"])
    half_width = abs(form.joints["shoulder_l"][0]) + TOP_HULL_PAST_SHOULDER_M
    table = HullTable(form, hem - HULL_TABLE_MARGIN_M, form.levels["shoulder"] + TOP_HULL_ABOVE_SHOULDER_M, half_width)
    torso_weight = (1 - arm_weight) * (cloth[:, 1] < form.levels["armpit"] + TORSO_ABOVE_ARMPIT_M)
    # 1. bridge the body's hollows (cleavage, spine, between the buttocks) the way cloth spans them
    cloth = bridge(form, cloth, table, torso_weight)
    # 2. offset along the bridged surface's normal by the local ease
    shoulder_ease = pattern.ease.get("shoulder", DEFAULT_SHOULDER_EASE_CM) / 100.0
    offset = (1 - arm_weight) * ease / TAU + arm_weight * shoulder_ease
    cloth = cloth + smooth_normals(cloth, piece.faces) * offset[:, None]
    # 3. hang straight down from the widest level above (the bust, the shoulder blades)
    cloth = _hang_torso(form, pattern, cloth, table, ease, torso_weight)
    # 4. sleeves: a tube at least as wide as the upper arm plus the sleeve ease
    if pattern.sleeve > 0:
        for side in "lr":
            cloth = _widen_sleeve(form, pattern, cloth, side, sleeve_weight[side])
    cloth = smooth_fixed(cloth, piece.faces, TOP_SMOOTHING_ITERATIONS)
    if pattern.category in PLACKET_HEIGHT_M:  # a button or zip placket down the centre front
        cloth = placket(form, cloth, PLACKET_HEIGHT_M[pattern.category])
    cloth = push_out(form, cloth, vertex_normals(cloth, piece.faces))
    return finish_top(form, pattern, cloth, piece.faces, hem_fold)


def _sleeve_weights(form: pt.BodyForm, cloth: np.ndarray) -> dict[str, np.ndarray]:
    """Per arm ("l", "r"): (N,) in 0-1, 1 on the sleeve, 0 on the body, blended over the armhole."""
    weights = {}
    for side in "lr":
        along, radius = form.arm_coords(cloth, side)
        weights[side] = (np.clip((SLEEVE_WEIGHT_OUTER_R_M - radius) / SLEEVE_WEIGHT_BLEND_R_M, 0, 1)
                         * np.clip(along / SLEEVE_WEIGHT_BLEND_T_M, 0, 1))
    return weights


def _hang_torso(form: pt.BodyForm, pattern: Pattern, cloth: np.ndarray, table: HullTable, ease: np.ndarray,
                torso_weight: np.ndarray) -> np.ndarray:
    """The torso's cloth hanging straight down from the widest level above it (flaring below the hip when
    the pattern flares), by ``pattern.hang``, (N, 3) metres."""
    theta, radius, _ = radial(form, cloth)
    chest_y = form.levels["chest"]
    hang_radius = pattern.hang * (table.hanging(chest_y + HANG_ABOVE_CHEST_M)(cloth[:, 1], theta) + ease / TAU)
    if pattern.flare > 0:
        hip_y = form.levels["hip"]
        hang_radius = np.maximum(
            hang_radius, (table(np.full(len(cloth), hip_y), theta) + pattern.ease["hip"] / 100 / TAU)
            * (cloth[:, 1] < hip_y) + pattern.flare * np.clip(hip_y - cloth[:, 1], 0, None))
    new_radius = np.maximum(radius, hang_radius)
    return np.where(torso_weight[:, None] > 0,
                    set_radial(form, cloth, theta, radius + (new_radius - radius) * torso_weight), cloth)


def _widen_sleeve(form: pt.BodyForm, pattern: Pattern, cloth: np.ndarray, side: str,
                  weight: np.ndarray) -> np.ndarray:
    """One sleeve moved out from the arm's axis to at least the upper arm's radius plus the sleeve ease,
    narrowing towards the cuff; ``weight`` (N,) 0-1 says how much of each vertex is sleeve. (N, 3) metres."""
    axis = form.arm_axes[side]
    along, radius = form.arm_coords(cloth, side)
    outward = cloth - polyline_point(axis, along)
    outward /= np.maximum(np.linalg.norm(outward, axis=1, keepdims=True), 1e-9)
    sleeve_radius = arm_radius(form, side, BICEP_ALONG_ARM_M) + pattern.sleeve_open_cm / 100 / TAU
    target = np.maximum(radius, sleeve_radius * (1 - SLEEVE_TAPER * np.clip(along / SLEEVE_TAPER_LENGTH_M, 0, 1)))
    return cloth + outward * ((target - radius) * weight)[:, None]


def placket(form, g, height, half_width=0.014):
    """Raise a strip down the centre front by ``height`` metres (a placket), easing off at its edges."""
    theta, r, _ = radial(form, g)
    front = (g[:, 2] > form.centre_at(g[:, 1])) & (g[:, 1] < form.levels["neck_front"] + 0.01)
    w = np.clip(1.5 - np.abs(g[:, 0]) / half_width, 0, 1) * front
    return np.where(w[:, None] > 0, set_radial(form, g, theta, r + height * w), g)


def build_bottom(form: pt.BodyForm, pattern: Pattern):
    """Trousers, shorts or leggings: cut from the waistband to the hems, eased over the hips, a tube per leg,
    edges finished. Returns vertices (N, 3) metres and faces (M, 3)."""
    skin = form.vertices
    top = level(form, pattern.top) - pattern.waistband
    hem = level(form, pattern.hem)
    fields = [top - skin[:, 1], skin[:, 1] - hem] + arms_left_out(form)
    piece = cut_skin(form, fields)
    cloth = piece.vertices
    crotch = form.levels["crotch"]
    ease = ease_profile(form, pattern.ease, cloth[:, 1])
    thigh_ease = pattern.ease.get("thigh", pattern.ease.get("hip", DEFAULT_THIGH_EASE_CM)) / 100.0
    leg_weight = np.clip((crotch + HIPS_TO_LEGS_ABOVE_CROTCH_M - cloth[:, 1]) / HIPS_TO_LEGS_BLEND_M, 0, 1)
    # hips: bridge the hollows (small of the back, between the buttocks, the crotch front)
    table = HullTable(form, crotch - HULL_TABLE_MARGIN_M, top + HULL_TABLE_MARGIN_M, SECTION_HALF_WIDTH_M)
    cloth = bridge(form, cloth, table, np.clip((cloth[:, 1] - crotch) / HIP_BRIDGE_FADE_M, 0, 1))
    offset = (1 - leg_weight) * ease / TAU + leg_weight * thigh_ease / TAU
    cloth = cloth + smooth_normals(cloth, piece.faces) * offset[:, None]
    # legs: tubes around each leg's centre, hanging straight from the thigh if the pattern says so
    for side, sign in (("l", 1.0), ("r", -1.0)):
        on_leg = (cloth[:, 0] * sign > 0) & (cloth[:, 1] < crotch + LEG_TUBE_ABOVE_CROTCH_M)
        if not on_leg.any():
            continue
        centre, thigh_radius = _leg_centres(form, side, crotch)
        cx = np.interp(cloth[on_leg, 1], centre[:, 1], centre[:, 0])
        cz = np.interp(cloth[on_leg, 1], centre[:, 1], centre[:, 2])
        dx, dz = cloth[on_leg, 0] - cx, cloth[on_leg, 2] - cz
        radius = np.hypot(dx, dz)
        top_radius = thigh_radius + thigh_ease / TAU
        hem_radius = pattern.hem_open_cm / 100 / TAU if pattern.hem_open_cm else top_radius
        down = np.clip((crotch - cloth[on_leg, 1]) / max(crotch - hem, 1e-6), 0, 1)
        profile = pattern.leg_hang * (top_radius + (hem_radius - top_radius) * down)
        new_radius = radius + np.maximum(profile - radius, 0) * leg_weight[on_leg]
        scale = new_radius / np.maximum(radius, 1e-9)
        cloth[on_leg, 0] = cx + dx * scale
        cloth[on_leg, 2] = cz + dz * scale
    cloth = smooth_fixed(cloth, piece.faces, BOTTOM_SMOOTHING_ITERATIONS)
    clearance = LEGGINGS_CLEARANCE_M if pattern.category == "leggings" else MIN_CLEARANCE_M
    cloth = push_out(form, cloth, vertex_normals(cloth, piece.faces), clearance)
    return finish_bottom(form, pattern, cloth, piece.faces)


def _leg_centres(form, side, crotch):
    """Centre of a leg's section over height (k, 3) and its thigh radius just below the crotch."""
    v = form.vertices
    sign = 1.0 if side == "l" else -1.0
    rows, thigh_r = [], 0.08
    skin = np.unique(form.body_faces)
    vs = v[skin]
    for y in np.arange(0.05, crotch + 0.06, 0.02):
        slab = vs[(np.abs(vs[:, 1] - min(y, crotch - 0.01)) < SECTION_SLAB_HALF_M) & (vs[:, 0] * sign > 0.005)]
        slab = slab[np.abs(slab[:, 0]) < SECTION_HALF_WIDTH_M]
        if len(slab) < 3:
            continue
        c = [0.5 * (slab[:, 0].min() + slab[:, 0].max()), y, 0.5 * (slab[:, 2].min() + slab[:, 2].max())]
        rows.append(c)
        if abs(y - (crotch - 0.03)) < 0.011:
            thigh_r = hull_perimeter(slab[:, [0, 2]]) / TAU
    return np.asarray(rows), thigh_r


def build_skirt(form: pt.BodyForm, p: Pattern, bodice=None):
    """A skirt (or a dress's skirt): the body from the waist to the hip, then a flared tube to the hem."""
    hip_y = form.levels["hip"] + SKIRT_TUBE_ABOVE_HIP_M
    hem = level(form, p.hem)
    if bodice is None:
        skin = form.vertices
        top = level(form, p.top) - p.waistband
        piece = cut_skin(form, [top - skin[:, 1], skin[:, 1] - hip_y] + arms_left_out(form))
        g = piece.vertices
        ease = ease_profile(form, p.ease, g[:, 1])
        table = HullTable(form, hip_y - HULL_TABLE_MARGIN_M, top + HULL_TABLE_MARGIN_M, SECTION_HALF_WIDTH_M)
        g = bridge(form, g, table, np.ones(len(g)))
        g = g + smooth_normals(g, piece.faces) * (ease / TAU)[:, None]
        g = smooth_fixed(g, piece.faces, SKIRT_SMOOTHING_ITERATIONS)
        faces = piece.faces
    else:
        g, faces = bodice
    loops = mo.boundary_loops(faces)
    low = min(loops, key=lambda lp: g[lp, 1].mean())
    q = g[low].copy()
    q[:, 1] = hip_y
    g[low] = q
    cz0 = form.centre_at(hip_y)
    theta = np.arctan2(q[:, 0], q[:, 2] - cz0)
    r0 = np.hypot(q[:, 0], q[:, 2] - cz0)
    # leg clearance per level: the convex hull of both legs with SKIRT_LEG_CLEARANCE_M to spare
    rings = []
    ys = np.arange(hip_y - SKIRT_RING_STEP_M, hem - 1e-6, -SKIRT_RING_STEP_M)
    if len(ys) == 0 or ys[-1] > hem + 1e-6:
        ys = np.append(ys, hem)
    skin = form.vertices[np.unique(form.body_faces)]
    r_prev = r0
    for y in ys:
        slab = skin[(np.abs(skin[:, 1] - y) < SECTION_SLAB_HALF_M) & (np.abs(skin[:, 0]) < SECTION_HALF_WIDTH_M)]
        clear = (pt.hull_radius(slab[:, [0, 2]], np.array([0.0, cz0]), theta) + SKIRT_LEG_CLEARANCE_M
                 if len(slab) > 3 else 0)
        drop = hip_y - y
        r = np.maximum(r0 + p.flare * drop, clear)
        r = np.maximum(r, r_prev)  # a skirt never narrows going down
        r_prev = r
        ring = np.stack([np.sin(theta) * r, np.full_like(r, y), cz0 + np.cos(theta) * r], axis=1)
        rings.append(ring)
    # smooth each ring around (no kinks from the leg hull)
    rings = [mo.smooth_loop(rg, 3) for rg in rings]
    g, faces, last = mo.extrude_loop(g, faces, low, rings)
    o = np.zeros_like(rings[-1])
    o[:, 0], o[:, 2] = rings[-1][:, 0], rings[-1][:, 2] - cz0
    o /= np.linalg.norm(o, axis=1, keepdims=True)
    u = np.tile([0.0, 1.0, 0.0], (len(o), 1))
    g, faces, _ = mo.extrude_loop(g, faces, last, hem_rings(rings[-1], o, u, p.hem_width))
    if bodice is None:
        loops = mo.boundary_loops(faces)
        top_loop = max(loops, key=lambda lp: g[lp, 1].mean())

        g, faces = waistband(form, p, g, faces, top_loop)
    return g, faces


def build_dress(form: pt.BodyForm, p: Pattern):
    hip_y = form.levels["hip"] + SKIRT_TUBE_ABOVE_HIP_M
    bodice = build_top(form, p, hem_y=hip_y, hem_fold=False)
    return build_skirt(form, p, bodice=bodice)


BUILDERS = {"top": build_top, "bottom": build_bottom, "skirt": build_skirt, "dress": build_dress}


def build(p: Pattern) -> tuple[np.ndarray, np.ndarray]:
    """The base-size rest mesh of a pattern on its reference body: (V, 3) metres and (F, 3) faces."""
    form = pt.body_form(reference_sex(p.fits))
    v, f = BUILDERS[p.kind](form, p)
    v = clear_of_skin(form, np.asarray(v, np.float64))
    return np.ascontiguousarray(v, np.float64), np.ascontiguousarray(f, np.int64)
