"""Limits and tolerances of the order module, each named once with the reason for its value."""

from decimal import Decimal

# A cart line's quantity. One shopper ordering more than 99 of one garment is a typo, not a
# purchase; a shop that sells in bulk would raise this.
MIN_QUANTITY = 1
MAX_QUANTITY = 99

# Lines in one cart. Far beyond a shopping session; stops a runaway file from making a
# receipt of hundreds of pages.
MAX_CART_LINES = 100

# Money is kept as Decimal and written with exactly two decimals (every currency we sell in
# has cents); rounding of catalog prices is half-up, as shops print them.
MONEY_QUANTUM = Decimal("0.01")

# Fit notes are free text from the shopper; a receipt page holds about this much.
MAX_NOTES_CHARS = 2000

# The avatar picture kept with an order for its receipt (PNG). A 1024x1280 render is ~1 MB.
MAX_PICTURE_BYTES = 8 * 1024 * 1024
# ...and its pixels: decoded as RGBA that is at most 64 MB, while a 438 KB PNG can claim 20000x20000
# (1.6 GB decoded). 16 megapixels is 12 times a full render.
MAX_PICTURE_PIXELS = 4096 * 4096

# Order numbers: "FR-YYYYMMDD-" then this many characters from an alphabet without look-alikes
# (no I, L, O, U), so staff can read them aloud: 32**6 ~ 1e9 numbers per day.
ORDER_ID_PREFIX = "FR"
ORDER_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ORDER_ID_RANDOM_CHARS = 6
ORDER_ID_PATTERN = r"^FR-[0-9]{8}-[0-9A-HJKMNP-TV-Z]{6}$"

# SQLite waits this long for another writer (the GUI's delivery thread, a second CLI) before
# giving up; writes take milliseconds, so a wait this long means something is stuck.
DB_BUSY_TIMEOUT_S = 10.0

# Delivery to a shop endpoint. The first retry waits BACKOFF_BASE_S, each further one twice as
# long, capped so a shop that was down for a day is tried again within the quarter hour.
DELIVERY_BACKOFF_BASE_S = 2.0
DELIVERY_BACKOFF_MAX_S = 15 * 60.0
# One HTTP request, connecting to the last byte of the answer, may take this long in all; a shop
# that answers slower (or trickles its answer) is treated as down.
DELIVERY_TIMEOUT_S = 10.0
# Of the shop's answer only the status matters; at most this much of its body is read.
DELIVERY_MAX_REPLY_BYTES = 64 * 1024
# A deliverer holds a claimed order this long; a deliverer killed mid-send frees it after that.
# Three times one request's whole deadline, so two deliverers never post the same order at once.
DELIVERY_LEASE_S = 3 * DELIVERY_TIMEOUT_S
