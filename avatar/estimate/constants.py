"""Tolerances and limits of the photo estimate, each named once with the reason for its value."""

# --- the shopper's input ---------------------------------------------------------------------
HEIGHT_RANGE_CM = (120.0, 220.0)  # the avatar's stature range (avatar.measurements); the calibration covers it
WEIGHT_RANGE_KG = (30.0, 200.0)  # the avatar's body_mass range

# --- silhouette features -----------------------------------------------------------------------
# Levels (fractions of the silhouette's height, from the floor) at which widths and depths are read.
# Every 2 % of stature: finer than any landmark moves between bodies, coarse enough that a level band
# covers several image rows even on a 480-pixel webcam frame.
N_LEVELS = 49
LEVEL_LOW, LEVEL_HIGH = 0.02, 0.98
N_TORSO_LEVELS = 12  # levels spaced from the crotch to just above the armpits: follow each body's own proportions
LEVEL_BAND = 0.004  # half-height of the band of rows averaged per level (fraction of height): smooths pixel steps
TORSO_AXIS_BAND = (0.50, 0.72)  # rows (fractions of height) whose centre gives the body's vertical axis

# --- segmentation ----------------------------------------------------------------------------
PLATE_BLUR_PX = 3  # Gaussian blur (odd, pixels at the working size) before differencing: hides sensor noise and JPEG blocks
PLATE_MIN_DISTANCE = 18.0  # colour distance (Lab units) a pixel needs to seed the person (weaker ones join when connected)
PLATE_NOISE_FACTOR = 6.0  # weak threshold: this many robust standard deviations of the image-plate difference
BUSY_BACKGROUND_FRACTION = 0.10  # border busier than this (plain walls: 0.02-0.03, clutter: 0.13+): plate-free outline unreliable
# Near the outline a pixel is the person's when its plate distance reaches this fraction of the largest
# distance around it; 0.4 rather than the step's middle (0.5) because shading inside the body raises the
# local maximum above the edge's own contrast (measured: silhouette area within 1 % of the truth).
EDGE_MIDPOINT = 0.4
BORDER_EDGE_MIDPOINT = 0.25  # the same without a plate, lower: the guessed plate leaves lower-contrast edges
MORPH_FRACTION = 0.006  # opening/closing kernel as a fraction of the image height: removes specks and fills pinholes
WORK_HEIGHT_PX = 1100  # images taller than this are reduced for segmentation (accuracy gains stop here, time grows)
BORDER_FRACTION = 0.03  # the plate-free method learns the background from this margin of the frame
BORDER_LOW_DISTANCE = 7.0  # Lab units: below this a pixel is never taken for the person without a plate (JPEG noise)
BORDER_NOISE_FACTOR = 1.5  # ...nor below this many times the border's 99th-percentile distance to its own model
BORDER_COLOURS = 6  # k-means colours of the border (wall, floor, skirting, lighting shades)
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
PERSON_MIN_HEIGHT_FRACTION = 0.35  # a component shorter than this fraction of the tallest one is not a second person
PERSON_MIN_AREA_FRACTION = 0.004  # components smaller than this fraction of the image are noise

# --- checks ------------------------------------------------------------------------------------
EDGE_MARGIN_PX = 2  # a silhouette touching the frame within this margin is cut off
MIN_PERSON_HEIGHT_PX = 200  # below this a pixel is more than ~1 cm of the body: too far or too small an image
MAX_PERSON_HEIGHT_FRACTION = 0.96  # taller than this and the head or feet are at the edge: too close
MIN_MARGIN_FRACTION = 0.015  # head and feet need at least this free margin above and below (fraction of frame height)
MIN_BRIGHT_LUMA = 60.0  # 95th-percentile brightness (0-255) below which the photo is too dark (a dark wall alone is fine)
MIN_PERSON_LUMA = 25.0  # ...and of the person (lower: dark skin and dark clothes in good light stay usable)
MIN_PERSON_CONTRAST = 6.0  # Lab distance between person and surroundings below which the outline is guesswork
MIN_PERSON_AREA_FRACTION = 0.01  # less foreground than this: nobody in the photo
# A side view is much narrower than an A-pose front view: ratio of the silhouettes' width per height
# (side / front); rendered bodies give 0.35-0.6, a second front view 1.
SIDE_MAX_WIDTH_RATIO = 0.80
FRONT_MIN_WIDTH_TO_HEIGHT = 0.16  # a front view in A-pose spans at least this width per height (arms out)
# Front versus back: the face zone of a back view shows hair, unlike the hands' skin.
SKIN_MIN_LUMA = 70  # darker pixels are not counted as skin (dark hair shares skin's chroma)
BACK_VIEW_COLOUR_DISTANCE = 25.0  # Lab distance between the face zone and the hands beyond which it is hair

# --- uncertainty ---------------------------------------------------------------------------------
PHOTO_UNCERTAINTY_FACTOR = 1.25  # photo errors (outline, pose, camera) on rendered photos: about 1.25x the calibration residual
NO_PLATE_UNCERTAINTY_FACTOR = 1.3  # plate-free outlines are less exact: inflate the calibration residual
WARNING_UNCERTAINTY_FACTOR = 1.25  # each photo warning inflates the uncertainty by this factor
