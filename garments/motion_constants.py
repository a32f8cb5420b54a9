"""Tolerances and limits of clothes in motion (``garments.motion``, ``garments.movement``), named once."""

# Skin vertices whose skinning weights a garment vertex blends: 4 smooths the seams between bones
# (a single nearest vertex lets cloth over the groin or armpit tear between thigh and pelvis).
MOTION_SKIN_NEIGHBOURS = 4

# A top's vertex that the trunk alone would carry this deep into the posed body (the hem into the thighs when
# sitting) follows all the skin next to it, legs included (garments.cloth_skinning.buried_follow_legs); shallower, a
# share of it. The share spreads this many rings of the mesh around, halving each ring or so.
MOTION_BURIED_DEPTH_M = 0.01
MOTION_BURIED_SWEEPS = 6
# A thigh raised this far from hanging down makes a lap (sitting: 90 deg; mid-stride 25 deg, bending 0): a top's
# cloth it buries follows that thigh's own skin onto it. Elsewhere the buried cloth follows all the skin next
# to it: the thigh's own skin then moved a bent-over trunk's hem or a raised arm's armhole the wrong way
# (bending, 8 -> 12 of 96 recommended sizes with skin in view, up to 424 px; reaching 0 -> 8).
MOTION_LAP_THIGH_DEG = 60.0

# Solver iterations settling a posed garment: the drape's own 24 (garments.drape_constants). Half as
# many leaves no cloth inside the body either, but less settled: slim chino 54 sitting on the reference
# woman reads 4.5 % at the hip after 12, 4.3 % after 24 (garments.worn_strain).
MOTION_RELAX_ITERATIONS = 24
# Iterations settling a walk loop's frame that starts from the frame before (garments.motion.walk_loop_outfit):
# the bones move a sixteenth of a stride between frames, so the cloth starts nearly settled.
MOTION_FRAME_ITERATIONS = 8

# The cloth solver's strain includes what seams and skin sliding under the cloth take up in a real
# garment: the catalog's garments in their advised size strain up to 5 % standing (slim chino 48 on the
# reference woman: 3.3 % at the hip at the 90th percentile, 1.9 % at the 75th; 46: 7.2 % and 3.8 %).
# A pose is judged against the fabric's stretch limit plus this, and the fit map draws the strain beyond it
# (app.render.content.drawn_strain), standing and in every pose.
MOTION_ALLOWANCE = 0.05

# A zone stretched beyond this share of that limit is "near its limit" (tight), and beyond the whole
# limit "too tight"; below COMFORT_SHARE of it the pose is comfortable.
NEAR_LIMIT_SHARE = 0.8
COMFORT_SHARE = 0.5

# Posed skin vertices whose bones the posed body's field tries for each point (garments.posed_sdf):
# enough to reach a second body part where two touch, few enough to keep a look-up cheap.
POSED_FIELD_CANDIDATES = 4
# They are found once per cube of this edge (for its centre) and kept for the pose (garments.cell_neighbours):
# settling cloth reads the field at nearly the same points every iteration, and a k-d tree query per
# look-up was half its cost. 6 mm, under a skin edge (7 mm): a point's candidates are its cell centre's,
# at most 5.2 mm away; against the posed body's own field the errors are those of a query per point
# (4, 6 and 8 mm tried on a tee and chinos sitting, reaching and bending: medians and 90th percentiles
# within 0.1 mm, 99th within 0.5 mm). The grid over the posed body's box plus the field's margin has
# 5-14 M cells (20-58 MB of int32, bending to walking), but only the pages of cells the cloth reaches are
# ever written (the grid is allocated zeroed), so a pose takes a few MB of it.
POSED_FIELD_CELL_M = 0.006
# A candidate whose inverse transform takes a point within this of where the nearest candidate's takes it
# reads the same (the field changes by at most this much) and is not looked up again.
POSED_FIELD_SAME_M = 0.0003

# The face contact pass in a pose checks readings of the carried field from this far inside the skin up
# to its clearance against the posed skin's triangles (garments.posed_sdf.surface_checked): the carried
# field reads up to 11 mm too near where a crease opens, so a point really outside can read 9 mm inside.
POSED_SURFACE_CHECK_M = 0.012
# Skin vertices nearest to a point whose triangles it is checked against: the closest skin point of any
# point this near the skin lies on one of them (skin edges are about 7 mm).
POSED_SURFACE_VERTICES = 4

# Where a pose brings skin together that was apart at rest (a heavy belly onto the thighs sitting or bending,
# garments.posed_folds), the posed body's own field is built. Skin vertices within POSED_FOLD_TOUCH_M of each
# other in the pose and more than POSED_FOLD_APART_M apart at rest mark such a fold (the body's vertices are
# 5-15 mm apart, so skin apart by 5 cm at rest was never next to each other; neighbours across the groin's
# crease standing are closer). A reference-sized or heavy woman sitting: 80-90 such vertices; reaching 0-4
# (the arms by the head), walking none. The other way round, skin within POSED_FOLD_TOUCH_M at rest and more
# than POSED_FOLD_APART_M apart in the pose marks a gap the pose opens: thighs that press together standing,
# a stride apart walking (a heavy woman, 165 cm, 120/110/125: the crotch and both armpits).
POSED_FOLD_TOUCH_M = 0.012
POSED_FOLD_APART_M = 0.05
# The box around a fold's skin in which the posed field is read: cloth that the pose carries into the fold
# lies within a few centimetres of it.
POSED_FOLD_PAD_M = 0.03
# The box's grid reaches this far beyond it, so that distances to the skin just outside the box are exact
# inside it (garments.sdf.build_sdf keeps the faces at least its band's reach, 32 mm, inside the grid).
POSED_FOLD_MARGIN_M = 0.06
# Folds whose touching skin lies within a cell of this edge of each other share a box (both sides of the lap).
POSED_FOLD_CELL_M = 0.06

# A top rides up when the arms are raised (garments.ride_up): its trunk is lifted by this share of how far the
# underarm seam rises relative to the trunk. The seam is the cloth following the arms by a share between these
# two (the armhole), the underarm its lowest quarter at rest.
RIDE_UP_SHARE = 0.6
RIDE_UP_SEAM_SHARES = (0.3, 0.7)
RIDE_UP_UNDERARM_QUANTILE = 0.25

# Rounds of averaging a garment's skinning weights with its mesh neighbours (garments.cloth_skinning.smooth_skinning).
MOTION_SMOOTH_SWEEPS = 12
# Skin whose edges the pose stretches or squeezes by more than this share (round a joint bent far: the armpit
# of a raised arm, the hip bending) is blended between bones, and the field carried through its blended
# transforms reads cloth there up to 25 mm too deep (a tee's armhole reaching): its own field is built too.
POSED_FOLD_STRETCH = 0.5

# Sitting, a top's cloth between the thighs lies on a column filling the gap up to this far under the thighs'
# tops (garments.lap_bridge): it sags a little between them. The tops are this percentile of how high the
# skin of the middle 40 % of the thighs lies over their axes; the column reaches this share of the way from
# the hips to the knees. Over the 40 survey bodies sitting (bench_showthrough.py --pose sit), recommended
# sizes that fit with skin in view 25 -> 20 of 229, over 5 px 5 -> 0 (crew tee XS on body 40: 192 -> 0 px).
LAP_BRIDGE_SAG_M = 0.01
LAP_THIGH_TOP_PERCENTILE = 95
LAP_BRIDGE_THIGH_SHARE = 0.85

# A pose whose hips flex to this angle or less between the thighs and the trunk (bending 103 deg, sitting 90;
# standing 174) closes a crease between the belly and the thighs' front that a top's cloth bridges
# (garments.hip_crease): a wedge from where the two meet, this deep along both. They meet where the lines
# at this percentile of the skin's offset in front of the thighs' and the lower trunk's axes cross. Bending,
# the crew tee XS of survey body 33 showed 25 px of skin from the side; with percentile 95 (the outermost
# skin) and 6 cm still 25, 75 and 6-15 cm 18-25, 85 and 10 cm 16, 65 and 12 cm 0. With 65 and 12 cm, 13
# recommended sizes of tops on 7 bodies that showed 6-26 px from the side show none from the side.
HIP_CREASE_MAX_DEG = 130.0
HIP_CREASE_SKIN_PERCENTILE = 65
HIP_CREASE_DEPTH_M = 0.12
# A bottom's front (trousers, shorts, leggings, skirts) lies across the same crease on a wedge this deep, so
# a top's cloth over it keeps outside it. Bending, the slim chino's waistband went down into the crease
# under a heavy belly (52 on survey bodies 11 and 21: 31 and 28 px of belly skin within 1.5 cm in front of
# the band). Over the 40 survey bodies bending, recommended bottoms with skin in view, with no wedge / 6 /
# 9 / 12 cm: 18 / 8 / 9 / 6 of 160; of them where a size fits, 4 / 1 / 0 / 0; over 0.2 % of the garment's
# pixels 3 / 0 / 1 / 0. At 12 cm the chino's band poked through a crew tee over it at the crease (the same
# wedge put both on one surface); at 9 cm the tee lies over it.
HIP_CREASE_BOTTOM_DEPTH_M = 0.09
