"""Tests of the default badge image and of the checks on images that authors provide."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops

from generator.drawing.badge import default_badge_png
from generator.drawing.pictograms import SYMBOLS
from generator.site.check.images import (
    BADGE_IMAGE,
    LOGO,
    ImageInfo,
    ImageProblem,
    ImageRules,
    inspect_badge_image,
    inspect_image,
)

LASER = "#c0392b"
TIMES = "\N{MULTIPLICATION SIGN}"
SIDE = 300  # small enough to keep the tests quick; the drawing scales with the size


def badge(**changes: object) -> bytes:
    arguments: dict[str, object] = {
        "title": "Découpe laser",
        "subtitle": "Utilisateur autonome",
        "colour": LASER,
        "symbol": "laser",
        "level": 2,
        "levels": 5,
        "size": SIDE,
    }
    arguments.update(changes)
    return default_badge_png(**arguments)  # type: ignore[arg-type]


def opened(data: bytes) -> Image.Image:
    """The decoded image, as RGBA pixels whatever its PNG colour type."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA")


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    value = image.getpixel(xy)
    assert isinstance(value, tuple)
    return value


def rgb_pixels(image: Image.Image) -> set[tuple[int, int, int]]:
    raw = image.convert("RGB").tobytes()
    return {(raw[index], raw[index + 1], raw[index + 2]) for index in range(0, len(raw), 3)}


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def luminance(pixel: tuple[int, ...]) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(pixel[0]) + 0.7152 * linear(pixel[1]) + 0.0722 * linear(pixel[2])


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# --- the default badge -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [300, 600])
def test_default_badge_is_a_transparent_palette_png_of_the_requested_size(size: int) -> None:
    data = badge(size=size)
    image = opened(data)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert image.size == (size, size)
    raw = Image.open(io.BytesIO(data))
    assert raw.format == "PNG"
    assert raw.mode == "P" and "transparency" in raw.info  # 256 colours with alpha: small
    assert len(data) < 12_000 if size == 300 else len(data) < 30_000


def test_default_badge_has_no_metadata() -> None:
    assert set(Image.open(io.BytesIO(badge())).info) == {"transparency"}


def test_default_badge_is_transparent_outside_the_disc() -> None:
    image = opened(badge())
    last = SIDE - 1
    for corner in [(0, 0), (last, 0), (0, last), (last, last)]:
        assert pixel(image, corner)[3] == 0


def test_default_badge_centre_is_the_domain_colour() -> None:
    image = opened(badge(title="", subtitle=""))
    red, green, blue, alpha = pixel(image, (SIDE // 2, SIDE // 2))
    assert alpha == 255
    assert all(abs(a - b) <= 2 for a, b in zip((red, green, blue), rgb(LASER), strict=True))


def test_default_badge_is_the_same_bytes_every_time() -> None:
    assert badge() == badge()


def test_default_badge_shows_the_level() -> None:
    assert len({badge(level=level) for level in (1, 2, 5)}) == 3
    assert badge(level=None) != badge(level=1)


def test_default_badge_shows_the_symbol() -> None:
    assert len({badge(symbol=symbol) for symbol in SYMBOLS}) == len(SYMBOLS)


def test_default_badge_shows_the_title_and_subtitle() -> None:
    assert badge(title="Découpe vinyle") != badge()
    assert badge(subtitle="Mainteneur") != badge()


def test_symbols_include_the_fab_lab_domains() -> None:
    assert {"laser", "vinyl", "printer-3d", "electronics", "sewing", "wood", "generic"} <= set(
        SYMBOLS
    )


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_every_symbol_draws_a_white_pictogram_in_the_upper_half(symbol: str) -> None:
    image = opened(badge(symbol=symbol, title="", subtitle="", level=None))
    upper = image.crop((SIDE // 4, SIDE // 8, 3 * SIDE // 4, SIDE // 2)).convert("L")
    white = sum(upper.histogram()[240:])
    assert white > 0.03 * upper.width * upper.height


def test_accents_are_drawn_over_the_letter() -> None:
    # The bundled font has no "é": the module draws "e" and an acute accent. A missing
    # glyph would instead replace the whole letter with a box as tall as a capital.
    with_accent = opened(badge(title="Découpe laser", subtitle="")).convert("RGB")
    without = opened(badge(title="Decoupe laser", subtitle="")).convert("RGB")
    difference = ImageChops.difference(with_accent, without).getbbox()
    assert difference is not None
    left, top, right, bottom = difference
    assert right - left < SIDE * 0.06
    assert bottom - top < SIDE * 0.05


def test_a_very_long_title_still_fits_on_the_badge() -> None:
    title = "Fabrication numérique et prototypage rapide " * 8 + "Anticonstitutionnellement" * 5
    image = opened(badge(title=title, subtitle="Animateur/animatrice " * 5, level=5, size=600))
    assert image.size == (600, 600)
    assert pixel(image, (0, 0))[3] == pixel(image, (599, 599))[3] == 0


def test_text_on_a_light_colour_is_dark_enough_to_read() -> None:
    yellow = "#f1c40f"  # white on it is 1.6:1, far below the 4.5:1 text needs
    image = opened(badge(colour=yellow, symbol="generic", level=None))
    text_area = rgb_pixels(image.crop((SIDE // 4, SIDE // 2, 3 * SIDE // 4, 3 * SIDE // 4)))
    assert max(contrast(colour, rgb(yellow)) for colour in text_area) >= 4.5
    assert max(contrast(colour, (255, 255, 255)) for colour in text_area) >= 4.5


def test_text_on_a_dark_colour_is_white() -> None:
    image = opened(badge(symbol="generic", level=None))
    text_area = rgb_pixels(image.crop((SIDE // 4, SIDE // 2, 3 * SIDE // 4, 3 * SIDE // 4)))
    # White, give or take the rounding of the 256-colour palette.
    assert any(min(pixel) >= 245 for pixel in text_area)


def test_unknown_symbol_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"symbol 'plasma' is unknown; use one of: laser, "):
        badge(symbol="plasma")


@pytest.mark.parametrize("level", [0, 6])
def test_level_outside_the_levels_is_refused(level: int) -> None:
    with pytest.raises(ValueError, match=rf"level {level} is outside 1\.\.5"):
        badge(level=level)


@pytest.mark.parametrize("colour", ["red", "#c0392", "c0392b", "#c0392g"])
def test_colour_that_is_not_hex_is_refused(colour: str) -> None:
    with pytest.raises(ValueError, match="is not a hex colour"):
        badge(colour=colour)


# --- images that authors provide -------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (192, 57, 43, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def svg(attributes: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}><circle r="5"/></svg>'.encode()


def problem(filename: str, data: bytes) -> str:
    with pytest.raises(ImageProblem) as caught:
        inspect_badge_image(filename, data)
    return str(caught.value)


def test_a_square_png_is_accepted() -> None:
    assert inspect_badge_image("laser.png", png(400, 400)) == ImageInfo("png", 400, 400)


def test_a_default_badge_passes_the_checks() -> None:
    assert inspect_badge_image("laser.png", badge(size=600)) == ImageInfo("png", 600, 600)


@pytest.mark.parametrize(
    ("attributes", "side"),
    [
        ('viewBox="0 0 512 512"', 512),
        ('viewBox="0,0,100.4,100.4"', 100),
        ('width="300" height="300"', 300),
        ('width="300px" height="300px" viewBox="0 0 10 20"', 300),
        ('width="10mm" height="10mm"', 38),
        ('width="100%" viewBox="0 0 64 64"', 64),
    ],
)
def test_a_square_svg_is_accepted(attributes: str, side: int) -> None:
    assert inspect_badge_image("laser.svg", svg(attributes)) == ImageInfo("svg", side, side)


def test_image_problems_are_value_errors() -> None:
    assert issubclass(ImageProblem, ValueError)


def test_a_non_square_png_is_refused() -> None:
    assert problem("laser.png", png(400, 300)) == (
        f"image is 400{TIMES}300 px; badge PNGs must be square: crop or pad it"
    )


def test_a_small_png_is_refused() -> None:
    assert problem("laser.png", png(200, 200)) == (
        f"image is 200{TIMES}200 px; badge PNGs must be at least 300{TIMES}300 px:"
        " export it larger, or use an SVG"
    )


def test_an_image_over_one_megabyte_is_refused() -> None:
    data = png(400, 400)
    data += b"\0" * (1_000_001 - len(data))
    assert problem("laser.png", data) == (
        "image is 1,000,001 bytes; badge images must be at most 1,000,000 bytes (1 MB):"
        " compress it, or export it smaller"
    )


def test_an_image_of_exactly_one_megabyte_is_measured() -> None:
    data = png(400, 400)
    data += b"\0" * (1_000_000 - len(data))
    assert inspect_badge_image("laser.png", data) == ImageInfo("png", 400, 400)


@pytest.mark.parametrize(
    ("filename", "found"),
    [
        ("laser.jpg", "extension '.jpg'"),
        ("laser.PNG.gif", "extension '.gif'"),
        ("laser", "no extension"),
    ],
)
def test_other_formats_are_refused(filename: str, found: str) -> None:
    assert problem(filename, png(400, 400)) == (
        f"'{filename}' has {found}; badge images must be .png or .svg files"
    )


def test_upper_case_extensions_are_accepted() -> None:
    assert inspect_badge_image("LASER.PNG", png(400, 400)).format == "png"


def test_a_png_that_is_really_text_is_refused() -> None:
    assert problem("laser.png", b"this is not an image\n") == (
        "file is named .png but is not a PNG image (it lacks the PNG signature);"
        " export the image as PNG"
    )


def test_a_png_with_a_broken_header_is_refused() -> None:
    message = problem("laser.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    assert message.startswith("PNG image cannot be read (")
    assert message.endswith("); it may be truncated or damaged: export the image again")


def test_a_png_named_svg_is_refused() -> None:
    assert problem("laser.svg", png(400, 400)) == (
        "file is named .svg but is a PNG image; rename it to .png"
    )


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('width="400" height="300"', f"SVG is 400{TIMES}300 (from its width and height)"),
        ('viewBox="0 0 100 50"', f"SVG is 100{TIMES}50 (from its viewBox)"),
        ('width="10mm" height="10cm"', f"SVG is 37.7953{TIMES}377.953 (from its width and height)"),
    ],
)
def test_a_non_square_svg_is_refused(attributes: str, expected: str) -> None:
    assert problem("laser.svg", svg(attributes)) == (
        f"{expected}; badge images must be square: make them equal"
    )


def test_a_malformed_svg_is_refused() -> None:
    message = problem("laser.svg", b'<svg xmlns="http://www.w3.org/2000/svg">\n<g></svg>')
    assert message.startswith("SVG is not well-formed XML (line 2, column ")
    assert message.endswith("); fix it, or export it again as SVG")


def test_an_svg_without_its_namespace_is_refused() -> None:
    assert problem("laser.svg", b'<svg viewBox="0 0 10 10"/>') == (
        'the <svg> element has no xmlns="http://www.w3.org/2000/svg", so browsers will not'
        " draw it; add that attribute"
    )


def test_xml_that_is_not_svg_is_refused() -> None:
    assert problem("laser.svg", b'<html xmlns="http://www.w3.org/1999/xhtml"/>') == (
        "the root element is <html>, not <svg>; export the image as SVG"
    )


def test_an_svg_with_entities_is_refused() -> None:
    data = b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    assert problem("laser.svg", data) == (
        "SVG has a <!DOCTYPE> declaration; remove it (a DOCTYPE can declare entities or load a"
        " DTD from elsewhere, so it is refused), or export the image as plain SVG"
    )


def test_an_svg_without_any_size_is_refused() -> None:
    assert problem("laser.svg", svg('width="100%"')) == (
        "SVG has no viewBox and no absolute width and height, so its shape is unknown;"
        ' add viewBox="0 0 512 512"'
    )


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        (
            'width="big" height="big"',
            'SVG width="big" is not a length; write a number, like width="512"',
        ),
        ('width="0" height="0"', 'SVG width="0" is zero; give the image a size'),
        (
            'viewBox="0 0 512"',
            'SVG viewBox="0 0 512" is not four numbers; write it like viewBox="0 0 512 512"',
        ),
        (
            'viewBox="0 0 0 0"',
            'SVG viewBox="0 0 0 0" has no area; give it a positive width and height',
        ),
    ],
)
def test_an_svg_with_a_bad_size_is_refused(attributes: str, expected: str) -> None:
    assert problem("laser.svg", svg(attributes)) == expected


# --- logos, and the pixel limit of every raster image ---------------------------------------


def test_a_logo_need_not_be_square_nor_large() -> None:
    assert inspect_image("logo.png", png(120, 40), LOGO) == ImageInfo("png", 120, 40)
    assert inspect_image("logo.svg", svg('viewBox="0 0 300 100"'), LOGO) == ImageInfo(
        "svg", 300, 100
    )


def test_a_logo_in_another_format_is_refused() -> None:
    with pytest.raises(ImageProblem) as caught:
        inspect_image("logo.gif", png(40, 40), LOGO)
    assert str(caught.value) == (
        "'logo.gif' has extension '.gif'; logos must be .png, .svg, .jpg, .jpeg or .webp files"
    )


def test_a_logo_that_is_not_what_its_name_says_is_refused() -> None:
    with pytest.raises(ImageProblem, match=r"^file is named \.jpg but is not a JPEG image;"):
        inspect_image("logo.jpg", png(40, 40), LOGO)


def declared(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares a size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 8))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("rules", [BADGE_IMAGE, LOGO], ids=["badge", "logo"])
def test_a_png_declaring_too_many_pixels_is_refused_from_its_header(rules: ImageRules) -> None:
    data = declared(12000, 12000)
    assert len(data) < 80
    with pytest.raises(ImageProblem) as caught:
        inspect_image("big.png", data, rules)
    assert str(caught.value) == (
        f"image is 12000{TIMES}12000 px (144,000,000 pixels); images may have at most"
        f" 16,777,216 pixels (4096{TIMES}4096), as a browser would need too much memory to show"
        f" it: export it at 600{TIMES}600 px"
    )


def test_a_truncated_png_is_refused() -> None:
    data = png(400, 400)
    with pytest.raises(ImageProblem, match=r"^PNG image cannot be read \(.*\); it may be trunc"):
        inspect_badge_image("laser.png", data[: len(data) - 30])
