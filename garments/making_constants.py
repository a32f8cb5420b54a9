"""Garment making's measures, named once: fabric thickness, clearances off the skin, and how tops, bottoms and
skirts are cut and eased (``garments.patterns_make``). Metres unless a name says otherwise."""

import numpy as np

TAU = 2.0 * np.pi
# Fabric thickness used for folds and bands, metres (a mid-weight cotton, doubled at folds).
FABRIC_M = 0.003
# Boundary loops shorter than this after a cut are pinholes, not openings of the garment.
PINHOLE_MAX = 16
# No generated garment vertex comes closer to the skin than this, metres.
MIN_CLEARANCE_M = 0.004
# A hem edge stays this far off the skin so its turned-in layer (a fabric thickness inside) clears it.
HEM_CLEARANCE_M = MIN_CLEARANCE_M + FABRIC_M
# After finishing (folds and bands add inner layers) no vertex is closer to the skin than this, metres
# (small: pushing an inner hem layer further would poke it through the outer one).
FINAL_CLEARANCE_M = 0.0005

# A hull table (``garments.easing.HullTable``) reaches this far beyond the heights the cloth spans.
HULL_TABLE_MARGIN_M = 0.02

# ---------------------------------------------------------------- tops

# The neckline's back cut stays this far under the neck joint, so the collar sits at the base of the neck.
NECK_CUT_BELOW_JOINT_M = 0.005
# A cut vertex counts as sleeve (weight 1) within SLEEVE_WEIGHT_OUTER_R_M - SLEEVE_WEIGHT_BLEND_R_M of an
# arm axis, as body (weight 0) beyond SLEEVE_WEIGHT_OUTER_R_M; along the arm the weight grows from the
# shoulder joint over SLEEVE_WEIGHT_BLEND_T_M. In between the armhole blends the two.
SLEEVE_WEIGHT_OUTER_R_M = 0.12
SLEEVE_WEIGHT_BLEND_R_M = 0.04
SLEEVE_WEIGHT_BLEND_T_M = 0.06
# The torso's hull table reaches this far past the shoulder joints sideways, from HULL_TABLE_MARGIN_M under
# the hem to TOP_HULL_ABOVE_SHOULDER_M over the shoulder level.
TOP_HULL_PAST_SHOULDER_M = 0.02
TOP_HULL_ABOVE_SHOULDER_M = 0.08
# Cloth this far above the armpit level still bridges, offsets and hangs as torso.
TORSO_ABOVE_ARMPIT_M = 0.02
# Ease over the shoulders and sleeve heads when a pattern gives none, cm of circumference.
DEFAULT_SHOULDER_EASE_CM = 2.0
# A top hangs from the widest level at or above this far over the chest level (the bust, the shoulder blades).
HANG_ABOVE_CHEST_M = 0.04
# The upper arm's radius is taken this far along the arm from the shoulder joint (the biceps).
BICEP_ALONG_ARM_M = 0.1
# A sleeve narrows by this share of its radius from the shoulder to SLEEVE_TAPER_LENGTH_M along the arm.
SLEEVE_TAPER = 0.25
SLEEVE_TAPER_LENGTH_M = 0.6
# Taubin smoothing passes over an eased top (its edges held).
TOP_SMOOTHING_ITERATIONS = 20
# How far a shirt's button placket and a jacket's zip placket stand out down the centre front.
PLACKET_HEIGHT_M = {"shirt": 0.0025, "outerwear": 0.004}

# ---------------------------------------------------------------- bottoms and skirts

# Body sections are taken within this of the midline (sideways), and from a slab this thick each side of
# their height.
SECTION_HALF_WIDTH_M = 0.3
SECTION_SLAB_HALF_M = 0.012
# Bottoms and skirts leave out the skin within this of an arm's axis (the hands hang beside the hips).
ARM_LEFT_OUT_RADIUS_M = 0.06
# Ease around the thighs when a pattern gives neither a thigh nor a hip ease, cm of circumference.
DEFAULT_THIGH_EASE_CM = 4.0
# Below this height over the crotch level a bottom's cloth turns from hips into legs, fully so
# HIPS_TO_LEGS_BLEND_M lower.
HIPS_TO_LEGS_ABOVE_CROTCH_M = 0.02
HIPS_TO_LEGS_BLEND_M = 0.06
# The hips' hollows are bridged fully from this far over the crotch level, fading out below.
HIP_BRIDGE_FADE_M = 0.04
# Cloth up to this far over the crotch level belongs to a leg's tube.
LEG_TUBE_ABOVE_CROTCH_M = 0.05
# Taubin smoothing passes over eased bottoms and skirts (their edges held).
BOTTOM_SMOOTHING_ITERATIONS = 8
SKIRT_SMOOTHING_ITERATIONS = 6
# Leggings sit closer to the skin than other garments (MIN_CLEARANCE_M).
LEGGINGS_CLEARANCE_M = 0.003
# A skirt (a dress's too) follows the body down to this far over the hip level, then hangs as a tube made
# of rings this far apart, each clear of the legs' convex hull by SKIRT_LEG_CLEARANCE_M.
SKIRT_TUBE_ABOVE_HIP_M = 0.03
SKIRT_RING_STEP_M = 0.025
SKIRT_LEG_CLEARANCE_M = 0.02

# A shirt collar's stand (its height up the neck) and fall (how far it comes down over the garment), and a
# jacket's; the fall lies this far out over the stand and the garment, about two fabric thicknesses.
COLLAR_STAND_M = 0.035
COLLAR_LEAF_M = 0.045
COLLAR_STAND_OUTER_M = 0.045
COLLAR_LEAF_OUTER_M = 0.07
COLLAR_FALL_OFFSET_M = 0.006
# Rounds of neighbour averaging of the direction the collar's fall runs in across the neckline.
COLLAR_FALL_SMOOTHING = 20
# The collar's rings from this one on are its fall; it lies off the skin by the garment under it and itself.
COLLAR_FALL_FIRST_RING = 4
COLLAR_FALL_CLEARANCE_M = MIN_CLEARANCE_M + 2 * FABRIC_M
