"""The profile picker's view of ``avatar.profiles.ProfileStore``: names, load, save, rename, delete."""

from __future__ import annotations


def profile_store():
    """The shopper's saved profiles under the data root, or None where profiles are not available."""
    try:
        from avatar.profiles import ProfileStore
    except ImportError:
        return None
    return ProfileStore()
