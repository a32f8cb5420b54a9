"""The skin tone suggested from a front photo: rendered photos of the avatar in known tones."""

import dataclasses

import numpy as np
import pytest

W, H = 320, 480


@pytest.fixture(scope="module")
def photo(body_model):
    """photo(tone, hair=None) -> (H, W, 3) uint8: the reference woman in ``tone`` from the front."""
    from app.controller.looks import Look, hair_scene_layer, with_look
    from app.render.content import SceneContent
    from app.render.scene import SceneRenderer
    from avatar.avatar import reference_avatar

    renderer = SceneRenderer()
    body = reference_avatar("female")

    def take(tone, hair=None):
        look = Look(skin_tone=tone, hair_style=hair or "none", hair_colour="black")
        content = with_look(SceneContent.from_avatar(dataclasses.replace(body, skin_tone=tone)), look,
                            hair_scene_layer(body, look, "stand"))
        return renderer.render(content, content.framed(W / H, "front"), W, H)

    yield take
    renderer.close()


@pytest.mark.body
@pytest.mark.gl
@pytest.mark.parametrize("tone", ["monk-02", "monk-05", "monk-07", "monk-10"])
def test_the_photo_suggests_the_tone_it_shows(photo, tone):
    from avatar.estimate.skin_tone import suggest_skin_tone

    assert suggest_skin_tone(photo(tone)).tone == tone


@pytest.mark.body
@pytest.mark.gl
def test_dark_hair_and_a_darker_exposure_move_the_suggestion_one_tone_at_most(photo):
    from avatar.estimate.skin_tone import suggest_skin_tone
    from avatar.looks import SKIN_TONE_NAMES

    image = photo("monk-04", hair="short")
    assert suggest_skin_tone(image).tone == "monk-04"  # the face under the hairline, not the hair
    darker = (image * 0.85).astype(np.uint8)  # a photo a quarter stop under-exposed
    found = SKIN_TONE_NAMES.index(suggest_skin_tone(darker).tone)
    assert abs(found - SKIN_TONE_NAMES.index("monk-04")) <= 1


def test_no_person_gives_a_photo_error_saying_how_to_retake():
    from avatar.estimate.errors import PhotoError
    from avatar.estimate.skin_tone import nearest_tone, suggest_skin_tone

    with pytest.raises(PhotoError, match="retake"):
        suggest_skin_tone(np.full((H, W, 3), 230, np.uint8))
    assert nearest_tone((0.16, 0.14, 0.13))[0] == "monk-10"
