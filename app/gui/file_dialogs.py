"""File dialogs that open in the folder the shopper last used for that kind of file.

The folders are kept in the window's ``Settings.folders`` (kind -> folder), so they are remembered
across restarts; a dialog shown outside a window with settings (a panel previewed alone) opens in
the home folder and remembers nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from .settings import Settings

#: The kinds of files whose folders are remembered, each on its own.
KINDS = ("photos", "profiles", "orders", "garments")


def _settings(parent: QWidget | None) -> Settings | None:
    """The ``Settings`` of the window holding ``parent`` (through dialogs too), or None."""
    while parent is not None:
        settings = getattr(parent, "settings", None)  # the window's; a widget without one has none
        if isinstance(settings, Settings):
            return settings
        parent = parent.parentWidget()
    return None


def last_folder(parent: QWidget | None, kind: str) -> str:
    """The folder the last file of ``kind`` was chosen in, if it still exists; else the home folder."""
    settings = _settings(parent)
    folder = settings.folders.get(kind, "") if settings is not None else ""
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember(parent: QWidget | None, kind: str, path: str) -> None:
    """Keep the folder of a chosen ``path`` for the next dialog of ``kind`` (saved with the settings)."""
    settings = _settings(parent)
    if path and settings is not None:
        settings.folders[kind] = str(Path(path).parent)


def open_file(parent: QWidget, caption: str, filters: str, kind: str) -> str:
    """A file to read ("" when cancelled), asked in the last folder of ``kind``."""
    path, _ = QFileDialog.getOpenFileName(parent, caption, last_folder(parent, kind), filters)
    remember(parent, kind, path)
    return path


def save_file(parent: QWidget, caption: str, file_name: str, filters: str, kind: str) -> str:
    """A file to write ("" when cancelled), offered as ``file_name`` in the last folder of ``kind``."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(Path(last_folder(parent, kind)) / file_name), filters)
    remember(parent, kind, path)
    return path
