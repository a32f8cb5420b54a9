"""The shirt collar lies on the neck and shoulders: its fall's edge close over the garment, never a flap."""

import numpy as np
import pytest

from garments import catalog, dress_form, mesh_ops

# The fall's edge lies over the shirt on the shoulders and chest: within the largest size's ease at the
# neck's base (about 4 cm) and two fabric layers of the skin; a fall standing out like a flap reaches 7-9 cm.
FALL_EDGE_MAX_CLEARANCE_M = 0.06


@pytest.mark.parametrize("size", ["S", "M", "XXL"])
def test_collar_fall_lies_on_the_shoulders(size):
    g = catalog.get_garment("oxford-shirt")
    form = dress_form.body_form(g.reference_sex)
    mesh = catalog.rest_mesh(g, size)
    v, f = np.asarray(mesh.vertices), np.asarray(mesh.faces)
    neck = np.asarray(form.joints["neck"])
    edge = min(mesh_ops.boundary_loops(f), key=lambda loop: np.linalg.norm(v[loop].mean(axis=0) - neck))
    clearance = dress_form.body_clearance(form, v[edge])
    assert clearance.max() < FALL_EDGE_MAX_CLEARANCE_M
