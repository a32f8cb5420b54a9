"""Limits of the fit analysis and the size advice, named once with the reason for each value.

The verdict words of a zone come from ``FABRIC_CLASSES`` (the fabric's stretch picks the row) and the
garment's design ease (how loose it was made); see docs/fit.md.
"""

# Stretch of a fabric whose garment entry does not say (a fraction: 0.03 is 3 % before it is at its limit).
# Most wovens give 1-3 % and jersey 5-10 %; 3 % is a woven with a little give, the common case of imports.
DEFAULT_FABRIC_STRETCH = 0.03
# ...except for imports of categories made of stretch fabric (leggings' elastane blends give 20-30 %).
CATEGORY_FABRIC_STRETCH = {"leggings": 0.25}

# Uncertainty (one standard deviation, cm) of a girth the shopper typed: a tape held by hand reads within
# about a centimetre (ISO 20685-1 allows 9 mm for girths between trained measurers).
TYPED_GIRTH_UNCERTAINTY_CM = 1.0

# The chance each size fits is counted over this many bodies drawn around the shopper's girths, with a fixed
# seed so the same measurements always read the same: 4,000 draws give each chance within about 1.6 % (95 %).
FIT_SAMPLES = 4000
FIT_SAMPLES_SEED = 20685

# A size quoted with at least this chance of being the one that fits is named in the between-sizes note.
NOTED_SIZE_CHANCE = 0.15

# Verdict thresholds per fabric, by the fabric's stretch (the first row whose ``up_to`` is at least the
# garment's stretch):
# - ``tight_share``: needing more than this share of the fabric's stretch to go round is "tight" (wovens:
#   any stretch is);
# - ``tight_below_cm``: less ease than this is "tight" even without stretch (a woven needs room to move);
# - ``comfortable_from_cm``: from this ease on, a zone is "comfortable" (below it "snug").
# Needing more stretch than the fabric gives is always "won't close".
FABRIC_CLASSES = (
    {"name": "woven", "up_to": 0.03, "tight_share": 0.0, "tight_below_cm": 0.0, "comfortable_from_cm": 4.0},
    {"name": "knit", "up_to": 0.12, "tight_share": 0.5, "tight_below_cm": float("-inf"),
     "comfortable_from_cm": 2.0},
    {"name": "stretch", "up_to": float("inf"), "tight_share": 0.6, "tight_below_cm": float("-inf"),
     "comfortable_from_cm": 0.0},
)

# More ease than the garment's design ease (its middle size on its reference body) plus this much reads
# "loose", plus OVERSIZED_ABOVE_DESIGN_CM "oversized" (6 cm is a size and a half of grading at the chest).
LOOSE_ABOVE_DESIGN_CM = 6.0
OVERSIZED_ABOVE_DESIGN_CM = 14.0
# A waistband slides down sooner: loose from this much above its design ease.
BAND_LOOSE_ABOVE_DESIGN_CM = 3.0
# "loose" starts at least this far above where "comfortable" starts.
MIN_COMFORT_BAND_CM = 4.0

# A zone's strain (garments.worn_strain: the fit table's worn strain, the drape report's and the movement
# test's in every pose) is this percentile of its vertices' stretch: the quarter of the zone that pulls most,
# a band, not one crease. Sitting, every size of a trouser pulls hard in the row under the buttocks, where the
# cloth bridges a fold of the body: slim chino 54 on the reference woman reads 4.3 % at its hip at the 75th
# percentile, 8.1 % at the 90th, median 2.3 %; size 46 reads 9.9 %, 27 % and 7.3 % (its whole hip stretches).
ZONE_STRAIN_PERCENTILE = 75

# The waistband of a bottom that does not reach the body's waist is measured this far under its top edge
# (the band's middle), and the body's girth at the same level.
WAISTBAND_BELOW_TOP_M = 0.02

# Verdict words, tightest first; a size fits when every zone it covers is at least SNUG.
WONT_CLOSE, TIGHT, SNUG, COMFORTABLE, LOOSE, OVERSIZED = (
    "won't close", "tight", "snug", "comfortable", "loose", "oversized")
VERDICTS = (WONT_CLOSE, TIGHT, SNUG, COMFORTABLE, LOOSE, OVERSIZED)
FITTING_VERDICTS = (SNUG, COMFORTABLE, LOOSE, OVERSIZED)
