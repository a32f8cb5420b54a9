"""Garment making's measures, named once: fabric thickness, clearances off the skin, and how a top is cut and
eased (``garments.patterns_make``). Metres unless a name says otherwise."""

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

# ---------------------------------------------------------------- tops

# The neckline's back cut stays this far under the neck joint, so the collar sits at the base of the neck.
NECK_CUT_BELOW_JOINT_M = 0.005
# A cut vertex counts as sleeve (weight 1) within SLEEVE_WEIGHT_OUTER_R_M - SLEEVE_WEIGHT_BLEND_R_M of an
# arm axis, as body (weight 0) beyond SLEEVE_WEIGHT_OUTER_R_M; along the arm the weight grows from the
# shoulder joint over SLEEVE_WEIGHT_BLEND_T_M. In between the armhole blends the two.
SLEEVE_WEIGHT_OUTER_R_M = 0.12
SLEEVE_WEIGHT_BLEND_R_M = 0.04
SLEEVE_WEIGHT_BLEND_T_M = 0.06
# The torso's hull table reaches this far past the shoulder joints sideways, from this far under the hem
# to TOP_HULL_ABOVE_SHOULDER_M over the shoulder level.
TOP_HULL_PAST_SHOULDER_M = 0.02
TOP_HULL_MARGIN_M = 0.02
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
