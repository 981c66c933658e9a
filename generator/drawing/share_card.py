"""The share card: a 1200 x 630 PNG that social networks show with a link (Open Graph image).

A picture (a badge's image, or the network's logo) on a light disc at the left, on a field of
the badge's colour, and a title and subtitle lettered at the right as on the default badge
(`lettering`: Pillow's bundled font, the accents it lacks drawn). The card of an award that
no longer attests anything (revoked, expired) is that card greyed, with its state stamped
across it. No system font, clock or randomness: the same Pillow gives the same bytes on every
machine.
"""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageDraw

from generator.drawing.badge import parse_colour, text_colour_on
from generator.drawing.lettering import draw_lettering_in_box

WIDTH, HEIGHT = 1200, 630  # what LinkedIn, Facebook and X show in full (1.91:1)
_PICTURE = 440  # side of the picture, in pixels
_MARGIN = 70
_PALETTE = 256


def share_card_png(*, picture: bytes | None, title: str, subtitle: str, colour: str) -> bytes:
    """Draw the share card of a badge or of the site; return PNG bytes."""
    field = parse_colour(colour)
    card = Image.new("RGB", (WIDTH, HEIGHT), field)
    text_left = _MARGIN
    flat = True  # flat colours and anti-aliased edges only, as the default badges
    if picture is not None:
        with Image.open(io.BytesIO(picture)) as opened:
            image = opened.convert("RGBA")
        flat = image.getcolors(_PALETTE) is not None
        image.thumbnail((_PICTURE, _PICTURE), Image.Resampling.LANCZOS)
        centre_x, centre_y = _MARGIN + _PICTURE // 2, HEIGHT // 2
        # A white disc behind the picture, so a badge of the field's own colour stands out.
        radius = _PICTURE // 2 + 24
        disc = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        ImageDraw.Draw(card).ellipse(disc, fill=(255, 255, 255))
        position = (centre_x - image.width // 2, centre_y - image.height // 2)
        card.paste(image, position, image)
        text_left = _MARGIN + _PICTURE + 2 * _MARGIN
    box = (text_left, _MARGIN, WIDTH - _MARGIN, HEIGHT - _MARGIN)
    mask = draw_lettering_in_box(card.size, box, title, subtitle)
    if mask is not None:
        card.paste(text_colour_on(field), (0, 0), mask)
    return _png(card, flat)


_STAMP = (500, 150)  # the stamp's size before it is turned, in pixels
_STAMP_ANGLE = 12  # degrees, anticlockwise
_STAMP_BORDER = 10
_STAMP_RADIUS = 28


def stamped_card_png(card: bytes, stamp: str, colour: str) -> bytes:
    """A share card (PNG bytes) greyed, with a stamp (a word such as "RÉVOQUÉ") in the colour
    given across its picture, its title left to read; return PNG bytes."""
    with Image.open(io.BytesIO(card)) as opened:
        grey = opened.convert("L")
    flat = grey.getcolors(_PALETTE) is not None
    # A little lighter: the badge is still recognised, and its title still reads in white.
    faded = grey.point(lambda level: 24 + level * 7 // 8).convert("RGB")
    ink = parse_colour(colour)
    width, height = _STAMP
    frame = (0, 0, width - 1, height - 1)
    shape = Image.new("L", _STAMP, 0)  # where the stamp is: its white ground and its ink
    ImageDraw.Draw(shape).rounded_rectangle(frame, _STAMP_RADIUS, fill=255)
    lines = Image.new("L", _STAMP, 0)  # where its ink is: the frame and the word
    ImageDraw.Draw(lines).rounded_rectangle(frame, _STAMP_RADIUS, outline=255, width=_STAMP_BORDER)
    margin = _STAMP_BORDER + 22
    area = (margin, margin, width - margin, height - margin)
    word = draw_lettering_in_box(_STAMP, area, stamp, "") if stamp.strip() else None
    if word is not None:
        box = word.getbbox()
        if box is not None:  # centred: the lettering is drawn from the box's left
            word = ImageChops.offset(word, (width - box[0] - box[2]) // 2, 0)
        lines = ImageChops.lighter(lines, word)
    shape = shape.rotate(_STAMP_ANGLE, Image.Resampling.BICUBIC, expand=True)
    lines = lines.rotate(_STAMP_ANGLE, Image.Resampling.BICUBIC, expand=True)
    centre = _MARGIN + _PICTURE // 2  # the picture's, as share_card_png places it
    position = (centre - shape.width // 2, (HEIGHT - shape.height) // 2)
    faded.paste((255, 255, 255), position, shape.point(lambda level: level * 15 // 16))
    faded.paste(ink, position, lines)
    # Drawn for every badge with a revoked or expired award (two states, each language: 60
    # cards at 10,000 awards): zlib's level 6 saves nine tenths of the time of level 9
    # (~0.02 s against ~0.14 s a card) for a file a fifth larger (~19 KB against ~16 KB).
    return _png(faded, flat, compress_level=6)


# zlib's level 8 draws a badge's card in ~15 ms against ~40 ms at level 9, for a file 1.5 %
# larger (~28.4 KB against ~28.1 KB): a cold build draws one per badge and language, in the
# build's time; the file is per badge, not per award.
_LEVEL = 8


def _png(card: Image.Image, flat: bool, compress_level: int = _LEVEL) -> bytes:
    if flat:
        # The card of a picture of at most 256 colours (a default badge, most logos) looks
        # the same in a 256-colour palette (each colour within 2 levels of the drawn one, as
        # on the default badge), and weighs a quarter (~26 KB against ~100 KB); a photograph
        # keeps its colours.
        card = card.quantize(_PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    # No metadata and fixed settings: the same pixels always give the same bytes.
    card.save(buffer, format="PNG", optimize=False, compress_level=compress_level)
    return buffer.getvalue()
