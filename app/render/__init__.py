"""The 3D view: pyrender scenes of the avatar and its garments, an orbit camera, the fit map,
the single render worker and the Qt viewport widget (``app.render.viewport``, imported separately
so that the command line never loads Qt).

Typical use::

    content = SceneContent.from_avatar(avatar, [garment_from_drape(r, colour) for r in drape_results])
    with RenderWorker() as worker:
        camera = framed(content.bounds, 768 / 1024, "front", content.axis)
        image = worker.render_sync(RenderRequest(content, camera, 768, 1024)).image
"""

from .pyrender_adapter import without_viewer

without_viewer()  # before any module of this package imports pyrender

from .camera import VIEWS, OrbitCamera, framed, framed_points  # noqa: E402
from .fitmap import draw_legend, legend_image, strain_colours  # noqa: E402
from .scene import GarmentLayer, SceneContent, SceneRenderer, garment_from_drape, linear_to_srgb  # noqa: E402
from .worker import RenderRequest, RenderResult, RenderWorker  # noqa: E402

__all__ = [
    "VIEWS", "GarmentLayer", "OrbitCamera", "RenderRequest", "RenderResult", "RenderWorker", "SceneContent",
    "SceneRenderer", "draw_legend", "framed", "framed_points", "garment_from_drape", "legend_image", "linear_to_srgb",
    "strain_colours",
]
