"""An imported garment's finished zones kept on disk: reused by a new process, checked, safe to delete."""

import numpy as np

from garments import finished, zone_store
from garments.constants import ZONE_STORE_FOLDER
from garments.finished import FinishedZone

ZONES = {"chest": FinishedZone("chest", 96.5, 88.0, None, np.array([3, 4, 5]))}


def _measure(calls):
    return lambda: calls.append(1) or ZONES


def test_stored_zones_are_read_back_and_rebuilt_when_bad_or_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("FITTING_ROOM_HOME", str(tmp_path / "home"))
    folder = tmp_path / "garment"
    folder.mkdir()
    (folder / "garment.json").write_text("{}")
    calls = []
    zone_store.stored_zones(folder, "M", _measure(calls))
    back = zone_store.stored_zones(folder, "M", _measure(calls))
    assert len(calls) == 1 and back["chest"].girth_cm == 96.5 and back["chest"].vertices.tolist() == [3, 4, 5]
    [entry] = (tmp_path / "home" / ZONE_STORE_FOLDER).iterdir()
    entry.write_text('{"version": 1, "zones": {"chest": {"girth_cm": "x"}}}')  # damaged: measured again
    zone_store.stored_zones(folder, "M", _measure(calls))
    entry.unlink()  # deleted: measured again
    zone_store.stored_zones(folder, "M", _measure(calls))
    (folder / "M.glb").write_bytes(b"other mesh")  # the garment's files changed: another entry
    zone_store.stored_zones(folder, "M", _measure(calls))
    zone_store.stored_zones(folder, "L", _measure(calls))
    assert len(calls) == 5


def test_an_imported_garment_is_not_measured_again_in_a_new_process(tmp_path, monkeypatch):
    from tests.test_gui_import import write_tube_obj

    from garments.import_options import ImportOptions
    from garments.importers import import_garment

    monkeypatch.setenv("FITTING_ROOM_HOME", str(tmp_path / "home"))
    g = import_garment(write_tube_obj(tmp_path / "top.obj"), ImportOptions(category="top", price=10))
    first = finished.finished_zones(g, "M")
    monkeypatch.setattr(finished, "_CACHE", {})  # a new process
    monkeypatch.setattr(finished, "_measure", lambda *a: (_ for _ in ()).throw(AssertionError("measured again")))
    again = finished.finished_zones(g, "M")
    assert {z: fz.girth_cm for z, fz in again.items()} == {z: fz.girth_cm for z, fz in first.items()}
