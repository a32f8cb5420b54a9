"""Tolerances and limits of clothes in motion (``garments.motion``, ``garments.movement``), named once."""

# Skin vertices whose skinning weights a garment vertex blends: 4 smooths the seams between bones
# (a single nearest vertex lets cloth over the groin or armpit tear between thigh and pelvis).
MOTION_SKIN_NEIGHBOURS = 4

# A top's vertex that the trunk alone would carry this deep into the posed body (the hem into the thighs when
# sitting) follows all the skin next to it, legs included (garments.motion.buried_follow_legs); shallower, a
# share of it. The share spreads this many rings of the mesh around, halving each ring or so.
MOTION_BURIED_DEPTH_M = 0.01
MOTION_BURIED_SWEEPS = 6

# Solver iterations settling a posed garment: the drape's own 24 (garments.drape_constants). Half as
# many leaves no cloth inside the body either, but not settled: slim chino 54's seat sitting shows 6.5 %
# strain after 12, 5.1 % after 24 (75th percentile).
MOTION_RELAX_ITERATIONS = 24
# Iterations settling a walk loop's frame that starts from the frame before (garments.motion.walk_loop_outfit):
# the bones move a sixteenth of a stride between frames, so the cloth starts nearly settled.
MOTION_FRAME_ITERATIONS = 8

# A zone's strain is this percentile of its vertices' stretch: the quarter of the zone that pulls most, a
# band, not one crease. Sitting, every size of a trouser pulls where the cloth bridges a fold of the body:
# slim chino 54 on the reference woman (ease +9.4 cm at the seat, the seat's edges 5.8 % shorter in all
# than at rest) has 14 of its 145 seat vertices above 6.4 %: the lowest back row under the buttocks
# (5 vertices, 22-37 %) and a patch in front of the hip joints (8-10 %). The 90th percentile is the 15th
# vertex, so it reads those spots (6.4 %, on the "near the limit" line); the 75th reads 5.1 %. Size 46
# reads 19 % (25 % at the 90th: its whole seat stretches, median 11 %).
MOTION_ZONE_STRAIN_PERCENTILE = 75

# The cloth solver's strain includes what seams and skin sliding under the cloth take up in a real
# garment: the catalog's garments in their advised size strain up to 5 % standing (slim chino 48 on the
# reference woman: 4 % at the seat at the 90th percentile, 2.6 % at the 75th; 46: 10 % and 5.4 %).
# A pose is judged against the fabric's stretch limit plus this.
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
