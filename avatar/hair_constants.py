"""Sizes and limits of generated hair, named once (``avatar.hair``, ``avatar.hair_skull``, ``avatar.hair_fall``).

Lengths are metres; angles are degrees of azimuth round the head's vertical axis, 0 at the face, 90 at
the left ear, 180 at the back of the head. Heights "in head heights" are fractions of the height of the
crown above the head joint (about 15 cm), so a smaller head gets a proportionally lower hairline.
"""

# --- the head's frame -----------------------------------------------------------------------------------------
HEAD_REACH_M = 0.22  # skin within this of the skull's centre is searched for the scalp (no hand, no shoulder)
CENTRE_UP_HEADS = 0.33  # the skull's centre is this far above the head joint: about the ears' top
CENTRE_BAND_HEADS = (0.45, 0.75)  # the forehead and back of the head at these heights centre it front to back
RAY_ELEVATIONS = (86.0, -64.0)  # the rays cast from the centre to the skin, from near the crown to under the jaw
RAY_ROWS = 51  # rays per meridian (3 degrees apart)
RAY_COLUMNS = 96  # meridians cast (3.75 degrees apart); the hair's columns are interpolated between them
RAY_CANDIDATES = 12  # triangles tried per ray, the nearest in direction (a head triangle spans 3-10 degrees)
OUTLINE_JUMP_M = 0.03  # down a meridian the outline may step out this much from one ray to the next (an ear)
SKULL_SMOOTHING_PASSES = 2  # 1-2-1 passes over the ray distances: the cap lies smooth over the mesh's facets

# --- the hairline: (azimuth, height in head heights), one side; the other side is its mirror ------------------
# A natural hairline: high on the forehead, receding a little at the temples, down in a sideburn in front
# of the ear (the ear spans about -0.05 to 0.36 head heights, 88-107 degrees), arching over the ear about
# a centimetre above its top, and down behind it to the nape, a couple of centimetres under the head joint.
HAIRLINE = (
    (0.0, 0.72), (25.0, 0.70), (45.0, 0.62), (58.0, 0.52), (68.0, 0.40), (76.0, 0.22), (82.0, 0.14),
    (88.0, 0.30), (96.0, 0.44), (108.0, 0.42), (117.0, 0.22), (128.0, 0.02), (142.0, -0.12), (158.0, -0.17),
    (180.0, -0.18),
)
FACE_FRAME = (52.0, 80.0)  # hair that hangs (medium, long) grows from the hairline at the face to full length here
CROWN_RISE = (0.0, 0.9)  # hair is at its side thickness below this sine of elevation and full on top above
HAIRLINE_TAPER_M = 0.03  # hair thins to its edge thickness over this height above the hairline
EDGE_THICKNESS_M = 0.0025  # at the hairline the hair lies this close to the skin: no brim
HANG_BEND_M = 0.07  # hanging hair curves out over a bulge below it (the ears) on arcs of this radius, not in a step
TUCK_M = (0.025, 0.008)  # medium hair's ends turn in under: over this length at the ends, by this much

# --- hanging hair ---------------------------------------------------------------------------------------------
FALL_STEP_M = 0.012  # height between the rows of hair hanging below the head, as built
SPLIT_BELOW_NAPE_M = 0.005  # below this (under the nape hairline) hair is free: it hangs and swings with gravity
SWEEP_DROP_M = 0.08  # long hair reaches its place behind the shoulders over this drop below the nape
SWEEP_HALF_WIDTH_M = 0.12  # ... spread this far to each side of the spine
SWEEP_BULGE_M = 0.015  # ... its middle this much farther back than its sides
FALL_CLEARANCE_M = 0.010  # hair hanging past the neck stays this far out of the skin
FALL_OVER_CLOTHES_M = 0.030  # ... and at its ends this far: over a top's shoulders and back (cloth is 3-10 mm off)
FALL_PUSHES = 2  # pushes out of the skin per row (the nearest skin point changes after the first)
STRAND_GROOVES = 56  # clumps of strands round the head in hanging hair
STRAND_GROOVE_M = 0.0015  # ... their depth at the ends
TIP_ROUNDING_M = 0.035  # long hair's ends are cut in a soft U, this much shorter at the face than at the back

# --- posing ---------------------------------------------------------------------------------------------------
TILT_START_DEG = 10.0  # hanging hair keeps its shape while the head tilts less than this ...
TILT_FULL_DEG = 45.0  # ... and hangs straight down with gravity from this tilt on
GRAVITY_REACH_M = 0.06  # along a strand, gravity takes over within this from where the hair leaves the head
PARTING_SLIDE = 0.5  # ... slanting this much sideways, off the neck, each half of the hair to its side
POSE_REACH_M = 0.45 # the posed skin within this of the head is what hanging hair is kept out of

# --- curls and the bun ----------------------------------------------------------------------------------------
CURL_WAVES = 14  # plane waves summed into the curls' pattern (fixed directions, so every head gets the same)
CURL_WAVELENGTH_M = 0.022  # a curl is about a centimetre across
BUN_SEGMENTS = (20, 28)  # rows and columns of the bun's mesh
BUN_TWISTS = 3  # twists of hair wound round the bun
BUN_TWIST_DEPTH = 0.16  # ... their depth as a fraction of its radius
BUN_HEIGHT_HEADS = 0.38  # the bun sits at the back of the head at this height (a low bun, over the occiput)
