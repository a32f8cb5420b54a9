"""Tolerances and limits of draping and of measuring the draped cloth, each named once with why it has its value."""

# --- signed distance field of the body -------------------------------------------------------------
# Grid spacing of the body's distance field. Trilinear interpolation of an exact distance field errs by
# about h^2 / (8 R) near a surface of curvature radius R: 8 mm gives < 0.5 mm on arms (R ~ 4 cm) while
# the grid of a whole body stays near 3 M cells (12 MB; `bench/bench_sdf.py` times its build).
SDF_SPACING_M = 0.008
# Empty space kept around the body in the grid: loose hems hang up to this far out before lookups clamp.
SDF_MARGIN_M = 0.10
# Outside the body, distances are exact up to this value and saturate beyond it (cloth farther out than
# this never touches the body within one step, so it needs no gradient there).
SDF_BAND_M = 0.015
# Skin whose point this far out along its normal is still inside the body is buried in another part (heavy
# thighs pressed into each other overlap by a few millimetres) and gives the field no distances: the field
# measures to the outer surface only. 1 mm is far below any overlap that matters and far above rounding.
BURIED_SKIN_PROBE_M = 0.001
# Only skin facing other skin (opposed normals) among its nearest BURIED_SKIN_NEIGHBOURS vertices within
# BURIED_SKIN_REACH_M can be buried, so only that is probed: the body's vertices are 5-15 mm apart, and
# overlapping thighs put the other thigh's skin within a few millimetres.
BURIED_SKIN_REACH_M = 0.015
BURIED_SKIN_NEIGHBOURS = 24
# A triangle whose Gram determinant is below this share of |b-a|²|c-a|² (its sides within about 0.006
# degrees of parallel) has no usable plane: distances to it are measured to its edges alone.
DEGENERATE_GRAM = 1e-8
# A grid field's readings change by at most this much per metre moved (unitless: metres of distance per
# metre), so cloth that read far from the skin and moved little since needs no new reading. An exact
# distance changes by at most its step between grid neighbours, so its trilinear interpolant by at most
# sqrt(3) = 1.73 in any direction; the body's fields differ between neighbours outside the body by up to
# 1.074 steps below the head (slim, average and heavy women: float32 rounding, the outer-skin choice), 1.86
# in all. Cells whose neighbours differ by more than this / sqrt(3) (around the eyes and mouth, nested
# closed parts: up to 4.9 steps) have every reading taken near them (``garments.near_body``).
FIELD_SLOPE_BOUND = 2.0

# --- transfer ----------------------------------------------------------------------------------------
# Sweeps of neighbour averaging of the displacement that moves a garment onto another body (removes the
# small jumps where neighbouring garment vertices bind to different body parts, e.g. between the legs).
DISPLACEMENT_SMOOTHING_SWEEPS = 4

# --- draping -----------------------------------------------------------------------------------------
# The contract: no garment vertex deeper than this inside the body after draping.
PENETRATION_TOL_M = 0.002
# Cloth sits this far off the skin (half a fabric thickness plus room for interpolation error), so that
# the final projection lands well inside PENETRATION_TOL_M.
BODY_CLEARANCE_M = 0.003
# Every point of a cloth triangle (not only its corners) stays this far off the skin: half a fabric thickness
# (a jersey or shirting is about 0.5 mm thick) plus the distance field's interpolation error, which is
# 0.6 mm (p99) on open skin but up to 1.7 mm in the narrow gaps between an arm and the torso or between
# heavy thighs, where the field's ridge between the two surfaces is rounded off (measured by rendering
# the skin and the cloth on a chest 120 / hip 125 cm body and reading the field at both depths).
FACE_CLEARANCE_M = 0.0025
# Rounds of face checks and corner moves at the end of a drape (a round looks up only the faces still short,
# under 1 ms). A round lifts each short point by its least-squares share, which neighbouring faces pulling
# on the same corners dilute, so the last fraction of a millimetre takes many: on four ordinary survey bodies
# every garment came fully clear after 5-29 rounds (after 8, faces were left short of the clearance, though
# not in the skin). Where an arm presses on the torso the field's gradient turns sharply and rounds gain
# less: the crew tee XS on the bodies of chest 135 and 140 cm kept 30 and 46 faces cutting into the skin
# after 8 rounds, 6 and 17 after 16, none after 30.
FACE_CONTACT_PASSES = 30
# A sample point nearer to the clearance than this counts as clear: the least-squares moves approach it
# geometrically, and the last rounds of a drape moved corners by 1e-8 to 1e-10 m (half the rounds of a tee
# and chinos posed sitting).
FACE_CLEARANCE_TOLERANCE_M = 1e-6
# No face lifts a corner farther off the skin than this (inside the field's 15 mm band, where its readings
# are exact). Over the 40 bodies of `bench/bench_showthrough.py` every face of every top comes clear within
# it. A face that cannot bridges two parts of the body (cloth stretched up to 17 times its length across
# the crotch of thighs pressed together): lifting it only flung its corners off the skin, up to 12 cm after 8
# rounds and 24 cm after 30, flaps of cloth sticking out of the crotch.
FACE_LIFT_REACH_M = 0.014
# Gap kept between a garment and the garment under it: two half thicknesses of ordinary fabric plus room
# for the inner garment's small wrinkles between the outer garment's vertices.
LAYER_GAP_M = 0.006
# The final projection out of the layers underneath is repeated (each pass can change which inner vertex
# is nearest) until no vertex is under a layer, at most this many times.
FINAL_LAYER_PASSES = 8
# Projective dynamics iterations per drape (each: local step, two-grid global step, contacts).
DRAPE_ITERATIONS = 24
# Time step of one iteration, seconds: unsupported cloth falls g dt^2 = 2.7 mm in the first iteration.
DRAPE_DT_S = 1.0 / 60.0
# Share of the last iteration's motion carried into the next (damped: only the resting shape matters).
DRAPE_VELOCITY_KEEP = 0.6
# Mass of cloth per area: a mid-weight cotton jersey or shirting.
AREAL_DENSITY_KG_M2 = 0.2
# Spring stiffness of a mesh edge against stretch, N/m, for a fabric of REFERENCE_STRETCH (a woven that
# gives 2 % before it is tight); stretchier fabrics are proportionally softer, down to MIN_STIFFNESS_N_M
# (2D membrane stiffness of real cloth spans tens of N/m for knits to thousands for wovens).
STRETCH_STIFFNESS_N_M = 1000.0
REFERENCE_STRETCH = 0.02
MIN_STIFFNESS_N_M = 60.0
# Stiffness against bending, as springs across neighbouring triangles: weak, so cloth folds.
BEND_STIFFNESS_N_M = 2.0
# Share of its rest length an edge may shorten without pushing back: woven and knitted cloth buckles on a
# small scale instead of resisting compression, so a garment moved onto a smaller body keeps hanging
# rather than growing back against gravity.
FREE_COMPRESSION = 0.3
# Coarse nodes of the two-grid solver gather vertices in cubes of this many mean edge lengths (~16 vertices).
COARSE_CELL_EDGES = 4.0
# Damped Jacobi weights: smoothing of the coarse basis (2/3 is the classic smoothed-aggregation value)
# and of the fine correction after the coarse solve (below 1 keeps the sweep stable on a Laplacian).
COARSE_SMOOTHING = 2.0 / 3.0
JACOBI_OMEGA = 0.7
# The coarse system (with the contact pins) is refactorised when this share of the vertices changed
# between pinned and free since its last factorisation.
COARSE_REFRESH_SHARE = 0.005
# Two-grid cycles per global step.
GLOBAL_CYCLES = 1
# A vertex in contact is pinned by a spring this many times stiffer than all its cloth springs together.
CONTACT_STIFFNESS_FACTOR = 10.0
# Vertices this close beyond the clearance still count as touching (room for the field's interpolation).
CONTACT_SLACK_M = 0.0005
# Coulomb friction of cloth on skin and on cloth: a pinned contact lets go and slides when its pull
# along the surface exceeds this share of its push against the surface.
FRICTION = 0.6
GRAVITY_M_S2 = 9.81
# After relaxing, edges of cloth that is not on the body may stretch at most this much (cloth hanging by
# its own weight stretches far less; the rest is an unfinished relaxation next to the contact pins)...
FREE_STRETCH_LIMIT = 0.03
# ...enforced by this many Jacobi sweeps.
FREE_STRETCH_SWEEPS = 8
# A drape result is sound only if no edge is shorter than this fraction of its rest length...
MIN_EDGE_FRACTION = 0.5
# ...and no vertex moved farther than this from its transferred position (an exploding solve).
MAX_DISPLACEMENT_M = 0.5

# --- openings that keep their length (garments/openings.py) ------------------------------------------
# An open loop of a garment whose centre lies this close to the body's neck joint is a neck opening (the
# crew tee's sits 6-9 cm from it, its armholes and hems 25 cm and more).
NECK_OPENING_REACH_M = 0.12
# A neck opening too long for its rest length is shrunk towards it and pushed back out of the skin in at most
# this many rounds (each slides it a little further up the slope of the neck's base)...
NECK_SEAT_ROUNDS = 12
# ...and moves no point farther than this (a neck is 8-12 cm long from its base to the jaw; half of that
# keeps the band clear of the chin).
NECK_MAX_LIFT_M = 0.05
# The cloth round a moved opening follows it, fully at the opening and less with distance along the cloth,
# down to nothing at this distance (about the width of a shoulder seam to the neck).
NECK_OPENING_FALLOFF_M = 0.10
# A hem given back its rest length carries the cloth above it, less and less up to this far along the
# cloth (a top's hem lies 25-35 cm under the chest, so the cloth from the bust down hangs).
HEM_FALLOFF_M = 0.25
# A bottom's waistband keeps its level rest shape: the cloth this far from its top loop along the cloth
# (a 4-6 cm band runs from the loop up over its top and down its outside, about twice its height) moves with
# the loop in full...
WAISTBAND_HOLD_M = 0.10
# ...and the cloth below the band less and less, down to nothing this much farther (the hips' width of cloth).
WAISTBAND_FALLOFF_M = 0.10
# A hem goes round the trunk: its centre lies this close to the body's vertical axis (a sleeve's cuff lies
# 25 cm and more from it).
HEM_AXIS_REACH_M = 0.10

# --- folds of loose skirts ----------------------------------------------------------------------------
# A flared skirt or dress transferred as its smooth rest cone stays a cone (the solver has nothing to break
# its symmetry): before relaxing, its cloth below the hips is rippled radially around the body, this many
# waves around and up to this far in and out (full at FOLD_SEED_DEPTH_M below the hips), so that gravity
# and the free compression of the hoop edges settle it into folds.
FOLD_SEED_WAVES = 10
FOLD_SEED_AMPLITUDE_M = 0.03
FOLD_SEED_DEPTH_M = 0.5
# Categories whose cloth hangs free below the hips.
FOLD_SEED_CATEGORIES = ("skirt", "dress")

# --- layering ----------------------------------------------------------------------------------------
# An outer vertex is held outside an inner garment only where it lies over that garment: its lateral
# offset from the nearest inner vertex is under this many inner mean edge lengths...
LAYER_LATERAL_EDGES = 2.0
# ...and it is not deeper below the inner surface than this (deeper means it is beyond the inner hem).
LAYER_MAX_DEPTH_M = 0.04
# The height of an outer vertex over an inner garment blends the tangent planes of this many nearest inner
# vertices, so that it varies smoothly over a coarse or sharply curved part (a waistband's folded top).
LAYER_NEAREST_VERTICES = 4
# ...of those whose normal is within 90 deg of the nearest one's (not the far side of a thin band, such as a cuff).
LAYER_BLEND_MIN_COS = 0.0
# While relaxing, an outer vertex moves out of an inner garment by at most this much per iteration (designs
# that overlap at rest are separated gradually, so the cloth follows instead of tearing)...
LAYER_MAX_PUSH_M = 0.01
# A push out of a layer spreads over this many rings of the outer garment's neighbours, so that thin
# features (cuff bands, collars, hems folded a few millimetres thick) move out together, not torn apart.
LAYER_PUSH_SPREAD_SWEEPS = 2
# Outer vertices look up their nearest inner vertex every this many substeps (the lookup is a k-d tree query).
LAYER_REQUERY_ITERATIONS = 6

# --- fit analysis: where the draped cloth's girth is measured ------------------------------------------
# A draped garment's girth at a zone counts its cloth crossing the zone's plane within this distance
# (in the plane) of the body's own cross-section: farther crossings belong to other parts of the garment
# (the other sleeve, a flared hem the plane grazes); loose cloth hangs well within it.
ZONE_NEIGHBOURHOOD_M = 0.10
# A body plane this close to the garment's top or bottom edge counts as not reached by the garment.
ZONE_PLANE_BAND_M = 0.01
# Without the garment's faces, its edges are taken as each vertex's this many nearest neighbours (a
# triangle mesh's vertex has about six).
ZONE_FALLBACK_NEIGHBOURS = 6
