"""A zone that won't close is marked red on the garment; when a garment worn over it hides the mark, the
advice says so instead of pointing to a mark the shopper cannot see."""

import numpy as np
import pytest

from avatar.fitting import fit_avatar
from garments.catalog import get_garment
from garments.fit_report import fit_report
from garments.outfit import drape_outfit

HEAVY = {"stature": 162.0, "chest_girth": 115.0, "waist_girth": 104.0, "hip_girth": 118.0}


@pytest.fixture(scope="module")
def dressed():
    avatar = fit_avatar(HEAVY, "female").avatar
    chino, tee = get_garment("slim-chino"), get_garment("crew-tee")
    drapes = drape_outfit(avatar, [(chino, "54"), (tee, "XL")])
    return avatar, chino, tee, drapes


def test_a_tee_over_trousers_hides_their_marked_bands(dressed):
    from app.render.fit_overlay import hidden_under

    avatar, chino, tee, (trousers, top) = dressed
    fit = fit_report(avatar, chino, drape=trousers)
    assert {z.zone for z in fit.wont_close("54")} == {"waist", "hip"}  # 54 is too small for this body
    assert hidden_under(chino, fit, trousers, [(tee.name, top.vertices)]) == {"waist": tee.name, "hip": tee.name}
    assert hidden_under(chino, fit, trousers, []) == {}
    lifted = top.vertices + np.array([0.0, 0.4, 0.0])  # a garment that does not reach down to the bands
    assert hidden_under(chino, fit, trousers, [(tee.name, lifted)]) == {}


def test_the_advice_names_the_garment_hiding_the_mark(dressed):
    from app.gui.panels.tryon import advice_html

    avatar, chino, tee, (trousers, _) = dressed
    fit = fit_report(avatar, chino, drape=trousers)
    shown = advice_html(fit, "54")
    hidden = advice_html(fit, "54", hidden={"hip": tee.name})
    assert shown.count("(marked red on the garment)") == 2
    assert "(marked red on the garment; standing, the Crew-neck T-shirt hides it)" in hidden
    assert hidden.count("(marked red on the garment)") == 1  # the waist's mark is in view


def test_the_try_on_panel_looks_for_garments_worn_over_the_size_draped(dressed):
    from app.gui.panels.tryon import hidden_marks
    from app.gui.session import Session

    avatar, chino, tee, (trousers, top) = dressed
    session = Session()
    session.drapes = {"crew-tee": top, "slim-chino": trousers}  # tried on in this order; the tee is worn over
    fit = fit_report(avatar, chino, drape=trousers)
    assert hidden_marks(session, get_garment, "slim-chino", "54", fit) == {"waist": tee.name, "hip": tee.name}
    assert hidden_marks(session, get_garment, "slim-chino", "52", fit) == {}  # 52 is not the one draped yet
    tee_fit = fit_report(avatar, tee, drape=top)
    assert hidden_marks(session, get_garment, "crew-tee", "XL", tee_fit) == {}  # nothing over the tee
