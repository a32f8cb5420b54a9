"""Import the body model's package without the download client it imports for a path this app never takes.

``body_models`` imports ``huggingface_hub.hf_hub_download`` when it is imported (about half of its import
time), for fetching assets from the Hugging Face hub; this app fetches and verifies the assets itself
(``avatar.assets``) and never calls it. While ``body_models`` is imported, a stand-in module answers that
one import with a function that imports the real client if it is ever called.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["body_models_imported"]


def _hf_hub_download(*args, **kwargs):
    """``huggingface_hub.hf_hub_download``, imported when first called."""
    from huggingface_hub import hf_hub_download

    return hf_hub_download(*args, **kwargs)


@contextmanager
def body_models_imported() -> Iterator[None]:
    """Within the block, ``import body_models...`` does not import ``huggingface_hub``.

    Nothing changes when either is already imported; afterwards the real ``huggingface_hub`` imports
    as usual (the stand-in is gone from ``sys.modules``).
    """
    if "huggingface_hub" in sys.modules or "body_models" in sys.modules:
        yield
        return
    stand_in = types.ModuleType("huggingface_hub", "Stand-in while body_models is imported")
    stand_in.hf_hub_download = _hf_hub_download
    sys.modules["huggingface_hub"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("huggingface_hub") is stand_in:
            del sys.modules["huggingface_hub"]
