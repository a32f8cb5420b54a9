"""Limits of the try-on loop's caches and look-ahead, named once."""

#: Bodies whose drapes are kept: the shopper's avatar, the average body shown before it, and the
#: previous avatar (a refit that is undone comes back instantly). A drape of a 10k-vertex garment is
#: about 0.5 MB, so a few dozen per body stay well under 100 MB.
MAX_BODIES_CACHED = 3

#: Sizes on each side of the one shown that are draped ahead, in the background.
NEIGHBOUR_REACH = 1

#: Thread-pool priority of work prepared ahead: below every request the shopper is waiting for.
PREPARE_PRIORITY = -1

#: Dressed results (drapes, advice, scene) kept for the current body, by garments and sizes worn: going
#: back to one of them shows it with no work at all. A result is a few MB (the drapes and the scene).
MAX_RESULTS_CACHED = 24
