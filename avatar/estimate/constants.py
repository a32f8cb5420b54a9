"""Tolerances and limits of the photo estimate, each named once with the reason for its value."""

from avatar.measurements import MEASUREMENTS, STATURE_RANGE_CM

# --- the shopper's input ---------------------------------------------------------------------
HEIGHT_RANGE_CM = tuple(map(float, STATURE_RANGE_CM))  # the avatar's stature range; the calibration covers it
WEIGHT_RANGE_KG = (float(MEASUREMENTS["body_mass"].low), float(MEASUREMENTS["body_mass"].high))  # the avatar's body_mass range

# --- silhouette features -----------------------------------------------------------------------
# Levels (fractions of the silhouette's height, from the floor) at which widths and depths are read.
# Every 2 % of stature: finer than any landmark moves between bodies, coarse enough that a level band
# covers several image rows even on a 480-pixel webcam frame.
N_LEVELS = 49
LEVEL_LOW, LEVEL_HIGH = 0.02, 0.98
N_TORSO_LEVELS = 12  # levels spaced from the crotch to just above the armpits: follow each body's own proportions
LEVEL_BAND = 0.004  # half-height of the band of rows averaged per level (fraction of height): smooths pixel steps
# The crotch landmark is where the gap between the legs is 3.5 % of the height wide, interpolated along
# a line through the gap's widths between 2.5 and 4.5 %: the gap's narrow top (a pixel-wide sliver
# between touching thighs, or a plateau a few pixels wide) moves with every pixel of the outline.
CROTCH_GAP_FIT = (0.025, 0.045)
CROTCH_GAP_WIDTH = 0.035
# ... and the armpit landmark where the gaps between the arms and the torso are 1.5 % of the height wide
# (fitted between 0.8 and 2.5 %), below the apex where the arm leaves the torso.
ARMPIT_GAP_FIT = (0.008, 0.025)
ARMPIT_GAP_WIDTH = 0.015
# The hand reaches this share of the forearm's length beyond the wrist (the arm's end when arms are
# taken off the front silhouette, ``features.remove_arms``): a hand is 10-11 % of stature, the forearm 14-15 %.
HAND_EXTENSION = 0.75
TORSO_AXIS_BAND = (0.50, 0.72)  # rows (fractions of height) whose centre gives the body's vertical axis

# --- segmentation ----------------------------------------------------------------------------
PLATE_BLUR_PX = 3  # Gaussian blur (odd, pixels at the working size) before differencing: hides sensor noise and JPEG blocks
PLATE_MIN_DISTANCE = 18.0  # colour distance (Lab units) a pixel needs to seed the person (weaker ones join when connected)
PLATE_NOISE_FACTOR = 6.0  # weak threshold: this many robust standard deviations of the image-plate difference
# Near the outline a pixel is the person's when its plate distance reaches this fraction of the largest
# distance around it; 0.4 rather than the step's middle (0.5) because shading inside the body raises the
# local maximum above the edge's own contrast (measured: silhouette area within 1 % of the truth).
EDGE_MIDPOINT = 0.4
MORPH_FRACTION = 0.006  # opening/closing kernel as a fraction of the image height: removes specks and fills pinholes
WORK_HEIGHT_PX = 1100  # images taller than this are reduced for segmentation (accuracy gains stop here, time grows)
PLATE_LOW_DISTANCE = 7.0  # Lab units: below this a pixel never differs from the plate (JPEG noise)
# Cast shadows on the floor (contact shadows under the feet) and on the wall differ from the background
# by lightness only: a pixel whose brightness is this fraction of the background's and whose chromaticity
# (normalised RGB) is within SHADOW_CHROMA_TOL of it is a shadow. 0.3: contact shadows of rendered and
# real photos keep 45-90 % of the floor's brightness, black shoes and trousers keep less than 30 %;
# 0.025: skin is 0.06-0.10 away from a grey floor, JPEG chroma noise of a shadow stays under 0.02.
SHADOW_RATIO_RANGE = (0.3, 1.02)
SHADOW_CHROMA_TOL = 0.025
SHADOW_LEG_CHROMA_SHARE = 0.5  # ...and at most half the legs' own chromaticity distance (pale skin: 0.03-0.04)
# Shadow pixels are dropped from the person only near the floor: in the silhouette's lowest part
# (feet and ankles, where a floor shadow joins the body, and the far foot of a side view seen from above) ...
FLOOR_ZONE_FRACTION = 0.13
# ... and only when unlike the legs' own colour (Lab distance to the median colour of the legs between
# these fractions of the silhouette's height above its lowest row): grey trousers are not a shadow.
LEG_COLOUR_BAND = (0.16, 0.28)
SHADOW_LEG_DISTANCE = 20.0
SHADOW_NOISE_SUM = 360.0  # R+G+B below which the chromaticity distance is scaled down (noise grows as 1/brightness)
SHADOW_PASSES = 3  # repeated while the lowest row rises: a long shadow first stretched the zone's reference height
# Holes in the person's mask up to this size (side of a square, as a fraction of the silhouette's height)
# are specks and are filled; larger ones are background seen through a gap (arm against the hip), which
# measured 8-20 px across on a 600-px silhouette, where specks of sensor and JPEG noise stay under 4 px.
SPECK_SIZE_FRACTION = 0.008
PERSON_MIN_HEIGHT_FRACTION = 0.35  # a component shorter than this fraction of the tallest one is not a second person
PERSON_MIN_AREA_FRACTION = 0.004  # components smaller than this fraction of the image are noise

# --- checks ------------------------------------------------------------------------------------
EDGE_MARGIN_PX = 2  # a silhouette touching the frame within this margin is cut off
# A person filling less than this share of the picture's height stands too far away, however large the photo
# (the capture asks for the whole body filling most of the frame; home scenes fill 55-85 %).
MIN_PERSON_FRAME_FRACTION = 0.3
MIN_PERSON_HEIGHT_PX = 200  # below this a pixel is more than ~1 cm of the body: too far or too small an image
MAX_PERSON_HEIGHT_FRACTION = 0.96  # taller than this and the head or feet are at the edge: too close
# The nose's height over the shoulders, as a share of the shoulders' over the ankles, below which the head
# is cut off (about 0.14 on adults: nose at 93 %, shoulders 82 %, ankles 4 % of the stature; 0.14-0.19 on
# home-scene photos, front and side). A home-scene photo cut at the neck read 0.046, its person mask 3 px
# below the frame's top and every head landmark inside the frame.
MIN_HEAD_SHARE = 0.07
MIN_MARGIN_FRACTION = 0.015  # head and feet need at least this free margin above and below (fraction of frame height)
MIN_BRIGHT_LUMA = 60.0  # 95th-percentile brightness (0-255) below which the photo is too dark (a dark wall alone is fine)
MIN_PERSON_LUMA = 25.0  # ...and of the person (lower: dark skin and dark clothes in good light stay usable)
MIN_PERSON_AREA_FRACTION = 0.01  # less foreground than this: nobody in the photo
# Silhouette heights (as fractions of the image height), front / side, from the same spot: 1.010-1.054
# on 60 rendered bodies and cameras (the toes reach towards the camera in the front view); feet lost
# against a floor of skin colour gave 0.95 and 0.42 ...
FRONT_SIDE_HEIGHT_RANGE = (0.99, 1.08)
# ... and those silhouettes end without feet: the widest of the lowest 3 % of rows over the narrowest
# between 3 and 12 % (the ankles) is 1.53-2.32 in front views and 2.5-3.5 in side views, 1.0-1.06
# where the feet were lost.
FEET_ZONE = 0.03
ANKLE_ZONE = (0.03, 0.12)
FEET_MIN_SPREAD = 1.3
FEET_LANDMARK_TOLERANCE = 0.02  # outline ending this share of the height above the foot landmarks: feet lost
# From the same spot the front view's feet stand this share of its silhouette's height lower in the picture
# than the side view's (0.6-2.2 %, mean 1.3 % on 12 rendered home scenes, bench_estimate --home --seed 11):
# where one photo's feet are lost, they are drawn down to the other's floor row (``lost_feet``).
FRONT_FEET_BELOW_SIDE = 0.013

# --- uncertainty ---------------------------------------------------------------------------------
# The photo's own error (outline, pose, camera), in cm, added in quadrature to the calibration residual:
# on 40 rendered bodies 55-97 % of the errors then fell within the stated uncertainty (ankle 55 %; with
# the residual alone times 1.25, the ankle's was 33 %: the outline's error weighs most on thin limbs).
PHOTO_OUTLINE_UNCERTAINTY = 1.0
WARNING_UNCERTAINTY_FACTOR = 1.25  # each photo warning inflates the uncertainty by this factor
# The stated uncertainty is one standard deviation's worth: this share of errors falls within it (the
# share of a normal distribution within one standard deviation). Each zone's factor on the base
# uncertainty is fitted so that home-scene errors do (``uncertainty.fit_zone_factors``).
UNCERTAINTY_COVERAGE = 0.6827
# Zones whose ± is calibrated together: measurements whose errors on home scenes, over their base
# uncertainty, came out alike. The torso's girths are apart: with one torso factor the chest's errors
# fell 38 % within the ± and the hip's 71 % (the held-arms chest model's residual is the least like its
# photo error); the arms' girths and lengths likewise.
UNCERTAINTY_ZONES = {
    "chest": ("chest_girth", "underbust_girth"),
    "waist": ("waist_girth",),
    "hips": ("hip_girth",),
    "neck": ("neck_girth",),
    "shoulders": ("shoulder_breadth",),
    "arm girths": ("upper_arm_girth", "wrist_girth"),
    "arm length": ("arm_length",),
    "inside leg": ("inside_leg_height",),
    "leg girths": ("thigh_girth", "calf_girth", "ankle_girth"),
    "mass": ("body_mass",),
}

# --- learned models (avatar.estimate.models) ----------------------------------------------------
POSE_CROP_MARGIN = 1.25  # the landmark model's square crop is this many times the person's box (MediaPipe's own ROI margin)
PERSON_MIN_SCORE = 0.5  # the landmark model's person score below which a crop shows no person
POSE_PASSES = 3  # landmark model runs on the first person: the coarse box, then boxes from its own answer ...
POSE_BOX_SETTLED = 0.85  # ... until the new box overlaps the last this much (intersection over union)
POSE_BOX_PAD = 0.03  # the box around the landmarks and mask is widened by this share of its height
# Beside the person found, a part of the frame wider than this share of their height may hold someone the
# coarse person map missed (hands touching theirs, or squeezed in a wide frame): the landmark model looks there.
BESIDE_MIN_WIDTH = 0.3
# ... and counts one there only at this score or more: with the frame's side alone to look at, the model gave
# a coat stand beside a person 0.65 (a second person whose hand touched the first's scored 1.00).
BESIDE_MIN_SCORE = 0.9
BESIDE_PAINT_MARGIN_PX = 7  # the person found is painted over this far beyond their mask before looking beside
# A candidate beside the first person whose legs (hip-knee-ankle) are shorter than this many times its torso
# (shoulders' to hips' midpoint) has no standing person's skeleton: real people in home scenes gave 1.32-1.82
# (93 reads scored over 0.9: every front, side and two-people photo of seeds 11 and 13) and 1.33-1.83 (seed
# 29's two-people photos); a pot plant scored 0.98 as a person gave 1.02, a second person the model read from
# a crop holding both people 1.10, leaves of a plant 0.32 ...
MIN_LEG_TORSO_RATIO = 1.2
# ... so it is read again alone: the photo blacked out beside the columns of its own box, in a box over the
# first person's rows (a person standing in the room). The plant then scored 0.012, the leaves 0.002 and the
# second person 1.000, standing 736 px tall beside the first one's 738; it counts at PERSON_MIN_SCORE or more.
MAX_PEOPLE_CHECKED = 4  # candidate regions of the coarse person map given to the landmark model (tallest first)
# With a background plate the outline may move this many of the landmark model's mask cells (a crop of the
# person resized to 256 px) towards where the photo differs from the plate: the learned mask's edge is
# within about a cell of the true one (measured: 2.2-2.7 px mean width error per row at 3.4-4.2 px per cell).
PLATE_BAND_CELLS = 0.5
# Regularisation of the guided filter that sharpens the learned mask (brightness in [0, 1]): edges of less
# contrast than about sqrt(0.01) = 0.1 are smoothed over rather than followed (JPEG noise, shading).
GUIDED_FILTER_EPS = 1e-2

# --- checks from the landmarks -----------------------------------------------------------------
MIN_LANDMARK_PRESENCE = 0.5  # a head, foot or wrist landmark less likely than this to be in the image: cut off
# A silhouette touching a side of the frame while both wrists lie at least this share of the person's height
# inside it has only a hand cut off (a hand is about 0.11 of the height): the photo is measured, with a warning.
WRIST_MIN_EDGE_FRACTION = 0.03
# Distance across the shoulders over the person's height (``checks.shoulder_width``): rendered bodies give
# 0.19-0.21 facing the camera, -0.20 from behind and under 0.06 from the side.
FRONT_MIN_SHOULDER_WIDTH = 0.10  # a front photo narrower than this is a side view; below minus this, a back view
SIDE_MAX_SHOULDER_SHARE = 0.5  # a side photo's shoulders wider than this share of the front's: not a side view
MIN_FACE_VISIBILITY = 0.5  # nose and eyes less visible than this in the front photo: the back of the head
# Arms, degrees from hanging down (shoulder to wrist): the body model's A-pose reads 38-45 deg and the
# calibration turned the arms from 12 deg lower to 49 deg higher (a T-pose); outside that the estimate
# has not been calibrated.
ARM_ANGLE_CALIBRATED = (28.0, 92.0)
# ... and the A-pose models (``calibration.json``, arms within 12 deg of the A-pose) are used within this
# range, the held-arms models (``calibration_arms.json``) beyond it.
ARM_ANGLE_APOSE = (28.0, 54.0)
MODEL_A_POSE_ARM_DEG = 41.0  # the body model's rest pose, shoulder to wrist from hanging down (landmarks: 38-45 deg)
# The side photo is taken with the arms hanging at the sides: arms held out
# there stand in front of the chest, the body model's a little forward. Held out, the models whose side
# photos hang the arms within this angle of straight down (``calibration_side_down.json``) err on the chest
# by 2.08 cm, those whose side photos hold them as the front ones by 2.70 (waist 1.75 / 2.00, hip
# 1.64 / 1.51 cm); on 54 home scenes chest MAE 2.7 -> 2.4 cm, hip 1.2 -> 1.5. A side photo whose arms read within
# it (``checks.side_arm_angle``) is measured by those models, one held out further as before.
SIDE_ARMS_DOWN_DEG = (0.0, 30.0)
# The landmark model puts the shoulders higher in a side view than in a front one: with the arms hanging
# straight the side photo's wrists hang this many times the front photo's shoulder-to-wrist length below its
# shoulders (1.09-1.12 on four rendered bodies, each side); the model's A-pose (41 deg) then reads 36-44 deg,
# arms hanging 0-30 deg out 0-21 deg, arms 30 deg above the A-pose 62-67 deg.
SIDE_ARM_DROP_RATIO = 1.10
# In an A-pose the hands hang beside the hips and the arms close to the chest, and the learned person mask
# (read on 256-pixel cells) joins them to the body where the A-pose models, calibrated on exact outlines
# with the arms, expect a gap. The torso's girths therefore come from the held-arms models (arms taken off,
# fitted to weigh the learned mask's outline errors) there too: on 6 home scenes with arms at 30-55 deg,
# MAE waist 4.3 -> 1.8, hip 4.8 -> 1.7, neck 7.1 -> 4.4 cm (with a plate); on the 70 estimates of home
# scenes (seeds 5, 13 and 29, with and without a plate) whose arms read 28-54 deg, chest 4.3 -> 2.3 and
# underbust 2.4 -> 1.8 cm.
APOSE_FROM_HELD_ARMS = ("chest_girth", "underbust_girth", "waist_girth", "hip_girth", "neck_girth")
ARM_ANGLE_MIN = 15.0  # closer to the body than this the arms lie against the torso: the front photo is refused
PERSON_PART_AREA_FRACTION = 0.0005  # parts of the coarse person map smaller than this share of the frame are specks

# --- loose clothes (``clothing.find_loose_clothes``) ----------------------------------------------------
# A hem is where the front outline (arms taken off) is narrower just below a row than just above it,
# each side averaged over HEM_SPAN of the height (1 %: 1.7 cm on a 170 cm person, a few rows on a webcam
# frame), by HEM_STEP_FRACTION of the height or more (7.7 cm on 170 cm: a garment hanging about 4 cm
# away from the body each side). Measured on 40 bare bodies of the body model (arms 30 deg below to
# 47 deg above the A-pose, taken off along the projected skeleton): the body's own outline stepped by
# at most 3.7 % of the height between the waist and the knees (p95 2.4 %; the largest where a hand
# beside the hips is not wholly taken off), and by up to 7.5 % above the waist, where raised arms leave
# the armpits uneven, so hems are looked for from the waist down only.
HEM_SPAN = 0.01
HEM_STEP_FRACTION = 0.045
HEM_SEARCH_LOW = 0.30  # ... down to this level (above the knees)
WAIST_SHARE_OF_TORSO = 0.6  # the waist lies this share of the way from the crotch to the armpits
# A top that hangs from the chest past the waist hides the body's waist: the front silhouette (arms taken
# off) is then about as wide at the waist as at the hips (``clothing.waist_fill``: the narrowest width in
# FILL_WAIST_BAND over the widest in FILL_HIP_BAND, shares of the way from the crotch to the armpits).
# Measured: 300 bare bodies of the body model (exact outlines read on the model's cell grid, arms 12 deg
# below to 49 deg above the A-pose) 0.60-0.903 (p99 0.885); the learned mask of 32 bare or leggings-only
# home scenes 0.66-0.85; the crew tee two sizes above the recommended one 0.92-1.04 and the field jacket
# 0.81-1.24 (``bench/bench_loose_clothes.py``, seeds 11 and 17).
FILL_WAIST_BAND = (0.48, 0.72)
FILL_HIP_BAND = (0.05, 0.35)
WAIST_FILL_MAX = 0.91
# The uncertainty of a measurement in a loose zone is this many times larger: it puts 68 % of the chest,
# underbust and waist errors of 47 warned estimates of draped tees and jackets (seed 17, errors +5 to
# +45 cm) within the ± (with 2.0, none was).
LOOSE_UNCERTAINTY_FACTOR = 13.0
# --- skin tone from the front photo ----------------------------------------------------------
# The face and neck: rows from 6 % to 14 % of the person's height below the top of the head (under a
# hairline, above the shoulders: an adult's head is about 13 % of stature, the neck below it), the
# middle 40 % of the person's width in each row (the face, not the hair beside it).
SKIN_ROWS = (0.06, 0.14)
SKIN_ROW_MIDDLE = 0.4
SKIN_MIN_PIXELS = 30  # fewer face pixels than this (a tiny or cut-off head) give no suggestion
# Lightness counts half as much as colour when the nearest tone is chosen (CIE's CMC l:c = 2:1 weighting
# for acceptability; Clarke, McDonald & Rigg, J. Soc. Dyers Colour. 100, 1984): a face in a photo is
# lit and shaded, so its lightness says less about the skin than its hue and chroma.
SKIN_LIGHTNESS_WEIGHT = 0.5
