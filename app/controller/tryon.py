"""The try-on loop's controller: which stages a change of the shopper's state needs, and asking for them.

Plain Python. The shopper's state is the :class:`app.gui.session.Session`; the catalog, the caches
and what is on screen are held here; the window only mirrors :attr:`TryOnController.scene_changed`.
Long stages go to a *runner* (``start(key, label, fn, *args, priority=0, **kwargs)`` returning a task
whose ``finished``/``failed``/``cancelled`` can be connected; ``app.gui.tasks.TaskRunner`` is one):
one current task per key, the newest request winning.
"""

from __future__ import annotations

from collections import OrderedDict

from avatar.pose import POSE_NAMES, WALK_CYCLE_FRAMES

from .constants import MAX_POSES_CACHED, MAX_RESULTS_CACHED, PREPARE_PRIORITY
from .events import Event
from .looks import (WALK_LOOP, Look, hair_scene_layer, head_moved, posed_geometry, posed_scene, walk_loop_geometry,
                    with_look)
from .stages import DrapeCache, body_field, dress_cached, recoloured, result_key, worn_colours

class TryOnController:
    """Owns the catalog, the drape cache and the scene shown; starts the stages a change needs.

    Events
    ------
    catalog_changed(list of Garment)
    scene_changed(SceneContent or None) : show this
    dressed() : drapes and advice of the newest request are in the session
    failed(exception, topic) : a stage failed ("drape", "catalog"); the window words it
    drape_started() : a drape job was started (not for a colour change or a scene already cached)
    look_changed() : the pose or the look (skin tone, hair) changed; the controls mirror ``pose`` and ``look``
    motion_changed(garment_id) : ``motion[garment_id]`` (a movement test, ``test_in_motion``) changed

    After every drape the selected garment's size and the next larger one are tried in ``motion_ahead_poses``
    in the background (``test_in_motion_ahead``) for the size advice; an empty ``motion_ahead_poses``: not.

    The scene shown is the standing scene (drapes and colours) moved into ``pose`` and given ``look``:
    a pose seen before on the same drapes, a colour or a look costs no task. The pose ``WALK_LOOP`` is
    the walk cycle: ``loop`` then holds one scene per frame (made once in a task), and the window plays
    it by calling ``next_frame``; ``loop`` is None in every other pose.

    Parameters
    ----------
    session : app.gui.session.Session
    runner : see the module docstring
    store_only : the kiosk sells the built-in catalog only
    """

    catalog_changed = Event()
    scene_changed = Event()
    dressed = Event()
    failed = Event()
    drape_started = Event()
    look_changed = Event()
    motion_changed = Event()

    def __init__(self, session, runner, *, store_only: bool = False):
        self.session = session
        self.runner = runner
        self.store_only = store_only
        self.garments: dict = {}  # garment_id -> Garment
        self.cache = DrapeCache()
        self.content = None  # the scene shown
        self._shown_key = None  # drape key of ``content``
        self._asked_key = None  # drape key of the newest drape request (shown or running)
        self._results: OrderedDict = OrderedDict()  # drape key -> TryOnResult, for the current avatar
        self._field_body = None  # the avatar whose distance field was asked for
        self._ahead = None  # the scene of a dressed result whose work ahead waits for its picture on screen
        self.pose = "stand"
        self.look = Look()
        self._standing = None  # the standing scene in the colours worn; ``content`` is it posed and looked
        self._posed: OrderedDict = OrderedDict()  # (drape key, pose) -> looks.PosedGeometry
        self._pose_asked = None  # (drape key, pose) of the pose task running
        self._hair: OrderedDict = OrderedDict()  # (avatar id, style, colour, pose) -> hair layer
        self.motion: dict = {}  # garment id -> garments.movement.MovementTest on the current avatar
        self.loop = None  # the walk loop's scenes (a tuple, frame 0 first) while ``pose`` is WALK_LOOP
        self._frame = 0  # the loop's frame shown
        self.walk_loop_frames = WALK_CYCLE_FRAMES
        self.motion_ahead_poses = POSE_NAMES
        session.avatar_changed.connect(self._avatar_changed)
        session.tryon_changed.connect(self.refresh)

    # catalog --------------------------------------------------------------------------------------
    def lookup(self, garment_id: str):
        """The catalog's garment of this id (raises ``garments.errors.GarmentNotFound``)."""
        if garment_id in self.garments or self.store_only:
            try:
                return self.garments[garment_id]
            except KeyError:
                from garments.errors import GarmentNotFound

                raise GarmentNotFound(f"no garment with id '{garment_id}' in this store's catalog") from None
        from garments.catalog import get_garment

        return get_garment(garment_id)

    def load_catalog(self):
        from app.gui.workflow import load_garments

        task = self.runner.start("catalog", "Loading the catalog", load_garments, self.store_only)
        task.finished.connect(self._catalog_loaded)
        task.failed.connect(lambda exc: self.failed.emit(exc, "catalog"))
        return task

    def _catalog_loaded(self, loaded) -> None:
        self.garments = {g.id: g for g in loaded.garments}
        self.catalog_changed.emit(loaded)

    def try_on(self, garment_id: str) -> None:
        """Put a garment on in the recommended size (worked out by the drape) and its first colour.
        Raises ``garments.errors.GarmentError``: an unknown id, or a garment without sizes."""
        from garments.errors import GarmentError

        garment = self.lookup(garment_id)
        if not garment.sizes:
            raise GarmentError(f"{garment.name} has no sizes in the catalog; choose another garment")
        self.session.add_tryon(garment_id, "", garment.colours[0].name if garment.colours else "")

    # stages ---------------------------------------------------------------------------------------
    def _drape_key(self):
        """What a dressed result of the session depends on besides colours (``stages.result_key``)."""
        s = self.session
        return result_key(s.avatar, s.tryon, s.measurements, s.uncertainty)

    def _colours(self) -> tuple[dict[str, tuple], dict[str, tuple]]:
        return worn_colours(self.session.tryon, self.lookup)

    def _avatar_changed(self) -> None:
        avatar = self.session.avatar
        self.runner.forget("prepare")
        self.runner.forget("field")  # a field still queued for the body before is not needed
        self._results.clear()  # they show another body
        self._ahead = None
        self._posed.clear()
        self._hair.clear()
        for garment_id in list(self.motion):  # they were tried on another body
            del self.motion[garment_id]
            self.motion_changed.emit(garment_id)
        if avatar is None:
            self.content, self._standing, self._shown_key, self._asked_key = None, None, None, None
            self.loop = None
            self.scene_changed.emit(None)
            return
        self.refresh()

    def refresh(self) -> None:
        """Show the session's avatar in what it wears: only a recolour when the drapes are those shown,
        else a drape job that reuses every drape this body has had."""
        if self.session.avatar is None:
            return
        key = self._drape_key()
        if key == self._shown_key and key == self._asked_key:
            self._show(recoloured(self._standing, *self._colours()))  # a colour change: no drape
            return
        if key == self._asked_key:
            return  # already being made; its colours are applied when it arrives
        self._asked_key = key
        if key in self._results:  # seen before on this body: shown as it was, nothing to make
            self.runner.forget("drape")
            self._results.move_to_end(key)
            self._apply(self._results[key])
            return
        self.runner.forget("prepare")  # the shopper's request gets the cores
        label = "Dressing your avatar" if self.session.tryon else "Drawing your avatar"
        self.drape_started.emit()
        task = self.runner.start("drape", label, dress_cached, self.session.avatar, dict(self.session.measurements),
                                 self.session.tryon, self.lookup, self.cache,
                                 uncertainty=dict(self.session.uncertainty))
        task.finished.connect(self._dressed)
        task.failed.connect(self._drape_failed)
        task.cancelled.connect(self._drape_failed)

    def _drape_failed(self, exc=None) -> None:
        self._asked_key = None  # the next change tries again
        if exc is not None:
            self.failed.emit(exc, "drape")

    def _dressed(self, result) -> None:
        session = self.session
        chosen = {gid: d.size for gid, d in result.drapes.items()
                  if (item := session.item(gid)) is not None and not item.size}
        if chosen:  # put on in the recommended size: this drape already shows that size
            self._asked_key = None
            with session.tryon_changed.blocked():
                session.resolve_sizes(chosen)
            self._asked_key = self._drape_key()
            session.tryon_changed.emit()
        self._keep_result(self._asked_key, result)
        self._apply(result)

    def _apply(self, result) -> None:
        self.session.set_drapes(result.drapes)
        self.session.set_all_advice(result.advice)
        self._shown_key = self._asked_key
        self._show(recoloured(result.content, *self._colours()))
        self.dressed.emit()
        self._ahead = self.content  # its neighbours are prepared once it is on screen (picture_shown)

    def picture_shown(self, content=None) -> None:
        """The view put a picture of ``content`` (None: of the scene shown) on screen: now the work ahead
        starts, while the shopper looks at it, not while its first picture is drawn, which it would slow
        down: the avatar's distance field (not made when the first garment goes on), then the neighbouring
        sizes of a dressed result (``prepare_neighbours``) and after them ``test_in_motion_ahead``."""
        if self._ahead is not None and (content is None or content is self.content):
            self._ahead = None
            prepared = self.prepare_neighbours()
            if prepared is None:
                self.test_in_motion_ahead()
            else:  # after the sizes prepared ahead, which it may reuse
                prepared.finished.connect(lambda _results: self.test_in_motion_ahead())
        avatar = self.session.avatar
        if avatar is not None and self._field_body is not avatar and self.content is not None:
            self._field_body = avatar
            self.runner.start("field", "Preparing your avatar for clothes", body_field, avatar,
                              priority=PREPARE_PRIORITY)

    def _show(self, standing) -> None:
        """Show the standing scene ``standing`` in the pose and look chosen."""
        if standing is self._standing and self.content is not None:
            return
        self._standing = standing
        self._present()

    def _present(self) -> None:
        standing, avatar = self._standing, self.session.avatar
        if standing is None or avatar is None:
            return
        shown = standing
        if self.pose != "stand":
            geometry = self._posed.get((self._shown_key, self.pose))
            if geometry is None:  # what is on screen stays (still) until the pose is made
                self.loop = None
                self._start_pose()
                return
            self._posed.move_to_end((self._shown_key, self.pose))
            if self.pose == WALK_LOOP:
                hair = self._hair_layer(avatar, "stand")
                self.loop = tuple(with_look(posed_scene(standing, frame), self.look, head_moved(hair, frame.head))
                                  for frame in geometry)
                self._frame %= len(self.loop)
                self.content = self.loop[self._frame]
                self.scene_changed.emit(self.content)
                return
            shown = posed_scene(standing, geometry)
        self.loop = None
        self.content = with_look(shown, self.look, self._hair_layer(avatar, self.pose))
        self.scene_changed.emit(self.content)

    def next_frame(self) -> None:
        """Show the walk loop's next frame (nothing when no loop is shown): the window's timer calls it."""
        if not self.loop:
            return
        self._frame = (self._frame + 1) % len(self.loop)
        self.content = self.loop[self._frame]
        self.scene_changed.emit(self.content)

    # pose and look --------------------------------------------------------------------------------
    def set_pose(self, pose: str) -> None:
        """Show the dressed avatar in ``pose`` (``avatar.pose.POSE_NAMES`` or ``WALK_LOOP``; raises
        ``avatar.errors.PoseError`` for another name). A pose seen before on the same drapes is shown at once;
        else it is made in a task."""
        from avatar.pose import check_pose

        if pose != WALK_LOOP:
            check_pose(pose)
        if pose == self.pose:
            return
        self.pose = pose
        self.loop, self._frame = None, 0  # a loop playing stops now, even while the new pose is being made
        self.runner.forget("pose")
        self._pose_asked = None
        self.look_changed.emit()
        self._present()

    def set_look(self, **changes) -> None:
        """Change the look (``skin_tone``, ``hair_style``, ``hair_colour``, ``hair_hidden``; see
        ``looks.Look``, whose errors an unknown name raises); redraws with no drape or pose task."""
        import dataclasses

        look = dataclasses.replace(self.look, **changes)
        if look == self.look:
            return
        self.look = look
        self.look_changed.emit()
        self._present()

    def _start_pose(self) -> None:
        key = (self._shown_key, self.pose)
        if self._pose_asked == key:
            return
        self._pose_asked = key
        if self.pose == WALK_LOOP:
            task = self.runner.start("pose", "Making your avatar walk", walk_loop_geometry, self.session.avatar,
                                     dict(self.session.drapes), self.lookup, self.walk_loop_frames)
        else:
            task = self.runner.start("pose", "Posing your avatar", posed_geometry, self.session.avatar,
                                     dict(self.session.drapes), self.pose, self.lookup)
        task.finished.connect(lambda geometry, key=key: self._posed_ready(key, geometry))
        task.failed.connect(lambda exc, key=key: self._pose_failed(key, exc))

    def _posed_ready(self, key, geometry) -> None:
        if key[0] != self._shown_key:
            return  # made for drapes no longer shown
        self._posed[key] = geometry
        while len(self._posed) > MAX_POSES_CACHED:
            self._posed.popitem(last=False)
        if self._pose_asked == key:
            self._pose_asked = None
        if key == (self._shown_key, self.pose):
            self._present()

    def _pose_failed(self, key, exc) -> None:
        if self._pose_asked == key:
            self._pose_asked = None
        self.failed.emit(exc, "pose")

    def test_in_motion(self, garment_id: str, *, ahead: bool = False):
        """Try the garment's worn size and the sizes next to it in every pose (``garments.movement``), in a
        'motion' task; ``motion[garment_id]`` holds the result. Returns the task, or None when there is
        nothing to try; ``ahead``: see ``app.controller.motion.start_movement_test``."""
        from .motion import start_movement_test

        return start_movement_test(self, garment_id, ahead=ahead)

    def test_in_motion_ahead(self):
        """``test_in_motion(selected garment, ahead=True)``: called after each drape."""
        from garments.errors import GarmentNotFound

        try:
            return self.test_in_motion(self.session.selected, ahead=True)
        except GarmentNotFound:  # gone from the catalog since: nothing to try ahead
            return None

    def _motion_tested(self, avatar, test) -> None:
        if avatar is not self.session.avatar:
            return
        self.motion[test.garment_id] = test
        self.motion_changed.emit(test.garment_id)

    def _hair_layer(self, avatar, pose: str):
        if not self.look.shows_hair:
            return None
        key = (id(avatar), self.look.hair_style, self.look.hair_colour, pose)
        if key not in self._hair:
            self._hair[key] = (avatar, hair_scene_layer(avatar, self.look, pose))  # the avatar keeps its id
            while len(self._hair) > MAX_POSES_CACHED:
                self._hair.popitem(last=False)
        return self._hair[key][1]

    def prepare_neighbours(self):
        """Dress, in the background at low priority, the sizes next to the selected garment's
        (``app.controller.ahead``); returns the task, or None when there is nothing to prepare."""
        from .ahead import prepare_neighbours

        return prepare_neighbours(self)

    def _keep_result(self, key, result) -> None:
        self._results[key] = result
        self._results.move_to_end(key)
        while len(self._results) > MAX_RESULTS_CACHED:
            self._results.popitem(last=False)

    def forget(self) -> None:
        """Drop every cached stage and what is shown (the shopper's data is being deleted)."""
        self.runner.forget("drape")
        self.runner.forget("prepare")
        self.cache.clear()
        self._results.clear()
        self._field_body, self._ahead = None, None
        self._posed.clear()
        self._hair.clear()
        self.motion.clear()
        self.loop = None
        self.content, self._standing, self._shown_key, self._asked_key = None, None, None, None
