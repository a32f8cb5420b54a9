"""Sizes prepared ahead (plain Python): while the shopper looks at one size, the sizes next to it are
dressed in the background (drapes, advice and scene), so that picking one shows it with no task."""

from __future__ import annotations

from .constants import PREPARE_PRIORITY
from .stages import neighbour_sizes, prepare_results, result_key, with_size


def prepare_neighbours(controller):
    """``TryOnController.prepare_neighbours``'s work: start the 'prepare' task for the selected garment's
    neighbouring sizes not dressed yet on this body, whose results go to ``controller._keep_result``;
    None when there is nothing to prepare (no avatar, a size not known yet, all of them dressed)."""
    from garments.errors import GarmentError

    session, avatar = controller.session, controller.session.avatar
    item = session.item(session.selected)
    tryon = tuple(session.tryon)
    if avatar is None or item is None or any(not t.size for t in tryon):
        return None
    try:
        garment = controller.lookup(item.garment_id)
    except GarmentError:  # gone from the catalog since: nothing to prepare
        return None
    measurements, uncertainty = dict(session.measurements), dict(session.uncertainty)
    todo = [s for s in neighbour_sizes([s.name for s in garment.sizes], item.size)
            if result_key(avatar, with_size(tryon, garment.id, s), measurements, uncertainty) not in controller._results]
    if not todo:
        return None
    task = controller.runner.start("prepare", "Preparing the next sizes", prepare_results, avatar, measurements, tryon,
                                   controller.lookup, controller.cache, garment.id, todo, uncertainty=uncertainty,
                                   priority=PREPARE_PRIORITY)

    def keep(results):
        if avatar is not session.avatar:
            return  # made for a body no longer shown
        for outfit, result in results:
            key = result_key(avatar, outfit, measurements, uncertainty)
            if key not in controller._results:
                controller._keep_result(key, result)

    task.finished.connect(keep)
    return task
