"""The notes under a picture naming the zones that won't close are written whole, however narrow the picture."""

import numpy as np


def test_a_note_wider_than_the_picture_is_wrapped_not_cut():
    from app.render.fit_overlay import draw_notes, wrap_to_width

    note = "Sleeveless A-line dress XS: waist won't close (needs 53.8 % stretch, fabric 4.0 %)"
    lines = wrap_to_width(note, lambda t: 7.0 * len(t), 300)
    assert len(lines) > 1 and all(7.0 * len(t) <= 300 for t in lines)
    assert " ".join(t.strip() for t in lines) == note
    assert wrap_to_width("short", len, 300) == ["short"]
    picture = np.full((400, 300, 3), 240, np.uint8)
    one, two = draw_notes(picture, [note[:20]]), draw_notes(picture, [note])
    card = lambda image: int((image[:, 0, 0] != 240).sum())  # the white card's height, px
    assert card(two) > card(one)  # the long note took more lines
    # The last line ("fabric 4.0 %)") is red ink on the card, inside the picture.
    assert (two[-25:, :, 0] > two[-25:, :, 1] + 60).any()


def test_a_percentage_is_never_split_from_its_sign():
    from app.render.fit_overlay import wrap_to_width

    note = "Crew-neck T-shirt XS: chest won't close (needs 17.5 % stretch, fabric 6.0 %)"
    for width in range(60, 700, 7):
        lines = wrap_to_width(note, lambda t: 7.0 * len(t), width)
        assert not any(t.strip().startswith("%") for t in lines), (width, lines)
        assert " ".join(t.strip() for t in lines) == note
