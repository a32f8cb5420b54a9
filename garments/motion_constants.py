"""Tolerances and limits of clothes in motion (``garments.motion``, ``garments.movement``), named once."""

# Skin vertices whose skinning weights a garment vertex blends: 4 smooths the seams between bones
# (a single nearest vertex lets cloth over the groin or armpit tear between thigh and pelvis).
MOTION_SKIN_NEIGHBOURS = 4

# Solver iterations settling a posed garment: the drape's own 24 (garments.drape_constants). Half as
# many leaves no cloth inside the body either, but not settled: slim chino 54's seat sitting shows 8 %
# strain after 12, 6 % after 24.
MOTION_RELAX_ITERATIONS = 24

# A zone's strain is this percentile of its vertices' stretch: the band that pulls, not one seam sliver.
MOTION_ZONE_STRAIN_PERCENTILE = 90

# The cloth solver's strain includes what seams and skin sliding under the cloth take up in a real
# garment: the catalog's garments in their advised size strain up to 5 % standing (slim chino 48 on the
# reference woman: 4-5 % at the seat). A pose is judged against the fabric's stretch limit plus this.
MOTION_ALLOWANCE = 0.05

# A zone stretched beyond this share of that limit is "near its limit" (tight), and beyond the whole
# limit "too tight"; below COMFORT_SHARE of it the pose is comfortable.
NEAR_LIMIT_SHARE = 0.8
COMFORT_SHARE = 0.5

# Posed skin vertices whose bones the posed body's field tries for each point (garments.posed_sdf):
# enough to reach a second body part where two touch, few enough to keep a look-up cheap.
POSED_FIELD_CANDIDATES = 4
