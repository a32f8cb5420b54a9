"""The window's panels; each runs alone: ``python -m app.gui.panels.<name>``."""
