"""``--pose NAME`` of the ``drape`` and ``render`` commands: the dressed avatar in one of the rig's poses."""

from __future__ import annotations

from avatar.pose import POSE_NAMES


def add_pose_argument(parser) -> None:
    parser.add_argument("--pose", choices=POSE_NAMES, default="stand",
                        help="the body's pose; garments are draped standing, then moved and settled in it "
                             "(default stand)")


def pose_dressed(avatar, results, pose: str, garments: dict, progress=lambda f, m: None):
    """The avatar and its drapes in ``pose``: (posed avatar, drapes in the pose); standing changes nothing."""
    if pose == "stand":
        return avatar, results
    from garments.motion import pose_outfit

    posed, moved = pose_outfit(avatar, results, pose, garments=garments, progress=progress)
    return posed.avatar, moved


SEATED_POSES = ("sit",)  # poses drawn on a seat (``app.render.seat``); the others stand on the floor


def pose_seat(avatar, pose: str):
    """The seat (``app.render.seat.Seat``) the posed ``avatar`` sits on in pictures and the 3D view, placed
    from its posed body and joints; None for a pose of ``avatar.pose.POSE_NAMES`` not in ``SEATED_POSES``.
    Never part of a drape's GLB scene."""
    if pose not in SEATED_POSES:
        return None
    from app.render.seat import seat_under

    return seat_under(avatar.vertices, avatar.joints)


def pose_report(avatar, results, garments: dict, entries: list[dict]) -> None:
    """Add ``"poses": {POSE: {zone: {"ease_cm", "strain"}}}`` to each garment's report entry (same order as
    ``results``), for every pose of ``avatar.pose.POSE_NAMES`` (see ``garments.motion.zone_motion``); each
    zone of the entry's ``fit`` has its finished ease standing and that less what the pose adds to the
    body's girth in the others (``garments.movement.pose_ease``)."""
    from garments.motion import motion_zones
    from garments.movement import pose_ease

    for entry in entries:
        entry["poses"] = {}
    for pose in POSE_NAMES:
        body, moved = pose_dressed(avatar, results, pose, garments)
        for entry, result in zip(entries, moved):
            entry["poses"][pose] = motion_zones(body, result, garments[result.garment_id])
    for entry in entries:
        finished = {zone: (z["ease_cm"], z["finished_cm"]) for zone, z in entry.get("fit", {}).items()}
        entry["poses"] = pose_ease(entry["poses"], finished)


def add_looks_arguments(parser) -> None:
    from avatar.hair import HAIR_COLOURS, HAIR_STYLE_NAMES

    parser.add_argument("--hair", choices=HAIR_STYLE_NAMES, default="none",
                        help="a hair style generated over the avatar's scalp (default none)")
    parser.add_argument("--hair-colour", choices=tuple(HAIR_COLOURS), default="dark-brown",
                        help="the hair's colour (default dark-brown)")


def hair_layer(avatar, style: str, colour: str, pose: str = "stand"):
    """The renderer's layer of hair for the rest ``avatar``, moved with its head into ``pose``; None for none."""
    from app.render.content import GarmentLayer
    from avatar.hair import make_hair, pose_hair
    from avatar.pose import pose_avatar

    hair = make_hair(avatar, style, colour)
    if hair is None:
        return None
    if pose != "stand":
        hair = pose_hair(hair, pose_avatar(avatar, pose))
    return GarmentLayer("hair", hair.vertices, hair.faces, colour=hair.colour)
