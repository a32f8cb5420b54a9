"""What hostile input may cost: run a reader under a tracemalloc peak, a UserError being a fine answer.

Shared by the property tests of the parsers (meshes, photos, measurement files) and of the order side
(carts, config, settings, kiosk files); hangs are caught by each test's hypothesis deadline.
"""

import tracemalloc

from avatar.errors import UserError

MEMORY_CAP_BYTES = 300 * 1024 * 1024  # what any input may take at most
# The order side's files (carts, config, settings, kiosk.json) are small JSON: the examples peak near
# 20 kB, so this cap still leaves room while catching a reader that grows a few bytes into megabytes.
SMALL_FILE_MEMORY_CAP_BYTES = 16 * 1024 * 1024


def bounded(fn, *args, cap_bytes: int = MEMORY_CAP_BYTES):
    """``fn(*args)``, or None when it raises a one-line UserError.

    Fails on any other exception, on an empty message or one of more than one line, and when the Python heap's peak
    while ``fn`` runs reaches ``cap_bytes``.
    """
    tracemalloc.start()
    try:
        return fn(*args)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc) and "\r" not in str(exc), repr(exc)
        return None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < cap_bytes, f"peak {peak / 2**20:.0f} MB"
