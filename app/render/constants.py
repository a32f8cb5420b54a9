"""Limits and look of the 3D view, named once (why each value is what it is)."""

from __future__ import annotations

# --- image sizes -------------------------------------------------------------------------------------------------
DEFAULT_WIDTH = 768            # px; a portrait 3:4 picture shows a standing body with little empty space
DEFAULT_HEIGHT = 1024
MAX_IMAGE_SIDE = 4096          # px; a 4x multisampled 4096² frame already needs ~0.5 GB on software GL (llvmpipe)
MIN_IMAGE_SIDE = 16            # px; below this nothing recognisable is drawn
FULL_SAMPLES = 4               # MSAA samples of a still picture (CLI, view at rest): smooth silhouettes
FAST_SAMPLES = 0               # ... of frames while dragging or turning: llvmpipe draws them ~3x faster
DRAG_SCALE = 0.5               # while dragging render at this fraction of the widget size: 4x fewer pixels
# --- meshes kept on the GPU --------------------------------------------------------------------------------------
# parts (a body, a garment layer, a floor) whose meshes stay uploaded: an outfit of three garments in the
# sizes next to the worn ones and back (3 x 3 layers, 3 floors, the body) with room for a second body
MESH_PARTS_CACHED = 24

# --- camera ------------------------------------------------------------------------------------------------------
YFOV_DEG = 30.0                # a portrait lens: little perspective distortion of the body at ~3.5 m
FRAME_MARGIN = 0.06            # fraction of the picture left free around the framed body on each side
MIN_SCENE_SHARE = 0.5          # a still picture's scene keeps at least this share of its rows, however many notes
MIN_DISTANCE_M = 0.4           # zoom limits: close enough to see a seam, far enough to see a crowd of one
MAX_DISTANCE_M = 15.0
MIN_PITCH_DEG = -20.0          # orbit limits: never under the floor, never straight down (gimbal flip)
MAX_PITCH_DEG = 80.0
ORBIT_DEG_PER_PX = 0.4         # mouse drag sensitivity: a 900 px drag turns the body all the way round
WHEEL_ZOOM_PER_STEP = 1.12     # one wheel notch (120 units) changes the distance by 12 %
DEFAULT_PITCH_DEG = 4.0        # eye a little above the waist looks natural for a standing figure
VIEW_YAW_DEG = {"front": 0.0, "side": 90.0, "back": 180.0}
TURNTABLE_DEG_PER_S = 30.0     # one turn in 12 s: slow enough to judge the fit all round
TURNTABLE_INTERVAL_MS = 50     # 20 requests a second; the worker drops the ones it cannot draw

# --- look --------------------------------------------------------------------------------------------------------
BACKGROUND_SRGB = (0.925, 0.925, 0.935)     # light neutral grey, a photo studio's backdrop
SKIN_ROUGHNESS = 0.62                       # skin is matt with a soft sheen
EYE_SRGB = (0.18, 0.15, 0.14)               # eyes, teeth and tongue: dark, so no skin-coloured eyeballs
GARMENT_ROUGHNESS = 0.85                    # cloth scatters light; almost no specular highlight
DEFAULT_GARMENT_SRGB = (0.22, 0.32, 0.52)   # a garment given without a colour: denim-like blue
FLOOR_SRGB = (0.875, 0.875, 0.885)          # the floor disc, a little darker than the backdrop it fades into
FLOOR_RADIUS_M = 0.9                        # wide enough for feet and shadow in every view
FLOOR_SHADOW_PX = 256                       # resolution of the baked contact shadow texture on the floor disc
FLOOR_SHADOW_BLUR_M = 0.05                  # softness of the contact shadow (gaussian sigma)
FLOOR_SHADOW_STRENGTH = 0.45                # darkest shadow under the feet, as a fraction of the floor brightness
FLOOR_SHADOW_HEIGHT_M = 0.6                 # body points above this height cast no contact shadow
# A side of cloth facing the skin head on, within SKIN_SIDE_SHADE_NEAR_M, gets this much less light (the body
# shades it; app.render.skin_side), fading to none where the skin is SKIN_SIDE_SHADE_FAR_M away: a sleeve's
# inner wall seen through its opening reads as the inside, not as a hole showing its outside.
SKIN_SIDE_SHADE = 0.7
SKIN_SIDE_SHADE_NEAR_M = 0.03
SKIN_SIDE_SHADE_FAR_M = 0.15
AMBIENT_LINEAR = 0.15                       # ambient light (linear units): no side black, still shows the body's form

# --- the seat under a sitting body (app.render.seat) ---------------------------------------------------------------
SEAT_SRGB = (0.46, 0.50, 0.57)              # slate grey, a little blue: no skin tone, no catalog cloth, not the floor
SEAT_ROUGHNESS = 0.9                        # matt: a painted block, no highlight
SEAT_SIDE_M = 0.06                          # beyond the hip and knee joints sideways: under the thighs, not wider
SEAT_DEPTH_SHARE = 0.6                      # the seat reaches 60 % of the way from hips to knees: calves hang free
SEAT_BACK_M = 0.02                          # and this far behind the buttocks, so it shows from the side

# --- fit map -----------------------------------------------------------------------------------------------------
DEFAULT_STRETCH_LIMIT = 0.10   # strain fraction drawn fully red: most woven cloth is uncomfortable beyond 10 %

# --- "won't fit" marks -------------------------------------------------------------------------------------------
# A zone that cannot close is painted as a band this far above and below its cloth, metres (with the zone's own
# 6 cm, a hand's width: plain at any distance the view is framed at)...
WONT_FIT_BAND_HALF_HEIGHT_M = 0.03
# Marked bands less than this far apart are drawn as one: the shift dress XL on a heavy woman (165 cm, 120/110/125)
# ends its chest band 6 mm above its waist band's top, and the sliver between showed as a dashed green line
# across the hatching; its waist and hip bands, 4.7 cm apart, stay two.
WONT_FIT_BAND_JOIN_M = 0.03
# ...with diagonal stripes this far apart (several garment edges per stripe, so vertex colours keep them sharp).
WONT_FIT_HATCH_PERIOD_M = 0.06
# A marked band is hidden under a garment worn over it when this share of its vertices have one of that
# garment's vertices within this reach (its layer gap and ease: a crew tee XL lies 0.7-2.3 cm over the slim
# chino 54's waist and hip bands on a heavy woman, 10th to 90th percentile, 4.2 cm at most).
WONT_FIT_COVER_REACH_M = 0.04
WONT_FIT_HIDDEN_SHARE = 0.5
# Torso cloth with a sleeve's cloth this near is left unmarked: where the sleeve hangs over the flank the two lie
# within a millimetre, and a band drawn under the sleeve shows through it in red specks (a crew tee XL on a heavy
# woman from the front, 768-1536 px wide: 3-5 specks; 1-3 at 2 cm, 0-2 at 3 cm).
WONT_FIT_SLEEVE_CLEARANCE_M = 0.03
WONT_FIT_SRGB = (0.86, 0.08, 0.08)
WONT_FIT_STRIPE_SRGB = (0.45, 0.02, 0.02)
# --- show-through counter ----------------------------------------------------------------------------------------
# Skin seen through cloth: the body's surface lies in front of the garment's along a pixel's ray by less than
# this (farther in front is an arm before a skirt, ordinary occlusion).
SHOW_THROUGH_DEPTH_M = 0.015
SHOW_THROUGH_WIDTH = 480       # px of each depth map: one pixel is about 4.5 mm on a body filling the picture
SHOW_THROUGH_HEIGHT = 640
SHOW_THROUGH_ZNEAR_M = 0.5     # clip planes around a framed body (camera 3-6 m away): depth steps stay < 0.1 mm
SHOW_THROUGH_ZFAR_M = 20.0
