"""The desktop fitting room and the in-store kiosk: Qt windows over the plain-Python core.

Layout
------
- ``session.Session``: the shopper's state (measurements, units, profile, avatar, try-on list,
  drapes, size advice, cart, last order), plain Python with one event per part
  (``app.controller.events``). It holds the truth; panels write through its setters and redraw
  on its events. ``app.controller.tryon.TryOnController`` holds the catalog and the cached stages
  and says what to show; the window mirrors it.
- ``tasks.TaskRunner``: long work (assets fetch, avatar fit, drape, photo estimate, import) runs
  as plain functions on a thread pool with ``progress``/``cancelled`` callables; one current task
  per key, so a newer fit or drape cancels the older one and its result is dropped.
- ``main_window.MainWindow``: panels on the left (``panels/``: measurements, camera, catalog,
  try-on & fit, cart), the 3D viewport (``app.render.viewport``) in the centre, progress and Cancel
  at the bottom (``status_bar.StatusBar``), the error/info ``banner.Banner`` at the top. ``settings.Settings`` remembers the
  layout and the last profile in ``data_root()/settings.json``.
- ``import_dialog.ImportDialog``: designers add garment files with the command line's import.
- ``kiosk.KioskWindow``: ``fitting-room --kiosk [--idle-timeout S]``; fullscreen, touch-first,
  no files, store catalog only; staff leave with the PIN set by ``fitting-room kiosk set-pin``
  (``app.kiosk_pin``: salted scrypt hash in ``data_root()/kiosk.json``); idle wipes the session.

Every panel runs alone for a look: ``python -m app.gui.panels.measurements`` (and ``catalog``,
``tryon``, ``cart``, ``capture``), ``python -m app.gui.import_dialog``.
"""
