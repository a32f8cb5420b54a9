"""The movement tests the try-on controller asks for (plain Python): which sizes and poses, and whether
they were tried already on the body."""

from __future__ import annotations

from avatar.pose import POSE_NAMES

from .constants import PREPARE_PRIORITY
from .stages import neighbour_sizes


def motion_sizes(names: list[str], size: str, ahead: bool) -> list[str]:
    """The sizes to try in motion, small to large: ``size`` and the sizes next to it; ``ahead``: ``size`` and
    the next larger one (the next smaller one when it is the largest)."""
    near = neighbour_sizes(names, size)
    if ahead:
        near = [s for s in near if names.index(s) > names.index(size)][:1] or near[:1]
    return sorted({size, *near}, key=names.index)


def tried(test, sizes, poses) -> bool:
    """Whether the movement test ``test`` (or None) has every one of ``sizes`` in every one of ``poses``."""
    done = {s.size: s.poses for s in test.sizes} if test is not None else {}
    return all(size in done and all(p in done[size] for p in poses) for size in sizes)


def start_movement_test(controller, garment_id: str, *, ahead: bool = False):
    """``TryOnController.test_in_motion``'s work: start the 'motion' task for ``garment_id`` (its drapes
    alone on this body reused, not draped again) and hand its result to ``controller._motion_tested``;
    None when the garment has no size on the avatar yet.

    With ``ahead``: only the worn size and the next larger one (the smaller one when it is the largest),
    in ``controller.motion_ahead_poses``, at low priority; None when they were tried on this body already."""
    from garments.movement import movement_test

    avatar, item = controller.session.avatar, controller.session.item(garment_id)
    if avatar is None or item is None or not item.size:
        return None
    garment = controller.lookup(garment_id)
    sizes = motion_sizes([s.name for s in garment.sizes], item.size, ahead)
    poses = tuple(controller.motion_ahead_poses if ahead else POSE_NAMES)
    if ahead and (not poses or tried(controller.motion.get(garment_id), sizes, poses)):
        return None
    cached = controller.cache.of(avatar)
    drapes = {size: cached[(garment_id, size, ())] for size in sizes if (garment_id, size, ()) in cached}
    task = controller.runner.start("motion", f"Trying {garment.name} in motion", movement_test, avatar, garment,
                                   sizes, poses, drapes=drapes, priority=PREPARE_PRIORITY if ahead else 0)
    task.finished.connect(lambda test, avatar=avatar: controller._motion_tested(avatar, test))
    task.failed.connect(lambda exc: controller.failed.emit(exc, "motion"))
    return task


__all__ = ["motion_sizes", "start_movement_test", "tried"]
