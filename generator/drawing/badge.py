"""The default badge image: a round PNG in the domain's colour, its pictogram, level and name.

The default badge is drawn at four times its size with Pillow primitives and the font
bundled with Pillow, then downsampled. No system font, clock or randomness is used, so
the same Pillow gives the same bytes on every machine. The pictogram comes from
`pictograms`, the title and subtitle from `lettering`; this module draws the disc and the
level stars, chooses the colours, and puts the pieces together.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import oxipng
from PIL import Image, ImageDraw

from generator.drawing.lettering import draw_lettering
from generator.drawing.pictograms import RGB, SYMBOLS, Point, draw_symbol

_SUPERSAMPLE = 4
_WHITE: RGB = (255, 255, 255)
_BLACK: RGB = (0, 0, 0)


# --- colours ---------------------------------------------------------------------------------


def _parse_colour(colour: str) -> RGB:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"colour {colour!r} is not a hex colour; write it like '#c0392b'")
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _mix(first: RGB, second: RGB, share_of_second: float) -> RGB:
    r, g, b = (round(a + (b - a) * share_of_second) for a, b in zip(first, second, strict=True))
    return (r, g, b)


def _luminance(colour: RGB) -> float:
    # WCAG 2 relative luminance: https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first: RGB, second: RGB) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class _Palette:
    face: RGB  # the disc
    ring: RGB  # the darker ring around it
    ink: RGB  # the pictogram, on the face
    mark: RGB  # level marks earned, on the ring
    mark_empty: RGB  # level marks still to earn
    text: RGB
    band: RGB | None  # a light band behind the text when white text would be hard to read


def _palette(face: RGB) -> _Palette:
    # A ring darker than the face, unless the face is so dark that only lighter shows.
    ring = _mix(face, _BLACK, 0.22) if _luminance(face) > 0.02 else _mix(face, _WHITE, 0.18)
    dark = _mix(face, _BLACK, 0.78)
    # Graphics need 3:1 (WCAG 1.4.11), text 4.5:1 (WCAG 1.4.3).
    ink = _WHITE if _contrast(_WHITE, face) >= 3 else dark
    mark = _WHITE if _contrast(_WHITE, ring) >= 3 else dark
    if _contrast(_WHITE, face) >= 4.5:
        text, band = _WHITE, None
    else:
        band = _mix(face, _WHITE, 0.88)
        text = dark if _contrast(dark, band) >= 4.5 else (20, 20, 20)
    return _Palette(face, ring, ink, mark, _mix(ring, mark, 0.38), text, band)


def parse_colour(colour: str) -> RGB:
    """A '#rrggbb' colour as RGB (ValueError, saying how to write it, otherwise)."""
    return _parse_colour(colour)


def text_colour_on(ground: RGB) -> RGB:
    """White on a ground dark enough for it (WCAG 1.4.3, 4.5:1), else a dark shade of it."""
    if _contrast(_WHITE, ground) >= 4.5:
        return _WHITE
    dark = _mix(ground, _BLACK, 0.78)
    return dark if _contrast(dark, ground) >= 4.5 else (20, 20, 20)


# --- disc and level marks --------------------------------------------------------------------


@dataclass(frozen=True)
class _Geometry:
    centre: float
    outer: float  # radius of the ring's outer edge
    face: float  # radius of the coloured face inside the ring

    @classmethod
    def for_side(cls, side: int) -> _Geometry:
        outer = side * 0.49  # a margin keeps the antialiased edge inside the image
        return cls(centre=side / 2, outer=outer, face=outer * 0.85)

    def box(self, radius: float) -> tuple[float, float, float, float]:
        low, high = self.centre - radius, self.centre + radius
        return (low, low, high, high)


def _draw_disc(canvas: Image.Image, geometry: _Geometry, palette: _Palette) -> None:
    draw = ImageDraw.Draw(canvas)
    draw.ellipse(geometry.box(geometry.outer), fill=palette.ring)
    draw.ellipse(geometry.box(geometry.face), fill=palette.face)
    rule = _mix(palette.face, palette.ink, 0.45)
    width = max(1, round(geometry.outer * 0.012))
    draw.ellipse(geometry.box(geometry.face * 0.94), outline=rule, width=width)


def _star(centre: Point, radius: float) -> list[Point]:
    points = []
    for index in range(10):
        angle = -math.pi / 2 + index * math.pi / 5
        length = radius if index % 2 == 0 else radius * 0.45
        points.append((centre[0] + length * math.cos(angle), centre[1] + length * math.sin(angle)))
    return points


def _draw_level_marks(
    canvas: Image.Image, geometry: _Geometry, palette: _Palette, level: int, levels: int
) -> None:
    """Stars along the bottom of the ring, the first `level` of them filled."""
    draw = ImageDraw.Draw(canvas)
    track = (geometry.outer + geometry.face) / 2
    radius = (geometry.outer - geometry.face) * 0.4
    step = 2.8 * radius / track
    widest = math.radians(110)
    if levels > 1 and step * (levels - 1) > widest:
        step = widest / (levels - 1)
        radius = step * track / 2.8
    for index in range(levels):
        angle = math.pi / 2 + ((levels - 1) / 2 - index) * step
        x, y = math.cos(angle), math.sin(angle)
        centre = (geometry.centre + track * x, geometry.centre + track * y)
        fill = palette.mark if index < level else palette.mark_empty
        draw.polygon(_star(centre, radius), fill=fill)


# --- pictogram and text ----------------------------------------------------------------------


def _draw_symbol(canvas: Image.Image, geometry: _Geometry, palette: _Palette, symbol: str) -> None:
    """The pictogram in the upper half of the face."""
    centre = (geometry.centre, geometry.centre - geometry.face * 0.42)
    draw_symbol(canvas, symbol, centre, geometry.face * 0.3, palette.ink, palette.face)


def _draw_text(
    canvas: Image.Image, geometry: _Geometry, palette: _Palette, title: str, subtitle: str
) -> None:
    """Title and subtitle in the lower half, on a light band when the face is too light."""
    lettering = draw_lettering(canvas.size, geometry.centre, geometry.face, title, subtitle)
    if lettering is None:
        return
    if palette.band is not None:
        ImageDraw.Draw(canvas).polygon(lettering.band, fill=palette.band)
    box = lettering.mask.getbbox()
    if box is not None:
        canvas.paste((*palette.text, 255), box, lettering.mask.crop(box))


# --- the default badge -----------------------------------------------------------------------


def _check_badge_arguments(symbol: str, level: int | None, levels: int, size: int) -> None:
    if symbol not in SYMBOLS:
        raise ValueError(f"symbol {symbol!r} is unknown; use one of: {', '.join(SYMBOLS)}")
    if level is not None and not 1 <= level <= levels:
        raise ValueError(f"level {level} is outside 1..{levels}; levels count from 1")
    if size < 64:
        raise ValueError(f"size {size} px is too small for a readable badge; use at least 64")


def default_badge_png(
    *,
    title: str,
    subtitle: str,
    colour: str,
    symbol: str,
    level: int | None,
    levels: int,
    size: int = 600,
) -> bytes:
    """Draw a round badge with pictogram, title, subtitle and level stars; return PNG bytes."""
    return default_badge_pngs(
        title=title,
        subtitle=subtitle,
        colour=colour,
        symbol=symbol,
        level=level,
        levels=levels,
        sizes=(size,),
    )[size]


def default_badge_pngs(
    *,
    title: str,
    subtitle: str,
    colour: str,
    symbol: str,
    level: int | None,
    levels: int,
    sizes: tuple[int, ...],
) -> dict[int, bytes]:
    """The same badge at several sizes, drawn once: PNG bytes by side."""
    for size in sizes:
        _check_badge_arguments(symbol, level, levels, size)
    largest = max(sizes)
    palette = _palette(_parse_colour(colour))
    canvas = Image.new("RGBA", (largest * _SUPERSAMPLE, largest * _SUPERSAMPLE), (0, 0, 0, 0))
    geometry = _Geometry.for_side(canvas.width)
    _draw_disc(canvas, geometry, palette)
    _draw_symbol(canvas, geometry, palette, symbol)
    if level is not None:
        _draw_level_marks(canvas, geometry, palette, level, levels)
    _draw_text(canvas, geometry, palette, title, subtitle)
    # Down to the largest side in two steps (Pillow's reducing_gap: a box filter by a whole
    # factor, then Lanczos), a third of the time of Lanczos alone and the same to the eye; the
    # smaller sides from that one, not from the canvas 16 times larger.
    drawn = canvas.resize((largest, largest), Image.Resampling.LANCZOS, reducing_gap=2.0)
    pngs = {
        size: _png(
            drawn if size == largest else drawn.resize((size, size), Image.Resampling.LANCZOS)
        )
        for size in sizes
    }
    return pngs


def optimised_png(png: bytes) -> bytes:
    """A PNG made smaller without changing a pixel (oxipng: ~20 % smaller, ~30 ms at 256 px),
    the same bytes for the same input on every machine.

    oxipng works on a pool of threads (Rust's rayon) that it starts in the process at its
    first call; a process forked after that has the pool's state but not its threads, and
    waits for them forever. So call it in the process that forks the workers (the build's),
    never in a worker, as generator/site/draw/badge_images.py does."""
    return bytes(oxipng.optimize_from_memory(png, level=2))


def _png(badge: Image.Image) -> bytes:
    # A 256-colour palette with alpha looks the same on these flat colours and anti-aliased
    # edges, and makes the file (and every baked copy of it, one per award) 5 times smaller.
    badge = badge.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    # No metadata and fixed settings: the same pixels always give the same bytes.
    badge.save(buffer, format="PNG", optimize=False, compress_level=9)
    return buffer.getvalue()
