"""The desktop fitting room: a Qt window over the plain-Python core.

The shopper's state lives in :class:`app.gui.session.Session` (a model with signals);
panels mirror it; long work runs through :class:`app.gui.tasks.TaskRunner`.
"""
