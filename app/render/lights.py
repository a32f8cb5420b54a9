"""The studio lights of the 3D view: directional lights that move with the camera."""

from __future__ import annotations

import numpy as np

from .constants import AMBIENT_LINEAR, BACKGROUND_SRGB

# lights fixed to the camera (a studio's lights move with the photographer): (direction the light comes
# from in camera space, intensity). Key from the left, a little above the eye, fill from the right, rim from
# behind above (it draws the silhouette's edge), and a weak bounce from the floor under the chin and arms. The
# key must stay the brightest: the shader gives its sheen to the brightest light (pyrender passes lights in no
# fixed order), and its EXPOSURE is set so that these lights show a surface facing the camera in its own colour.
# The key is kept low and the rim weak so that skin facing up (the feet, seen from the front) gets no more
# light than skin turned to the side (the cheeks, the backs of the hands): with the key high above (0.8) and the
# rim at 2.5 the face was ~30 levels darker than the feet on a light skin (tests/test_skin_light.py).
STUDIO_LIGHTS = (
    ((-1.0, 0.5, 1.0), 3.4),
    ((1.2, 0.1, 0.8), 1.1),
    ((0.6, 1.0, -1.4), 0.8),
    ((0.0, -1.0, 0.5), 0.3),
)


def light_pose(from_direction) -> np.ndarray:
    """(4, 4) pose of a directional light shining from ``from_direction`` (pyrender lights shine along -Z)."""
    z = np.asarray(from_direction, float)
    z /= np.linalg.norm(z)
    up = (0.0, 1.0, 0.0) if abs(z[1]) < 0.95 else (1.0, 0.0, 0.0)
    x = np.cross(up, z)
    x /= np.linalg.norm(x)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2] = x, np.cross(z, x), z
    return pose


def studio_scene(camera):
    """A ``pyrender.Scene`` on the backdrop colour with ``camera`` and the studio lights attached to it.

    Returns
    -------
    scene : pyrender.Scene
    camera_node : pyrender.Node of the camera; moving it moves the lights too
    """
    import pyrender

    scene = pyrender.Scene(bg_color=np.r_[BACKGROUND_SRGB, 1.0], ambient_light=np.full(3, AMBIENT_LINEAR))
    camera_node = scene.add(camera, pose=np.eye(4), name="camera")
    for direction, intensity in STUDIO_LIGHTS:
        light = pyrender.DirectionalLight(color=np.ones(3), intensity=intensity)
        scene.add(light, pose=light_pose(direction), parent_node=camera_node)
    return scene, camera_node
