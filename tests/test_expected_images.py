"""The expected images of tests/expected-images/ and the comparison that holds pages to them
(tests/image_comparison.py).

The share cards of awards that attest nothing any more (revoked, expired: their badge's card
greyed and stamped with the state, drawn by Pillow) must be the expected ones to the pixel.
Chromium's screens are compared in test_page_layout.py and test_menu_and_tables.py, with the
screenshots their run takes; here, the tolerance they get is shown to let antialiasing pass
and to fail a page shifted by a pixel, an element missing, moved or recoloured.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from .image_comparison import (
    DRAWING,
    EXPECTED,
    SCREEN,
    Tolerance,
    assert_looks_as_expected,
    compare,
)

# The example's revoked and expired awards (tests/keys/make-example-awards.sh), by badge.
STAMPED_BADGES = {
    "revoked": "impression-3d-fdm-utilisateur-autonome",
    "expired": "decoupe-vinyle-formateur-mentor",
}
LANGUAGES = ("fr", "en", "br")
STAMPED_CARDS = [f"share-{state}-{lang}" for state in STAMPED_BADGES for lang in LANGUAGES]
SCREEN_IMAGE = "award-revoked-1366x900"  # the largest screen: its share lets most pixels pass
LOGO = 40  # a structure's logo beside an award, in CSS pixels (theme/templates/award.html)
BUDGET = {"images": 20, "bytes": 2_000_000}  # what the repository carries for them


@pytest.mark.parametrize("name", STAMPED_CARDS)
def test_the_stamped_share_card_is_the_expected_one_to_the_pixel(
    example_site: Path, name: str, request: pytest.FixtureRequest
) -> None:
    state = name.split("-")[1]
    card = example_site / "badges" / STAMPED_BADGES[state] / f"{name}.png"
    update = bool(request.config.getoption("--update-golden"))
    assert_looks_as_expected(card, name, DRAWING, update=update)


def test_every_stamped_share_card_of_the_example_is_compared(example_site: Path) -> None:
    stamped = sorted(
        path.relative_to(example_site).as_posix()
        for path in (example_site / "badges").glob("*/share-*-*.png")
    )
    assert stamped == sorted(
        f"badges/{STAMPED_BADGES[name.split('-')[1]]}/{name}.png" for name in STAMPED_CARDS
    )


def test_the_expected_images_stay_few_and_small() -> None:
    images = sorted(EXPECTED.glob("*.png"))
    assert len(images) <= BUDGET["images"], [image.name for image in images]
    assert sum(image.stat().st_size for image in images) <= BUDGET["bytes"]


def _screen() -> Image.Image:
    with Image.open(EXPECTED / f"{SCREEN_IMAGE}.png") as opened:
        return opened.convert("RGB")


def _matches(actual: Image.Image, expected: Image.Image, tolerance: Tolerance = SCREEN) -> bool:
    return compare(actual, expected, tolerance).matches(tolerance)


def test_a_screen_matches_itself_saved_again_and_with_antialiasing_noise() -> None:
    screen = _screen()
    saved = io.BytesIO()
    screen.save(saved, "PNG")
    assert _matches(Image.open(io.BytesIO(saved.getvalue())), screen)
    # every pixel a few levels off, as a letter's edges drawn by another antialiasing
    assert _matches(ImageChops.add(screen, Image.new("RGB", screen.size, (20, 32, 8))), screen)
    # and as many stray pixels as the tolerance lets through, in any colour
    noisy, chance = screen.copy(), random.Random(27)
    for _ in range(int(SCREEN.share * screen.width * screen.height)):
        xy = (chance.randrange(screen.width), chance.randrange(screen.height))
        noisy.putpixel(xy, (255, 0, 255))
    assert _matches(noisy, screen)
    noisy.putpixel((0, 0), (255, 0, 255))  # one more
    assert not _matches(noisy, screen)


@pytest.mark.parametrize("offset", [(1, 0), (0, 1), (-1, 0), (0, -1)])
def test_a_screen_shifted_by_one_pixel_fails(offset: tuple[int, int]) -> None:
    screen = _screen()
    shifted = Image.new("RGB", screen.size, "white")
    shifted.paste(screen, offset)
    assert not _matches(shifted, screen)


def _with_logo(screen: Image.Image, left: int, top: int, colour: str = "#1d6b70") -> Image.Image:
    """The screen with a structure's logo drawn at left, top: its colour's rounded square and
    a white anchor's stem and arms."""
    drawn = screen.copy()
    pen = ImageDraw.Draw(drawn)
    pen.rounded_rectangle((left, top, left + LOGO - 1, top + LOGO - 1), radius=4, fill=colour)
    middle = left + LOGO // 2
    pen.line((middle, top + 8, middle, top + LOGO - 8), fill="white", width=3)
    pen.arc((left + 8, top + 12, left + LOGO - 8, top + LOGO - 6), 0, 180, fill="white", width=3)
    return drawn


@pytest.mark.parametrize(
    "change",
    ["missing", "moved 2 px right", "moved 2 px down", "recoloured"],
)
def test_a_logo_missing_moved_or_recoloured_on_the_largest_screen_fails(change: str) -> None:
    screen = _screen()
    blank = (screen.width - LOGO - 40, screen.height // 2)  # in the white margin
    margin = screen.crop((*blank, blank[0] + LOGO + 2, blank[1] + LOGO + 2))
    assert margin.getcolors() == [((LOGO + 2) ** 2, (255, 255, 255))], (
        f"{SCREEN_IMAGE}'s right margin is no longer white: draw the logo somewhere white"
    )
    expected = _with_logo(screen, *blank)
    actual = {
        "missing": screen,
        "moved 2 px right": _with_logo(screen, blank[0] + 2, blank[1]),
        "moved 2 px down": _with_logo(screen, blank[0], blank[1] + 2),
        "recoloured": _with_logo(screen, *blank, colour="#6b6b6b"),  # greyed
    }[change]
    assert _matches(_with_logo(screen, *blank), expected)
    assert not _matches(actual, expected)


def test_a_drawing_one_level_off_fails() -> None:
    card = Image.new("RGB", (120, 63), "#7a7a7a")
    darker = card.copy()
    darker.putpixel((60, 30), (0x7A, 0x7A, 0x79))
    assert _matches(card.copy(), card, DRAWING)
    assert not _matches(darker, card, DRAWING)


def test_a_failure_shows_expected_actual_and_the_differing_pixels(tmp_path: Path) -> None:
    screen = Image.new("RGB", (320, 200), "white")
    expected_file, actual_file = tmp_path / "screen.png", tmp_path / "actual.png"
    screen.save(expected_file)
    _with_logo(screen, 100, 100).save(actual_file)
    with pytest.raises(AssertionError) as failed:
        assert_looks_as_expected(actual_file, "screen", SCREEN, update=False, folder=tmp_path)
    said = str(failed.value)
    assert "screen has " in said and "within x 100-140, y 100-140" in said, said
    assert "--update-golden" in said and str(tmp_path / "failed" / "screen.png") in said
    with Image.open(tmp_path / "failed" / "screen.png") as picture:
        assert picture.size == (3 * 320 + 2 * 8, 200)  # expected, actual, differences
        assert picture.getpixel((2 * 328 + 110, 110)) == (220, 0, 0, 255)  # the logo, in red
        assert picture.getpixel((2 * 328 + 10, 10)) != (220, 0, 0, 255)  # the rest, faded
    assert (tmp_path / "failed" / "screen.actual.png").read_bytes() == actual_file.read_bytes()
    # once it matches again, the picture of the failure goes
    screen.save(actual_file)
    assert_looks_as_expected(actual_file, "screen", SCREEN, update=False, folder=tmp_path)
    assert not (tmp_path / "failed" / "screen.png").exists()


def test_update_writes_the_actual_image_losslessly(tmp_path: Path) -> None:
    screen = _screen().crop((0, 0, 320, 200))
    actual_file = tmp_path / "actual.png"
    screen.convert("RGBA").save(actual_file)
    assert_looks_as_expected(actual_file, "new", SCREEN, update=True, folder=tmp_path)
    with Image.open(tmp_path / "new.png") as written:
        assert written.mode == "RGB"  # an opaque alpha channel dropped
        assert ImageChops.difference(written.convert("RGB"), screen).getbbox() is None
