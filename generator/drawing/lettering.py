"""Lettering of the default badge: title and subtitle fitted in the disc, with Pillow's font.

Pillow's bundled font (Aileron) covers ASCII and a few signs only: "Découpe" would show a
missing-glyph box. Accented letters are drawn as their base letter plus an accent drawn
here; the dot of an accented i is taken off first. The text is drawn into a mask, which
the badge then paints in its text colour.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from PIL import Image, ImageDraw, ImageFont


@dataclass(frozen=True)
class Lettering:
    """Title and subtitle drawn for a badge, and the ground behind them."""

    mask: Image.Image  # 255 where the letters and the rule between title and subtitle are
    band: tuple[tuple[float, float], ...]  # a slice of the face behind the text, as a polygon


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
    """Where the text goes: between two heights, inside a circle around the disc's centre."""

    centre: float  # of the disc, across and down
    face: float  # radius of the disc's face, which the text sizes follow
    top: float
    bottom: float
    radius: float

    def half_chord(self, radius: float, y: float) -> float:
        """Half the width of a circle around the centre at height y (0 outside it)."""
        distance = abs(y - self.centre)
        return math.sqrt(radius * radius - distance * distance) if distance < radius else 0.0

    def offset(self, block: _TextBlock) -> float:
        """Where the block's top goes: a little above the middle of the area."""
        return self.top + (self.bottom - self.top - block.height) * 0.4

    def fits(self, block: _TextBlock) -> bool:
        if block.height > self.bottom - self.top:
            return False
        offset = self.offset(block)
        for line in block.lines:
            upper = self.half_chord(self.radius, offset + line.top)
            lower = self.half_chord(self.radius, offset + line.bottom)
            if line.width / 2 > min(upper, lower):
                return False
        return True


def _layout_text(title: str, subtitle: str, area: _TextArea) -> _TextBlock:
    """The arrangement of title and subtitle with the largest, fewest lines that fits."""
    face = area.face
    fitting = (block for block in _arrangements(title, subtitle, face) if area.fits(block))
    best = max(fitting, key=lambda block: block.score, default=None)
    return best if best is not None else _squeezed(title, subtitle, face)


def _band(area: _TextArea, radius: float, top: float, bottom: float) -> list[tuple[float, float]]:
    """The slice of a circle between two heights, as a polygon."""
    top, bottom = max(top, area.centre - radius), min(bottom, area.centre + radius)
    heights = [top + (bottom - top) * step / 48 for step in range(49)]
    right = [(area.centre + area.half_chord(radius, y), y) for y in heights]
    left = [(area.centre - area.half_chord(radius, y), y) for y in reversed(heights)]
    return right + left


def _draw_rule(
    draw: ImageDraw.ImageDraw, area: _TextArea, block: _TextBlock, offset: float
) -> None:
    """A short line between the title and the subtitle."""
    above, below = block.lines[block.title_lines - 1], block.lines[block.title_lines]
    y = offset + (above.baseline + above.size * 0.26 + below.baseline - below.size * 0.72) / 2
    half, width = area.face * 0.12, max(1, round(area.face * 0.012))
    draw.line([(area.centre - half, y), (area.centre + half, y)], fill=255, width=width)


def draw_lettering(
    size: tuple[int, int], centre: float, face: float, title: str, subtitle: str
) -> Lettering | None:
    """Fit title and subtitle in a disc's face and draw them in a mask; None if both are blank."""
    top, bottom = centre - face * 0.02, centre + face * 0.74
    area = _TextArea(centre, face, top, bottom, radius=face * 0.84)
    block = _layout_text(" ".join(title.split()), " ".join(subtitle.split()), area)
    if not block.lines:
        return None
    offset = area.offset(block)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for line in block.lines:
        left = centre - line.width / 2
        _draw_text_line(draw, line.text, line.size, line.stroke, left, offset + line.baseline)
    if 0 < block.title_lines < len(block.lines):
        _draw_rule(draw, area, block, offset)
    first, last = block.lines[0], block.lines[-1]
    band_top = offset + first.baseline - first.size * 0.72 - face * 0.07
    band_bottom = offset + last.bottom + face * 0.06
    return Lettering(mask, tuple(_band(area, face * 0.92, band_top, band_bottom)))


def draw_lettering_in_box(
    size: tuple[int, int], box: tuple[float, float, float, float], title: str, subtitle: str
) -> Image.Image | None:
    """Fit title and subtitle, left-aligned, in a rectangle (left, top, right, bottom) and draw
    them in a mask, vertically centred; None if both are blank."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    scale = width / 1.75  # the sizes a disc's face of this radius would take
    title, subtitle = " ".join(title.split()), " ".join(subtitle.split())
    fitting = (
        block
        for block in _arrangements(title, subtitle, scale)
        if block.lines[-1].bottom <= height and all(line.width <= width for line in block.lines)
    )
    block = max(fitting, key=lambda block: block.score, default=None)
    block = block if block is not None else _squeezed(title, subtitle, scale)
    if not block.lines:
        return None
    offset = top + (height - block.lines[-1].bottom) / 2
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for line in block.lines:
        _draw_text_line(draw, line.text, line.size, line.stroke, left, offset + line.baseline)
    return mask
