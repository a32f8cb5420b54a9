"""The try-on controller without Qt: which stages each change of the shopper's state runs."""

import pytest

from app.controller.events import Event
from app.controller.stages import DrapeCache, neighbour_sizes, recoloured
from app.controller.tryon import TryOnController
from app.gui.session import Session


class _Task:
    finished, failed, cancelled = Event(), Event(), Event()

    def __init__(self, key, fn, args, kwargs):
        self.key, self.fn, self.args, self.kwargs, self.stale = key, fn, args, kwargs, False


class QueueRunner:
    """Runs tasks when told to (``drain``), on the test's thread, newest per key winning, higher priority first."""

    def __init__(self):
        self.queue: list[tuple[int, _Task]] = []
        self.started: list[str] = []

    def start(self, key, label, fn, *args, priority=0, progress=True, **kwargs):
        self.forget(key)
        task = _Task(key, fn, args, kwargs)
        self.queue.append((priority, task))
        self.started.append(key)
        return task

    def forget(self, key=None):
        for _, task in self.queue:
            if key is None or task.key == key:
                task.stale = True

    def drain(self):
        while self.queue:
            self.queue.sort(key=lambda pt: -pt[0])
            _, task = self.queue.pop(0)
            if task.stale:
                continue
            try:
                result = task.fn(*task.args, **task.kwargs)
            except Exception as exc:
                task.failed.emit(exc)
            else:
                task.finished.emit(result)


def test_events_hold_bound_methods_weakly_and_can_be_blocked():
    class Model:
        changed = Event()

    class View:
        def __init__(self):
            self.seen = []

        def on(self, value):
            self.seen.append(value)

    model, view = Model(), View()
    model.changed.connect(view.on)
    model.changed.emit(1)
    with model.changed.blocked():
        model.changed.emit(2)
    assert view.seen == [1]
    assert Model().changed is not model.changed  # one emitter per instance
    del view
    model.changed.emit(3)  # a view that went away is forgotten, not called
    assert len(model.changed) == 0


def test_neighbour_sizes_nearest_first():
    assert neighbour_sizes(["S", "M", "L", "XL"], "L") == ["M", "XL"]
    assert neighbour_sizes(["S", "M", "L"], "S") == ["M"]
    assert neighbour_sizes(["S", "M"], "XXL") == []


def test_drape_cache_is_per_body_and_keeps_the_last_bodies():
    cache = DrapeCache(bodies=2)
    a, b, c = object(), object(), object()
    cache.of(a)[("tee", "M", ())] = "drape"
    assert cache.has(a, "tee", "M") and not cache.has(b, "tee", "M")
    cache.of(b), cache.of(c)
    assert not cache.has(a, "tee", "M")  # the oldest body went


@pytest.mark.body
def test_colour_change_and_size_revisit_cost_no_drape(monkeypatch, body_model):
    import garments.outfit as outfit
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment

    drapes = []
    real = outfit.drape_garment

    def counting(avatar, garment, size, **kw):
        drapes.append((garment.id, size))
        return real(avatar, garment, size, **kw)

    monkeypatch.setattr(outfit, "drape_garment", counting)
    session, runner = Session(), QueueRunner()
    controller = TryOnController(session, runner)
    controller.motion_ahead_poses = ()  # tried in motion ahead: tests/test_motion_ahead.py
    shown = []
    controller.scene_changed.connect(shown.append)
    tee = get_garment("crew-tee")
    controller.garments = {"crew-tee": tee}
    session.set_avatar(reference_avatar("female"))
    runner.drain()
    controller.picture_shown()
    assert runner.started == ["drape", "field"]  # the body field is made once the avatar is on screen
    runner.drain()
    assert shown[-1] is not None and not shown[-1].garments and drapes == []

    controller.try_on("crew-tee")
    runner.drain()
    controller.picture_shown(shown[-2])  # a late picture of the body before it was dressed
    assert "prepare" not in runner.started  # nothing ahead while the dressed picture is being drawn...
    controller.picture_shown(shown[-1])  # ...but once it is on screen
    runner.drain()
    worn = session.item("crew-tee").size
    sizes = [s.name for s in tee.sizes]
    assert worn in sizes and len(shown[-1].garments) == 1
    prepared = neighbour_sizes(sizes, worn)
    assert sorted(drapes) == sorted([("crew-tee", worn)] + [("crew-tee", s) for s in prepared])  # ahead, too

    before, first_colour = len(drapes), shown[-1].garments[0].colour
    session.set_colour("crew-tee", tee.colours[1].name)
    assert runner.queue == [] and len(drapes) == before  # recoloured at once, nothing draped or queued
    assert shown[-1].garments[0].colour != first_colour
    assert shown[-1].garments[0].vertices is shown[-2].garments[0].vertices

    started = len(runner.started)
    session.set_size("crew-tee", prepared[0])  # a neighbour prepared ahead: dressed already, shown at once
    assert shown[-1].garments[0].name == f"crew-tee:{prepared[0]}" and "drape" not in runner.started[started:]
    runner.drain()
    session.set_size("crew-tee", worn)  # back to a size seen before
    runner.drain()
    assert shown[-1].garments[0].name == f"crew-tee:{worn}"
    assert all(d not in drapes[before:] for d in [("crew-tee", worn), ("crew-tee", prepared[0])])


def test_recoloured_keeps_content_when_nothing_changes():
    import numpy as np

    from app.render.content import GarmentLayer, SceneContent

    tri = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], float)
    content = SceneContent(tri, np.array([[0, 1, 2]]), garments=(GarmentLayer("tee:M", tri, [[0, 1, 2]], (1, 0, 0)),))
    assert recoloured(content, {"tee": (1.0, 0.0, 0.0)}) is content
    new = recoloured(content, {"tee": (0.0, 0.0, 1.0)})
    assert new.garments[0].colour == (0.0, 0.0, 1.0) and new.version != content.version


def test_wardrobe_roundtrip_and_a_broken_file_is_set_aside(_home):
    from app.controller.remember import restore_wardrobe, save_wardrobe, wardrobe_path

    session = Session()
    session.add_to_cart("crew-tee", "M", "navy", 2)
    session.add_tryon("crew-tee", "", "white")
    save_wardrobe(session)
    again = Session()
    assert restore_wardrobe(again) == ""
    assert again.cart == session.cart and again.tryon == session.tryon
    wardrobe_path().write_text('{"version": 1, "cart": [{"garment": "crew-tee", "size": "M", "quantity": 500}]}')
    problem = restore_wardrobe(Session())
    assert "quantity 500 is more than 99" in problem and "set aside" in problem
    assert not wardrobe_path().exists() and wardrobe_path().with_name("wardrobe.json.bad").exists()


def test_the_wardrobe_is_saved_once_after_a_run_of_changes_and_at_once_on_flush(_home):
    from app.controller.remember import WardrobeKeeper, read_wardrobe, wardrobe_path

    asked = []
    session = Session()
    keeper = WardrobeKeeper(session, later=asked.append)
    session.add_tryon("crew-tee", "M", "white")
    session.set_colour("crew-tee", "navy")
    session.set_size("crew-tee", "L")
    assert asked == [keeper.flush] and not wardrobe_path().exists()  # nothing written on the way to the picture
    asked[0]()
    assert read_wardrobe()[1] == [("crew-tee", "L", "navy")]
    session.add_to_cart("crew-tee", "L", "navy", 1)
    assert len(asked) == 2
    keeper.flush()  # on quit: at once
    assert read_wardrobe()[0] == [("crew-tee", "L", "navy", 1)]
    asked[1]()  # the timer that comes later finds nothing to write
    assert not keeper.unsaved


def test_the_body_field_stage_leaves_the_first_drape_no_table_to_make(monkeypatch):
    import numpy as np
    import trimesh

    import garments.sdf as sdf
    from app.controller.stages import body_field

    sphere = trimesh.creation.icosphere(subdivisions=3, radius=0.3)
    field = sdf.build_sdf(sphere.vertices, sphere.faces, spacing=0.02, margin=0.05, band=0.03)
    monkeypatch.setattr(sdf, "body_sdf", lambda avatar: field)
    assert body_field(object()) is field
    made = []
    monkeypatch.setattr(np, "gradient", lambda *a, **k: made.append(1))  # what the lookup table is made of
    d, _ = field.distance_and_gradient(np.array([[0.0, 0.0, 0.32]]))
    assert made == [] and abs(d[0] - 0.02) < 0.005  # looked up from the table made while the body was shown
