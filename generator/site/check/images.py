"""Checks on the badge images that authors provide: PNG or SVG, square, large enough."""

from __future__ import annotations

import io
import math
import re
import warnings
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 1_000_000
MIN_PNG_SIDE = 300

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_TIMES = "\N{MULTIPLICATION SIGN}"


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
