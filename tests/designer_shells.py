"""The designer benchmark's authored garment shells (``bench/designer_garments.py``), for tests."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def designer_garments():
    """The module ``bench/designer_garments.py`` (loaded once per process)."""
    if "designer_garments" in sys.modules:
        return sys.modules["designer_garments"]
    spec = importlib.util.spec_from_file_location("designer_garments", BENCH / "designer_garments.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["designer_garments"] = module
    spec.loader.exec_module(module)
    return module
