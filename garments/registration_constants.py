"""Tolerances of garment registration (finding the pose and place a garment was authored in), metres and degrees."""

# A vertex belongs to a sleeve when it lies this far outside the torso's half-width (the torso's
# narrowest slab below the shoulders), metres: clear of the side seam, inside any sleeve.
SLEEVE_CLEAR_OF_TORSO_M = 0.03
# Sleeves hang at most this far below the garment's top (a long sleeve at 45 degrees reaches about
# 0.35 m below the collar of a 1.7 m body), metres; lower wide cloth is a skirt, not a sleeve.
SLEEVE_MAX_DROP_M = 0.45
# The inner part of that cloth (this fraction of its x-span) is skipped: there a steep A-pose sleeve
# merges with the chest and the armpit, whose sections would flatten the axis.
SLEEVE_INNER_SKIP = 0.4
# Bins along a sleeve (or leg) whose cross-section midpoints trace its axis, metres, and the fewest
# bins and vertices per bin that make a line worth trusting.
AXIS_BIN_M = 0.03
AXIS_MIN_BINS = 3
AXIS_MIN_VERTICES_PER_BIN = 4
# Passes re-cutting a sleeve across its own axis (two settle a 45 degree sleeve to a degree or so).
AXIS_REFINE_PASSES = 3
# Sections this fraction of the sleeve's length from either end are left out of a pass: the inner end
# is cut slantwise (by the torso's x-limit), so its sections are partial.
AXIS_END_TRIM = 0.2
# A limb is left in the reference body's rest pose when the garment's limb is within this angle of it,
# degrees (the binding would only add noise).
REST_ANGLE_TOLERANCE_DEG = 6.0
# Arm angles accepted from straight down (0) through the T-pose (90) to a little above, degrees;
# ``pose="a"`` keeps the found angle within the A-pose range.
ARM_ANGLE_RANGE_DEG = (0.0, 100.0)
A_POSE_RANGE_DEG = (20.0, 70.0)
T_POSE_ARM_DEG = 90.0
# Steps of the table from a sleeve's surface angle to the arm bone's angle, degrees.
SLEEVE_TABLE_STEP_DEG = 10.0
# Entries where the skin reads this far from the bone are dropped (an arm straight down merges with the side).
SLEEVE_TABLE_MAX_GAP_DEG = 40.0
# Legs spread at most this far from straight down, degrees (a wide legs-apart stance).
LEG_ANGLE_MAX_DEG = 35.0
# A leg bin counts as below the crotch when its side's cloth stays this far off the centre line, metres.
LEG_GAP_M = 0.01
# Leg tubes are traced over the lower part of a bottom (this fraction of its height from the hem).
LEG_SPAN_FRACTION = 0.6
# Skin vertices whose skinning weights are averaged for each garment vertex (smooths the seams
# between bones at the armpit and the crotch).
BIND_NEIGHBOURS = 4
# Where garments hang from: a bottom's waistband this far below the body's waist level, metres
# (as ``place_on_body``'s anchor) ...
WAISTBAND_BELOW_WAIST_M = 0.02
# ... a sleeved top's collar (its highest point within this half-width of the centre line: the back neck)
# this far above the neck joint (a crew neck made 2 cm off a body's skin sits 1.5 cm above it) ...
COLLAR_HALF_WIDTH_M = 0.06
COLLAR_ABOVE_NECK_M = 0.02
# ... and centred front to back on the torso this far below the collar (the chest), metres.
CHEST_BELOW_COLLAR_M = 0.15
# Not clothing: deeper front to back than this many times its width (a shoe, a boot) ...
MAX_DEPTH_TO_WIDTH = 1.25
# ... or closed on its vertical axis in the top 15 % of its height (a hat's crown, a solid object; a
# trouser crotch lies lower, at most about 80 % up even in shorts):
# clothing worn on the body is open at the top (a collar, a waistband).
CLOSED_TOP_FRACTION = 0.85
# The nudges a designer may give: height offset, centimetres, and scale.
OFFSET_CM_RANGE = (-50.0, 50.0)
SCALE_RANGE = (0.5, 2.0)
# Fitting the reference body inside the garment (``garments.body_fit``): the scale it may take, one for
# height and girth (a sleeve or a trouser leg is a tube, whose clearance says little of where along it the
# elbow or knee is, so the height follows the girth; full-length trousers take it from their inseam);
# 0.85-1.2 is a body of 1.39-1.96 m for the 1.63 m reference woman ...
FIT_SCALE_RANGE = (0.85, 1.2)
# ... how far it may move up or down against the landmark placement, metres: a little for a top hung
# from its collar, more for a bottom (a low-rise waistband sits at the hip, a high one above the navel) ...
FIT_LIFT_TOP_M = (-0.03, 0.03)
FIT_LIFT_BOTTOM_M = (-0.10, 0.15)
# ... a bottom's search starting with the body's crotch this far above the garment's crotch seam and going
# this far either way, metres ...
CROTCH_EASE_M = 0.02
FIT_LIFT_SEARCH_M = 0.06
# ... never so far that the waistband comes closer than this above the plane the fit's tape measures
# the hip in (``garments.fit.zone_planes``), metres: a low-rise pair still goes round the hip ...
WAISTBAND_OVER_HIP_M = 0.03
# ... the clearance under which cloth counts as too close (half a fabric thickness and the skin's
# vertex spacing), metres, and how much more a millimetre too close weighs than a millimetre of uneven ease ...
FIT_CLEARANCE_MIN_M = 0.004
FIT_PENETRATION_WEIGHT = 4.0
# ... and the search: garment points sampled, every this-many-th skin vertex posed (about 4,600 of the
# 13,700: 1.5 cm apart), evaluations (each poses that sample once, about 10 ms) and the step (scale fraction
# or metres) at which it stops.
FIT_SAMPLE_POINTS = 1500
FIT_SKIN_STRIDE = 3
FIT_MAX_EVALUATIONS = 60
FIT_STEP_TOLERANCE = 0.005
# A bottom is fitted by its crotch only when its legs reach at least this far below it, metres (the
# shortest shorts' inseam is about 5 cm more); a skirt's centre line runs to its hem.
LEG_MIN_LENGTH_M = 0.1
