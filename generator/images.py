"""Badge images: draw the default round badge PNG, and check the images authors provide.

The default badge is drawn at four times its size with Pillow primitives and the font
bundled with Pillow, then downsampled. No system font, clock or randomness is used, so
the same Pillow gives the same bytes on every machine.
"""

from __future__ import annotations

import functools
import io
import math
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from pathlib import PurePosixPath

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

_RGB = tuple[int, int, int]
_Point = tuple[float, float]

MAX_IMAGE_BYTES = 1_000_000
MIN_PNG_SIDE = 300

_SUPERSAMPLE = 4
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_WHITE: _RGB = (255, 255, 255)
_BLACK: _RGB = (0, 0, 0)
_TIMES = "\N{MULTIPLICATION SIGN}"


# --- colours ---------------------------------------------------------------------------------


def _parse_colour(colour: str) -> _RGB:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"colour {colour!r} is not a hex colour; write it like '#c0392b'")
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _mix(first: _RGB, second: _RGB, share_of_second: float) -> _RGB:
    r, g, b = (round(a + (b - a) * share_of_second) for a, b in zip(first, second, strict=True))
    return (r, g, b)


def _luminance(colour: _RGB) -> float:
    # WCAG 2 relative luminance: https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first: _RGB, second: _RGB) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class _Palette:
    face: _RGB  # the disc
    ring: _RGB  # the darker ring around it
    ink: _RGB  # the pictogram, on the face
    mark: _RGB  # level marks earned, on the ring
    mark_empty: _RGB  # level marks still to earn
    text: _RGB
    band: _RGB | None  # a light band behind the text when white text would be hard to read


def _palette(face: _RGB) -> _Palette:
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

    def half_chord(self, radius: float, y: float) -> float:
        """Half the width of a circle around the centre at height y (0 outside it)."""
        distance = abs(y - self.centre)
        return math.sqrt(radius * radius - distance * distance) if distance < radius else 0.0


def _draw_disc(canvas: Image.Image, geometry: _Geometry, palette: _Palette) -> None:
    draw = ImageDraw.Draw(canvas)
    draw.ellipse(geometry.box(geometry.outer), fill=palette.ring)
    draw.ellipse(geometry.box(geometry.face), fill=palette.face)
    rule = _mix(palette.face, palette.ink, 0.45)
    width = max(1, round(geometry.outer * 0.012))
    draw.ellipse(geometry.box(geometry.face * 0.94), outline=rule, width=width)


def _star(centre: _Point, radius: float) -> list[_Point]:
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


# --- pictograms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pen:
    """Draws in a square whose coordinates run from -1 to 1, y downwards; `cut` uses the face."""

    draw: ImageDraw.ImageDraw
    x: float
    y: float
    unit: float
    ink: _RGB
    face: _RGB

    def at(self, point: _Point) -> _Point:
        return (self.x + point[0] * self.unit, self.y + point[1] * self.unit)

    def colour(self, cut: bool) -> _RGB:
        return self.face if cut else self.ink

    def polygon(self, points: Sequence[_Point], *, cut: bool = False) -> None:
        self.draw.polygon([self.at(point) for point in points], fill=self.colour(cut))

    def line(self, points: Sequence[_Point], width: float, *, cut: bool = False) -> None:
        """A polyline with round joins and round caps."""
        pixels = max(1, round(width * self.unit))
        corners = [self.at(point) for point in points]
        self.draw.line(corners, fill=self.colour(cut), width=pixels, joint="curve")
        for end in (points[0], points[-1]):
            self.circle(end, width / 2, cut=cut)

    def circle(self, centre: _Point, radius: float, *, cut: bool = False) -> None:
        x0, y0 = self.at((centre[0] - radius, centre[1] - radius))
        x1, y1 = self.at((centre[0] + radius, centre[1] + radius))
        self.draw.ellipse((x0, y0, x1, y1), fill=self.colour(cut))

    def rectangle(
        self, corner: _Point, opposite: _Point, radius: float, *, cut: bool = False
    ) -> None:
        (x0, y0), (x1, y1) = self.at(corner), self.at(opposite)
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius * self.unit, fill=self.colour(cut))


def _along(origin: _Point, direction: _Point, points: Sequence[_Point]) -> list[_Point]:
    """Points given as (distance along a direction, distance across it) from an origin."""
    length = math.hypot(*direction)
    ax, ay = direction[0] / length, direction[1] / length
    return [(origin[0] + a * ax - b * ay, origin[1] + a * ay + b * ax) for a, b in points]


def _bezier(start: _Point, control1: _Point, control2: _Point, end: _Point) -> list[_Point]:
    points = []
    for step in range(25):
        t = step / 24
        weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3)
        controls = (start, control1, control2, end)
        x = sum(weight * point[0] for weight, point in zip(weights, controls, strict=True))
        y = sum(weight * point[1] for weight, point in zip(weights, controls, strict=True))
        points.append((x, y))
    return points


def _rounded(corner: _Point, opposite: _Point, radius: float) -> list[_Point]:
    """A rounded rectangle as a polygon, so that it can be turned."""
    (x0, y0), (x1, y1) = corner, opposite
    centres = [(x1 - radius, y0 + radius), (x1 - radius, y1 - radius)]
    centres += [(x0 + radius, y1 - radius), (x0 + radius, y0 + radius)]
    points = []
    for quarter, (x, y) in enumerate(centres):
        for step in range(7):
            angle = math.pi / 2 * (quarter - 1 + step / 6)
            points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return points


def _draw_laser(pen: _Pen) -> None:
    """A laser head firing its beam onto a sheet, sparks where it cuts."""
    pen.rectangle((-0.55, -0.98), (0.55, -0.5), 0.12)
    pen.circle((0, -0.74), 0.1, cut=True)
    pen.polygon([(-0.3, -0.52), (0.3, -0.52), (0.1, -0.28), (-0.1, -0.28)])
    pen.polygon([(-0.05, -0.3), (0.05, -0.3), (0.018, 0.42), (-0.018, 0.42)])
    for angle in (200, 235, 305, 340):
        direction = (math.cos(math.radians(angle)), math.sin(math.radians(angle)))
        pen.line(_along((0, 0.45), direction, [(0.16, 0), (0.36, 0)]), 0.07)
    pen.polygon([(-0.7, 0.42), (0.98, 0.42), (0.72, 0.68), (-0.96, 0.68)])
    pen.polygon([(-0.96, 0.74), (0.72, 0.74), (0.72, 0.86), (-0.96, 0.86)])
    pen.polygon([(0.78, 0.74), (0.98, 0.48), (0.98, 0.6), (0.78, 0.86)])
    pen.line([(0, 0.55), (-0.55, 0.55)], 0.045, cut=True)


def _draw_vinyl(pen: _Pen) -> None:
    """A craft knife at the end of the curve it has cut."""
    tip, back = (-0.62, 0.62), (1.0, -1.0)
    point = _along(tip, back, [(0, -0.15)])[0]
    pen.line(_bezier((-1.0, -0.25), (-1.0, 0.35), (-0.55, 0.95), point), 0.075)
    pen.polygon(_along(tip, back, [(0, -0.15), (0.72, -0.15), (0.72, 0.15), (0.42, 0.15)]))
    pen.polygon(_along(tip, back, [(0.78, 0.2), (1.1, 0.23), (1.1, -0.23), (0.78, -0.2)]))
    pen.polygon(_along(tip, back, [(1.16, 0.19), (1.95, 0.19), (1.95, -0.19), (1.16, -0.19)]))
    pen.circle(_along(tip, back, [(1.95, 0)])[0], 0.19)
    pen.line(_along(tip, back, [(0.94, 0.26), (0.94, -0.26)]), 0.045, cut=True)
    for distance in (1.38, 1.58, 1.78):
        pen.line(_along(tip, back, [(distance, 0.09), (distance, -0.09)]), 0.05, cut=True)


def _draw_printer_3d(pen: _Pen) -> None:
    """An FDM hot end laying the top layer of a stepped print."""
    pen.line([(0, -1.0), (0, -0.8)], 0.1)
    pen.rectangle((-0.44, -0.82), (0.44, -0.42), 0.06)
    pen.line([(-0.3, -0.62), (0.3, -0.62)], 0.06, cut=True)
    pen.polygon([(-0.24, -0.43), (0.24, -0.43), (0.07, -0.2), (-0.07, -0.2)])
    pen.rectangle((-0.62, -0.14), (0.06, 0.04), 0.06)
    for index, half_width in enumerate((0.62, 0.76, 0.9)):
        top = 0.1 + index * 0.24
        pen.rectangle((-half_width, top), (half_width, top + 0.18), 0.06)


def _draw_electronics(pen: _Pen) -> None:
    """A chip with four pins on each side."""
    for offset in (-0.33, -0.11, 0.11, 0.33):
        pen.rectangle((offset - 0.055, -0.88), (offset + 0.055, 0.88), 0.04)
        pen.rectangle((-0.88, offset - 0.055), (0.88, offset + 0.055), 0.04)
    pen.rectangle((-0.64, -0.64), (0.64, 0.64), 0.1, cut=True)
    pen.rectangle((-0.56, -0.56), (0.56, 0.56), 0.08)
    pen.circle((-0.3, -0.3), 0.1, cut=True)


def _draw_sewing(pen: _Pen) -> None:
    """A sewing machine: base, pillar, arm, needle and hand wheel."""
    pen.rectangle((-0.98, 0.5), (0.98, 0.78), 0.08)
    pen.rectangle((0.3, -0.5), (0.72, 0.56), 0.06)
    pen.rectangle((-0.78, -0.78), (0.72, -0.36), 0.16)
    pen.rectangle((-0.78, -0.78), (-0.4, 0.02), 0.08)
    pen.line([(-0.6, 0.0), (-0.6, 0.3)], 0.07)
    pen.rectangle((-0.74, 0.3), (-0.46, 0.38), 0.03)
    pen.rectangle((0.08, -0.98), (0.22, -0.78), 0.03)
    pen.circle((0.82, -0.5), 0.28, cut=True)
    pen.circle((0.82, -0.5), 0.22)
    pen.circle((0.82, -0.5), 0.07, cut=True)
    pen.line([(-0.2, 0.36), (0.12, 0.36)], 0.05)


def _draw_wood(pen: _Pen) -> None:
    """A hand saw, teeth down, turned as if at work."""
    centre, turn = (0.02, 0.08), (math.cos(math.radians(-22)), math.sin(math.radians(-22)))
    teeth = []
    for index in range(11):
        x = -1.0 + index * 0.125
        teeth += [(x, 0.16), (x + 0.1, 0.3)]
    pen.polygon(_along(centre, turn, [(0.42, -0.5), (-1.0, -0.1), *teeth, (0.42, 0.16)]))
    pen.polygon(_along(centre, turn, _rounded((0.32, -0.66), (1.02, 0.36), 0.24)))
    pen.polygon(_along(centre, turn, _rounded((0.52, -0.44), (0.82, 0.14), 0.12)), cut=True)
    for y in (-0.36, 0.02):
        pen.circle(_along(centre, turn, [(0.22, y)])[0], 0.045, cut=True)


def _draw_generic(pen: _Pen) -> None:
    """A gear, for any other kind of making."""
    teeth, outer, root = 8, 0.92, 0.7
    pitch = 2 * math.pi / teeth
    outline = []
    for tooth in range(teeth):
        for angle, radius in ((-0.3, root), (-0.19, outer), (0.19, outer), (0.3, root)):
            theta = (tooth + angle) * pitch
            outline.append((radius * math.cos(theta), radius * math.sin(theta)))
    pen.polygon(outline)
    pen.circle((0, 0), root)
    pen.circle((0, 0), 0.32, cut=True)


_PAINTERS: dict[str, Callable[[_Pen], None]] = {
    "laser": _draw_laser,
    "vinyl": _draw_vinyl,
    "printer-3d": _draw_printer_3d,
    "electronics": _draw_electronics,
    "sewing": _draw_sewing,
    "wood": _draw_wood,
    "generic": _draw_generic,
}

SYMBOLS: tuple[str, ...] = tuple(_PAINTERS)


def _draw_symbol(canvas: Image.Image, geometry: _Geometry, palette: _Palette, symbol: str) -> None:
    centre_y = geometry.centre - geometry.face * 0.42
    draw = ImageDraw.Draw(canvas)
    pen = _Pen(draw, geometry.centre, centre_y, geometry.face * 0.3, palette.ink, palette.face)
    _PAINTERS[symbol](pen)


# --- lettering -------------------------------------------------------------------------------
#
# Pillow's bundled font (Aileron) covers ASCII and a few signs only: "Découpe" would show a
# missing-glyph box. Accented letters are drawn as their base letter plus an accent drawn
# here; the dot of an accented i is taken off first.

_ACCENTS = {
    "\u0301": "acute",
    "\u0300": "grave",
    "\u0302": "circumflex",
    "\u0308": "diaeresis",
    "\u0327": "cedilla",
    "\u0303": "tilde",
    "\u030a": "ring",
}
_REPLACEMENTS = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "\u2013": "-"}
_REPLACEMENTS |= {"\u2010": "-", "\u2014": "-", "\u00a0": " ", "\u202f": " "}
_MOST_WORDS_TO_BALANCE = 24

_Cluster = tuple[str, str]  # a character the font has, and the accents to draw on it


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size=size)
    if not isinstance(font, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType, which the badge text needs")
    return font


@functools.cache
def _has_glyph(character: str) -> bool:
    font = _font(40)
    return bytes(font.getmask(character)) != bytes(font.getmask("\uffff"))


@functools.lru_cache(maxsize=512)
def _clusters(text: str) -> tuple[_Cluster, ...]:
    clusters: list[_Cluster] = []
    for character in unicodedata.normalize("NFC", text):
        if character in _REPLACEMENTS:
            clusters.extend((letter, "") for letter in _REPLACEMENTS[character])
        elif character.isspace() or _has_glyph(character):
            clusters.append((character, ""))
        else:
            decomposed = unicodedata.normalize("NFD", character)
            accents = "".join(mark for mark in decomposed[1:] if mark in _ACCENTS)
            clusters.append((decomposed[0], accents))
    return tuple(clusters)


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: int, stroke: int) -> float:
    bases = "".join(base for base, _ in _clusters(text))
    return _font(size).getlength(bases) + 2 * stroke


def _draw_accent(
    draw: ImageDraw.ImageDraw, accent: str, x: float, bottom: float, size: int
) -> None:
    """One accent centred on x, its lowest point at `bottom` (a cedilla hangs from it)."""
    weight, height = max(1, round(size * 0.085)), size * 0.15
    if accent in ("acute", "grave"):
        lean = size * (0.06 if accent == "acute" else -0.06)
        draw.line([(x - lean, bottom), (x + lean, bottom - height)], fill=255, width=weight)
    elif accent == "circumflex":
        chevron = [(x - size * 0.13, bottom), (x, bottom - height), (x + size * 0.13, bottom)]
        draw.line(chevron, fill=255, width=weight, joint="curve")
    elif accent == "diaeresis":
        radius = size * 0.05
        for dot in (x - size * 0.12, x + size * 0.12):
            draw.ellipse((dot - radius, bottom - 2 * radius, dot + radius, bottom), fill=255)
    elif accent == "tilde":
        middle, amplitude = bottom - height * 0.4, height * 0.35
        wave = [
            (x + size * 0.26 * (t / 12 - 0.5), middle - amplitude * math.sin(t * math.pi / 6))
            for t in range(13)
        ]
        draw.line(wave, fill=255, width=weight, joint="curve")
    elif accent == "ring":
        radius = size * 0.08
        circle = (x - radius, bottom - 2 * radius, x + radius, bottom)
        draw.ellipse(circle, outline=255, width=weight // 2 + 1)
    elif accent == "cedilla":
        radius, top = size * 0.07, bottom + size * 0.06
        draw.line([(x, bottom - size * 0.02), (x, bottom + size * 0.08)], fill=255, width=weight)
        draw.arc((x - radius, top, x + radius, top + 2 * radius), -90, 140, fill=255, width=weight)


def _draw_text_line(
    draw: ImageDraw.ImageDraw, text: str, size: int, stroke: int, left: float, baseline: float
) -> None:
    """Write one line into a mask, drawing the accents the bundled font lacks."""
    font = _font(size)
    clusters = _clusters(text)
    bases = "".join(base for base, _ in clusters)
    origin = left + stroke
    draw.text((origin, baseline), bases, 255, font, "ls", stroke_width=stroke, stroke_fill=255)
    accented = []
    for index, (base, accents) in enumerate(clusters):
        if accents:
            advance = font.getlength(base)
            start = origin + font.getlength(bases[: index + 1]) - advance
            accented.append((start, advance, base, accents))
    # Dots go first, as an accent may reach over the next letter (and its dot).
    x_height = -font.getbbox("x", anchor="ls")[1]
    dot_top = baseline + font.getbbox("i", anchor="ls")[1] - stroke - 1
    dot_bottom = baseline - x_height - size * 0.035  # Aileron: 0.07 em between stem and dot
    for start, advance, base, _ in accented:
        if base in ("i", "j"):
            draw.rectangle((start, dot_top, start + advance, dot_bottom), fill=0)
    gap = size * 0.06 + stroke
    for start, advance, base, accents in accented:
        top = x_height if base in ("i", "j") else -font.getbbox(base, anchor="ls")[1]
        for accent in accents:
            name = _ACCENTS[accent]
            bottom = baseline if name == "cedilla" else baseline - top - gap
            _draw_accent(draw, name, start + advance / 2, bottom, size)


# --- text layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    size: int
    stroke: int  # the title is made bolder by stroking its letters
    baseline: float  # from the top of the text block

    @property
    def width(self) -> float:
        return _text_width(self.text, self.size, self.stroke)

    @property
    def top(self) -> float:
        return self.baseline - self.size * 0.95  # room for an accent on a capital

    @property
    def bottom(self) -> float:
        return self.baseline + self.size * 0.24


@dataclass(frozen=True)
class _TextBlock:
    lines: tuple[_Line, ...]
    title_lines: int

    @property
    def height(self) -> float:
        return self.lines[-1].baseline if self.lines else 0.0

    @property
    def score(self) -> float:
        """Larger text is better, and so are fewer lines."""
        title, subtitle = self.lines[: self.title_lines], self.lines[self.title_lines :]
        return _weight(title) + 0.6 * _weight(subtitle)


def _weight(lines: Sequence[_Line]) -> float:
    return lines[0].size * (1.2 - 0.2 * len(lines)) if lines else 0.0


def _bold(size: int) -> int:
    return round(size * 0.025)


def _stack(
    title: Sequence[str], subtitle: Sequence[str], title_size: int, subtitle_size: int
) -> _TextBlock:
    """Title lines, then subtitle lines, with their baselines."""
    lines: list[_Line] = []
    baseline = 0.0
    for text in title:
        baseline += title_size * (1.12 if lines else 0.72)
        lines.append(_Line(text, title_size, _bold(title_size), baseline))
    for index, text in enumerate(subtitle):
        if index:
            baseline += subtitle_size * 1.2
        else:
            baseline += subtitle_size * 0.72 + (title_size * 0.75 if lines else 0)
        lines.append(_Line(text, subtitle_size, 0, baseline))
    return _TextBlock(tuple(lines), len(title))


def _sizes(largest: float, smallest: float) -> list[int]:
    sizes: list[int] = []
    while largest >= smallest:
        sizes.append(round(largest))
        largest *= 0.93
    return sizes


def _line_choices(text: str, most: int, size: int, stroke: int) -> Iterator[tuple[str, ...]]:
    """For 1 to `most` lines, the split of the words whose longest line is shortest."""
    words = text.split()
    if not words:
        yield ()
        return
    if len(words) > _MOST_WORDS_TO_BALANCE:
        return  # too many ways to split: left to _squeezed
    for count in range(1, min(most, len(words)) + 1):
        splits = []
        for breaks in combinations(range(1, len(words)), count - 1):
            bounds = (0, *breaks, len(words))
            splits.append(tuple(" ".join(words[start:end]) for start, end in pairwise(bounds)))
        yield min(splits, key=lambda lines: max(_text_width(line, size, stroke) for line in lines))


def _arrangements(title: str, subtitle: str, face: float) -> Iterator[_TextBlock]:
    """Every arrangement worth trying: sizes from large to small, one to three lines."""
    for title_size in _sizes(face * 0.21, face * 0.085):
        for title_lines in _line_choices(title, 3, title_size, _bold(title_size)):
            for subtitle_size in _sizes(min(title_size * 0.62, face * 0.16), face * 0.07):
                for subtitle_lines in _line_choices(subtitle, 2, subtitle_size, 0):
                    yield _stack(title_lines, subtitle_lines, title_size, subtitle_size)


def _truncated(text: str, count: int, size: int, stroke: int, width: float) -> tuple[str, ...]:
    """Up to `count` lines filled word by word, cut with an ellipsis where the text overflows."""
    words = text.split()
    lines: list[str] = []
    while words and len(lines) < count:
        line = words.pop(0)
        while words and _text_width(f"{line} {words[0]}", size, stroke) <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] += "…"
    clipped = []
    for line in lines:
        while len(line) > 1 and _text_width(line, size, stroke) > width:
            line = line[:-2].rstrip() + "…"
        clipped.append(line)
    return tuple(clipped)


def _squeezed(title: str, subtitle: str, face: float) -> _TextBlock:
    """The smallest text, cut short: for titles that no arrangement fits."""
    title_size, subtitle_size = round(face * 0.085), round(face * 0.07)
    title_lines = _truncated(title, 3, title_size, _bold(title_size), face * 1.2)
    subtitle_lines = _truncated(subtitle, 2, subtitle_size, 0, face * 1.2)
    return _stack(title_lines, subtitle_lines, title_size, subtitle_size)


@dataclass(frozen=True)
class _TextArea:
    """Where the text goes: between two heights, inside a circle."""

    geometry: _Geometry
    top: float
    bottom: float
    radius: float

    def offset(self, block: _TextBlock) -> float:
        """Where the block's top goes: a little above the middle of the area."""
        return self.top + (self.bottom - self.top - block.height) * 0.4

    def fits(self, block: _TextBlock) -> bool:
        if block.height > self.bottom - self.top:
            return False
        offset = self.offset(block)
        for line in block.lines:
            upper = self.geometry.half_chord(self.radius, offset + line.top)
            lower = self.geometry.half_chord(self.radius, offset + line.bottom)
            if line.width / 2 > min(upper, lower):
                return False
        return True


def _layout_text(title: str, subtitle: str, area: _TextArea) -> _TextBlock:
    """The arrangement of title and subtitle with the largest, fewest lines that fits."""
    face = area.geometry.face
    fitting = (block for block in _arrangements(title, subtitle, face) if area.fits(block))
    best = max(fitting, key=lambda block: block.score, default=None)
    return best if best is not None else _squeezed(title, subtitle, face)


def _band(geometry: _Geometry, radius: float, top: float, bottom: float) -> list[_Point]:
    """The slice of a circle between two heights, as a polygon."""
    top, bottom = max(top, geometry.centre - radius), min(bottom, geometry.centre + radius)
    heights = [top + (bottom - top) * step / 48 for step in range(49)]
    right = [(geometry.centre + geometry.half_chord(radius, y), y) for y in heights]
    left = [(geometry.centre - geometry.half_chord(radius, y), y) for y in reversed(heights)]
    return right + left


def _draw_rule(
    draw: ImageDraw.ImageDraw, geometry: _Geometry, block: _TextBlock, offset: float
) -> None:
    """A short line between the title and the subtitle."""
    above, below = block.lines[block.title_lines - 1], block.lines[block.title_lines]
    y = offset + (above.baseline + above.size * 0.26 + below.baseline - below.size * 0.72) / 2
    half, width = geometry.face * 0.12, max(1, round(geometry.face * 0.012))
    draw.line([(geometry.centre - half, y), (geometry.centre + half, y)], fill=255, width=width)


def _draw_text(
    canvas: Image.Image, geometry: _Geometry, palette: _Palette, title: str, subtitle: str
) -> None:
    top, bottom = geometry.centre - geometry.face * 0.02, geometry.centre + geometry.face * 0.74
    area = _TextArea(geometry, top, bottom, radius=geometry.face * 0.84)
    block = _layout_text(" ".join(title.split()), " ".join(subtitle.split()), area)
    if not block.lines:
        return
    offset = area.offset(block)
    mask = Image.new("L", canvas.size, 0)
    draw = ImageDraw.Draw(mask)
    for line in block.lines:
        left = geometry.centre - line.width / 2
        _draw_text_line(draw, line.text, line.size, line.stroke, left, offset + line.baseline)
    if 0 < block.title_lines < len(block.lines):
        _draw_rule(draw, geometry, block, offset)
    if palette.band is not None:
        first, last = block.lines[0], block.lines[-1]
        band_top = offset + first.baseline - first.size * 0.72 - geometry.face * 0.07
        band_bottom = offset + last.bottom + geometry.face * 0.06
        band = _band(geometry, geometry.face * 0.92, band_top, band_bottom)
        ImageDraw.Draw(canvas).polygon(band, fill=palette.band)
    box = mask.getbbox()
    if box is not None:
        canvas.paste((*palette.text, 255), box, mask.crop(box))


# --- the default badge -----------------------------------------------------------------------


def _check_badge_arguments(symbol: str, level: int | None, levels: int, size: int) -> None:
    if symbol not in _PAINTERS:
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
    _check_badge_arguments(symbol, level, levels, size)
    palette = _palette(_parse_colour(colour))
    canvas = Image.new("RGBA", (size * _SUPERSAMPLE, size * _SUPERSAMPLE), (0, 0, 0, 0))
    geometry = _Geometry.for_side(canvas.width)
    _draw_disc(canvas, geometry, palette)
    _draw_symbol(canvas, geometry, palette, symbol)
    if level is not None:
        _draw_level_marks(canvas, geometry, palette, level, levels)
    _draw_text(canvas, geometry, palette, title, subtitle)
    badge = canvas.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # No metadata and fixed settings: the same pixels always give the same bytes.
    badge.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


# --- images that authors provide -------------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    """A usable badge image: its format and size (pixels for PNG, user units for SVG)."""

    format: str  # "png" or "svg"
    width: int
    height: int


class ImageProblem(ValueError):
    """A badge image that cannot be used; the message says what is wrong and what to do."""


def inspect_badge_image(filename: str, data: bytes) -> ImageInfo:
    """Return the format and size of a badge image; raise ImageProblem if it cannot be used."""
    extension = PurePosixPath(filename).suffix.lower()
    if extension not in (".png", ".svg"):
        found = f"extension '{extension}'" if extension else "no extension"
        raise ImageProblem(f"'{filename}' has {found}; badge images must be .png or .svg files")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem(
            f"image is {len(data):,} bytes; badge images must be at most"
            f" {MAX_IMAGE_BYTES:,} bytes (1 MB): compress it, or export it smaller"
        )
    return _inspect_png(data) if extension == ".png" else _inspect_svg(data)


def _inspect_png(data: bytes) -> ImageInfo:
    if not data.startswith(_PNG_SIGNATURE):
        raise ImageProblem(
            "file is named .png but is not a PNG image (it lacks the PNG signature);"
            " export the image as PNG"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                width, height = image.size  # read from the header: no pixel is decoded
    except Image.DecompressionBombError:
        raise ImageProblem(
            f"PNG is far too large to be a badge; export it at 600{_TIMES}600 px"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageProblem(f"PNG header cannot be read ({error}); export the image again") from None
    size = f"image is {width}{_TIMES}{height} px"
    if width != height:
        raise ImageProblem(f"{size}; badge PNGs must be square: crop or pad it")
    if width < MIN_PNG_SIDE:
        raise ImageProblem(
            f"{size}; badge PNGs must be at least {MIN_PNG_SIDE}{_TIMES}{MIN_PNG_SIDE} px:"
            " export it larger, or use an SVG"
        )
    return ImageInfo("png", width, height)


def _svg_root(data: bytes) -> ElementTree.Element:
    if data.startswith(_PNG_SIGNATURE):
        raise ImageProblem("file is named .svg but is a PNG image; rename it to .png")
    if b"<!ENTITY" in data:
        raise ImageProblem("SVG declares XML entities (<!ENTITY>); remove them and its DOCTYPE")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise ImageProblem(
            f"SVG is not well-formed XML (line {line}, column {column + 1}: {error.msg});"
            " fix it, or export it again as SVG"
        ) from None
    if root.tag == "svg":
        raise ImageProblem(
            f'the <svg> element has no xmlns="{_SVG_NAMESPACE}", so browsers will not'
            " draw it; add that attribute"
        )
    if root.tag != f"{{{_SVG_NAMESPACE}}}svg":
        name = root.tag.rpartition("}")[2]
        raise ImageProblem(f"the root element is <{name}>, not <svg>; export the image as SVG")
    return root


_PIXELS_PER_UNIT = {"": 1.0, "px": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_PIXELS_PER_UNIT |= {"pt": 4 / 3, "pc": 16.0}
_LENGTH = re.compile(r"\s*(\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z%]*)\s*")


def _svg_length(root: ElementTree.Element, attribute: str) -> float | None:
    """An absolute width or height in pixels; None when absent or relative (%, em)."""
    text = root.get(attribute)
    if text is None:
        return None
    match = _LENGTH.fullmatch(text)
    if match is None:
        raise ImageProblem(
            f'SVG {attribute}="{text}" is not a length; write a number, like {attribute}="512"'
        )
    value, unit = float(match[1]), match[2].lower()
    if unit not in _PIXELS_PER_UNIT:
        return None
    if value == 0:
        raise ImageProblem(f'SVG {attribute}="{text}" is zero; give the image a size')
    return value * _PIXELS_PER_UNIT[unit]


def _svg_view_box(root: ElementTree.Element) -> tuple[float, float] | None:
    text = root.get("viewBox")
    if text is None:
        return None
    try:
        _, _, width, height = (float(part) for part in text.replace(",", " ").split())
    except ValueError:
        raise ImageProblem(
            f'SVG viewBox="{text}" is not four numbers; write it like viewBox="0 0 512 512"'
        ) from None
    if width <= 0 or height <= 0:
        raise ImageProblem(f'SVG viewBox="{text}" has no area; give it a positive width and height')
    return width, height


def _inspect_svg(data: bytes) -> ImageInfo:
    root = _svg_root(data)
    width, height = _svg_length(root, "width"), _svg_length(root, "height")
    view_box = _svg_view_box(root)
    if width is not None and height is not None:
        source = "width and height"
    elif view_box is not None:
        (width, height), source = view_box, "viewBox"
    else:
        raise ImageProblem(
            "SVG has no viewBox and no absolute width and height, so its shape is unknown;"
            ' add viewBox="0 0 512 512"'
        )
    if not math.isclose(width, height, rel_tol=1e-6):
        raise ImageProblem(
            f"SVG is {width:g}{_TIMES}{height:g} (from its {source});"
            " badge images must be square: make them equal"
        )
    side = max(1, round(width))
    return ImageInfo("svg", side, side)
