"""Necklines and hems keep their length when a garment is moved onto a bigger or a smaller body."""

import numpy as np
import pytest


def _grid(n_around=24, n_down=20, radius=0.1, spacing=0.02):
    """An open cylinder of rows (top row first): vertices (N, 3), faces (F, 3)."""
    theta = np.linspace(0, 2 * np.pi, n_around, endpoint=False)
    v = np.array([[radius * np.cos(t), -i * spacing, radius * np.sin(t)] for i in range(n_down) for t in theta])
    faces = []
    for i in range(n_down - 1):
        for j in range(n_around):
            a, b = i * n_around + j, i * n_around + (j + 1) % n_around
            c, d = a + n_around, b + n_around
            faces += [[a, c, b], [b, c, d]]
    return v, np.array(faces)


def test_carried_cloth_moves_fully_at_the_loop_smoothly_less_away_and_not_beyond_the_falloff():
    from garments.openings import carry_loops

    v, faces = _grid()
    top = np.arange(24)
    out = carry_loops(v, v, faces, [top], [np.tile([0.0, 0.05, 0.0], (24, 1))], falloff=0.1)
    lift = out[:, 1] - v[:, 1]
    rows = lift.reshape(20, 24)
    assert np.allclose(rows[0], 0.05)
    assert np.all(np.diff(rows[:, 0]) <= 1e-12)  # less with every row down
    assert np.allclose(rows[5:], 0.0)  # 0.1 m down and beyond: untouched
    assert 0.0 < rows[2, 0] < 0.05


def test_a_hem_drawn_in_gets_its_rest_length_back_and_one_at_length_is_left_alone():
    from garments.mesh_ops import loop_length
    from garments.openings import hang_hems

    rest, faces = _grid()
    placed = rest.copy()
    placed[:, [0, 2]] *= np.linspace(1.0, 0.8, 20).repeat(24)[:, None]  # drawn in towards the hem
    hem = np.arange(19 * 24, 20 * 24)
    hung = hang_hems(placed, rest, faces, chest_y=0.1, axis=np.zeros(3))
    assert loop_length(hung[hem]) == pytest.approx(loop_length(rest[hem]), rel=1e-6)
    assert np.allclose(hung[:24], placed[:24])  # the top, far along the cloth, stays
    assert np.allclose(hang_hems(rest, rest, faces, chest_y=0.1, axis=np.zeros(3)), rest)
    aside = hang_hems(placed + [0.3, 0, 0], rest + [0.3, 0, 0], faces, chest_y=0.1, axis=np.zeros(3))
    assert np.allclose(aside, placed + [0.3, 0, 0])  # a cuff, off the trunk's axis



def test_held_cloth_moves_in_full_as_far_as_the_hold_then_less():
    from garments.openings import carry_loops

    v, faces = _grid()
    out = carry_loops(v, v, faces, [np.arange(24)], [np.tile([0.0, 0.05, 0.0], (24, 1))], falloff=0.1, hold=0.06)
    rows = (out[:, 1] - v[:, 1]).reshape(20, 24)
    assert np.allclose(rows[:4], 0.05)  # 0-0.06 m along the cloth: the band
    assert 0.0 < rows[5, 0] < 0.05
    assert np.allclose(rows[8:], 0.0)  # 0.16 m down and beyond


def test_a_waved_tilted_waistband_is_levelled_and_a_hem_below_is_left_alone():
    from garments.openings import level_waistband

    rest, faces = _grid()
    theta = np.arctan2(rest[:, 2], rest[:, 0])
    placed = rest.copy()
    placed[:, 1] += 0.2 + 0.008 * np.cos(2 * theta) - 0.1 * placed[:, 2]  # tilted and waved
    top, hem = np.arange(24), np.arange(19 * 24, 20 * 24)
    level = level_waistband(placed, rest, faces)
    assert np.ptp(level[top, 1]) < 1e-9  # its rest shape: a level ring
    assert np.allclose(level[top, 1], placed[top, 1].mean())
    assert np.allclose(level[hem], placed[hem])  # far along the cloth
    assert np.allclose(level_waistband(rest, rest, faces), rest)


@pytest.fixture(scope="module")
def tee():
    from garments.catalog import get_garment

    return get_garment("crew-tee")


def _opening(tee, size, where):
    """(rest length, loop) of the tee's highest or lowest open loop."""
    from garments.catalog import rest_mesh
    from garments.mesh_ops import boundary_loops, loop_length

    mesh = rest_mesh(tee, size)
    loops = sorted(boundary_loops(mesh.faces), key=lambda lp: mesh.vertices[lp, 1].mean())
    loop = loops[-1] if where == "neck" else loops[0]
    return loop_length(mesh.vertices[loop]), loop


@pytest.mark.body
def test_the_tee_neckline_keeps_its_length_on_a_heavy_body(body_model, tee):
    """Carried out with the base of a heavy neck it was 38 % longer than at rest and creased."""
    from avatar.fitting import fit_avatar
    from garments.fit_report import fabric_stretch
    from garments.mesh_ops import loop_length
    from garments.outfit import drape_garment

    heavy = fit_avatar({"stature": 175, "chest_girth": 120, "waist_girth": 110, "hip_girth": 125},
                       "male", model=body_model).avatar
    result = drape_garment(heavy, tee, "XL")
    rest_length, loop = _opening(tee, "XL", "neck")
    assert loop_length(result.vertices[loop]) <= rest_length * (1.0 + fabric_stretch(tee))
    assert result.penetration["max_depth_mm"] <= 2.0


@pytest.mark.body
def test_the_tee_hem_hangs_at_its_length_on_a_slim_body(body_model, tee):
    """Drawn in with slim hips it was 8 % shorter than at rest, and the tee ballooned over it."""
    from avatar.fitting import fit_avatar
    from garments.mesh_ops import loop_length
    from garments.outfit import drape_garment

    slim = fit_avatar({"stature": 168, "chest_girth": 80, "waist_girth": 62, "hip_girth": 86},
                      "female", model=body_model).avatar
    result = drape_garment(slim, tee, "S")
    rest_length, loop = _opening(tee, "S", "hem")
    assert loop_length(result.vertices[loop]) >= 0.96 * rest_length
