"""Pictograms of the kinds of making, drawn with Pillow primitives for the default badge.

Each pictogram is drawn with a pen in a square whose coordinates run from -1 to 1, so that
it can be placed and scaled anywhere on the badge.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]
Point = tuple[float, float]


@dataclass(frozen=True)
class _Pen:
    """Draws in a square whose coordinates run from -1 to 1, y downwards; `cut` uses the face."""

    draw: ImageDraw.ImageDraw
    x: float
    y: float
    unit: float
    ink: RGB
    face: RGB

    def at(self, point: Point) -> Point:
        return (self.x + point[0] * self.unit, self.y + point[1] * self.unit)

    def colour(self, cut: bool) -> RGB:
        return self.face if cut else self.ink

    def polygon(self, points: Sequence[Point], *, cut: bool = False) -> None:
        self.draw.polygon([self.at(point) for point in points], fill=self.colour(cut))

    def line(self, points: Sequence[Point], width: float, *, cut: bool = False) -> None:
        """A polyline with round joins and round caps."""
        pixels = max(1, round(width * self.unit))
        corners = [self.at(point) for point in points]
        self.draw.line(corners, fill=self.colour(cut), width=pixels, joint="curve")
        for end in (points[0], points[-1]):
            self.circle(end, width / 2, cut=cut)

    def circle(self, centre: Point, radius: float, *, cut: bool = False) -> None:
        x0, y0 = self.at((centre[0] - radius, centre[1] - radius))
        x1, y1 = self.at((centre[0] + radius, centre[1] + radius))
        self.draw.ellipse((x0, y0, x1, y1), fill=self.colour(cut))

    def rectangle(
        self, corner: Point, opposite: Point, radius: float, *, cut: bool = False
    ) -> None:
        (x0, y0), (x1, y1) = self.at(corner), self.at(opposite)
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius * self.unit, fill=self.colour(cut))


def _along(origin: Point, direction: Point, points: Sequence[Point]) -> list[Point]:
    """Points given as (distance along a direction, distance across it) from an origin."""
    length = math.hypot(*direction)
    ax, ay = direction[0] / length, direction[1] / length
    return [(origin[0] + a * ax - b * ay, origin[1] + a * ay + b * ax) for a, b in points]


def _bezier(start: Point, control1: Point, control2: Point, end: Point) -> list[Point]:
    points = []
    for step in range(25):
        t = step / 24
        weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3)
        controls = (start, control1, control2, end)
        x = sum(weight * point[0] for weight, point in zip(weights, controls, strict=True))
        y = sum(weight * point[1] for weight, point in zip(weights, controls, strict=True))
        points.append((x, y))
    return points


def _rounded(corner: Point, opposite: Point, radius: float) -> list[Point]:
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


def draw_symbol(
    canvas: Image.Image, symbol: str, centre: Point, unit: float, ink: RGB, face: RGB
) -> None:
    """Draw a symbol's pictogram centred on `centre`, `unit` pixels from its middle to an edge."""
    pen = _Pen(ImageDraw.Draw(canvas), centre[0], centre[1], unit, ink, face)
    _PAINTERS[symbol](pen)
