"""Limits and tolerances of the garment catalog and import, named once with the reason for each value."""

# Newest version of garment.json this code reads and writes; older versions are migrated on read, newer
# ones refused.
# 2: colours are sRGB 0-1, as a swatch shows them (#1F2952 is [0.12, 0.16, 0.32]); 1 held them as linear RGB.
# 3: sizes may be graded from a size chart (a "girth" grade of the size's own mesh, "chart": true); an entry
#    without them is written as version 2 (``CATALOG_SCHEMA_PLAIN``) so older apps still read it.
CATALOG_SCHEMA_VERSION = 3
CATALOG_SCHEMA_PLAIN = 2
# The first version whose colours are sRGB; older files' linear colours are converted when read.
SRGB_COLOURS_SINCE = 2

# Files larger than this are refused before reading: real garments are a few MB, and a parser
# given a gigabyte would hang the app (the largest scanned garments we know of are ~60 MB).
MAX_IMPORT_BYTES = 100 * 1024 * 1024

# Parsing a file may take at most this long; past it the import stops with an error instead of hanging.
IMPORT_TIME_LIMIT_S = 60.0

# A zipped garment may hold at most this many entries (a garment is a mesh, a binding, a few textures).
MAX_ZIP_MEMBERS = 200

# A temporary folder of a zip import older than this is left over from a killed process and removed.
STALE_TEMP_AGE_S = 24 * 3600.0

# A PLY header (format, elements, properties, comments) longer than this is not a mesh's header:
# real ones are under 1 KB. The whole header is read so no element can hide past a fixed window.
MAX_PLY_HEADER_BYTES = 64 * 1024

# More vertices than this cannot be draped interactively and is almost always a scan or a
# subdivided render mesh: refuse with a message asking the designer to decimate.
MAX_IMPORT_VERTICES = 200_000

# Imports above this many vertices are reduced by vertex clustering so draping stays fast
# (the draper's budget is ~300 ms for 10k vertices, linear in the vertex count).
DECIMATE_ABOVE_VERTICES = 30_000

# More faces than this is refused before parsing: a closed triangle mesh has about two faces per
# vertex, and quads split in two, so four per allowed vertex leaves room for any real garment.
MAX_IMPORT_FACES = 4 * MAX_IMPORT_VERTICES
DECIMATE_TARGET_VERTICES = 20_000

# Unit candidates for files without units (OBJ, PLY, STL): metres per file unit.
UNIT_SCALES = {"m": 1.0, "dm": 0.1, "cm": 0.01, "mm": 0.001}

# Typical vertical extent of each category in metres, used to choose the file's unit:
# the unit that brings the garment's height closest (in ratio) to this wins.
CATEGORY_TYPICAL_HEIGHT_M = {
    "top": 0.68, "shirt": 0.75, "outerwear": 0.8, "dress": 1.0, "skirt": 0.6, "trousers": 1.05,
    "shorts": 0.5, "leggings": 0.95, "jumpsuit": 1.4, "underwear": 0.3, "other": 0.75,
}
DEFAULT_CATEGORY = "other"

# After choosing a unit the garment must be between these heights (metres); outside it is not a garment
# for a human body in any unit we know, so it cannot be placed.
MIN_GARMENT_HEIGHT_M = 0.05
MAX_GARMENT_HEIGHT_M = 2.4

# After placement at least half of the garment must lie within this distance of the body skin;
# farther than that it is not near a body (wrong file, scene with props, wrong scale).
NEAR_BODY_MEDIAN_M = 0.15

# Faces with less area than this (m^2) are degenerate and dropped; a garment with none left is refused.
MIN_FACE_AREA_M2 = 1e-12

# Sizes are listed smallest first; unknown names sort after the known ones, by their finished measures.
SIZE_ORDER = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")

# Half-height of the band of vertices that forms a measurement zone (chest, waist, hip), metres:
# wide enough to hold two rows of a 2 cm mesh, narrow enough to stay on the landmark.
ZONE_HALF_HEIGHT_M = 0.03

# Height of the hem zone above the garment's lowest point (metres).
HEM_ZONE_HEIGHT_M = 0.03

# A garment's legs are looked for in horizontal sections this far below the reference body's crotch: two
# leg tubes cross no plane between the legs there, a skirt's one tube crosses it in front and behind.
# 4 cm is below any crotch seam we have seen (MakeHuman's suits: 2-4 cm under the body's crotch) and above
# the hem of hot pants; the deeper sections confirm it on longer legs.
LEG_SECTION_DEPTHS_M = (0.04, 0.06, 0.10)
# A leg is cloth more than this far to the side of the body's midline (a thigh's centre is 8-10 cm out).
LEG_SIDE_OFFSET_M = 0.04

# The on-disk cache of an imported garment's finished zones (``garments.zone_store``): raise the version
# whenever the measuring of a rest mesh changes, so entries written by older code are made again.
ZONE_STORE_VERSION = 1
ZONE_STORE_FOLDER = "cache/finished-zones"  # under the user data root; safe to delete
# The reference bodies' dress-form levels kept on disk (``garments.dress_form``): raise the version whenever
# their measuring changes. Under the cache root (they depend on the body model's files and this code only).
DRESS_FORM_STORE_VERSION = 1
DRESS_FORM_STORE_FOLDER = "dress-forms"
DRESS_FORM_STORE_ENTRIES = 4  # two sexes, and the entries of a body model or code before
# Body distance fields kept on disk (``garments.field_store``): raise the version whenever the field's
# building changes. Under the user data root (a body is the shopper's data), at most this many entries
# (about 15 MB each).
FIELD_STORE_VERSION = 1
FIELD_STORE_FOLDER = "cache/body-fields"
FIELD_STORE_ENTRIES = 4
# Garments' bindings to their reference bodies kept on disk (``garments.transfer.cached_binding``): raise the
# version whenever binding changes. Under the cache root (nothing of the shopper's), at most this many (a few
# 100 kB each).
BINDING_STORE_VERSION = 1
BINDING_STORE_FOLDER = "bindings"
BINDING_STORE_ENTRIES = 64
